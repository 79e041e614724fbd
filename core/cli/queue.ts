/**
 * `dk queue` (also reached as `qmail-dk` and `qmail-queue`): the qmail-queue
 * drop-in. No flags; arguments are ignored, as qmail-queue ignores them. It
 * prints nothing on stdout or stderr: the exit code is the whole answer, and
 * anything unexpected, even an uncaught error, ends as a temporary code.
 * SIGTERM, SIGHUP and SIGINT end it too, with 81, after the queue program
 * (if running) is killed; SIGPIPE is ignored by Deno's runtime, so a closed
 * pipe is an error on the write, handled where the write is.
 *
 * @module
 */

import { QUEUE_EXIT } from "../status.ts";
import type { QueueCode } from "../queue/code.ts";

/** The signals that end queue mode with a temporary code. */
export const QUEUE_SIGNALS: readonly Deno.Signal[] = [
  "SIGTERM",
  "SIGHUP",
  "SIGINT",
];

/**
 * Runs queue mode; resolves to the exit code (domainkeys.md 2.10). `code`:
 * the signing and verifying code when linked in (the queue bundle); by
 * default it is loaded on demand.
 */
export async function run(
  _args: string[],
  argv0: string,
  code?: QueueCode,
): Promise<number> {
  // Until run.ts is loaded there is no queue program to kill.
  let kill = () => {};
  const bail = (event: Event) => {
    event.preventDefault();
    kill();
    Deno.exit(QUEUE_EXIT.internalBug);
  };
  globalThis.addEventListener("error", bail);
  globalThis.addEventListener("unhandledrejection", bail);
  for (const signal of QUEUE_SIGNALS) {
    Deno.addSignalListener(signal, () => {
      kill();
      Deno.exit(QUEUE_EXIT.signalled);
    });
  }
  try {
    const { runQueue, killQueueProgram } = await import("../queue/run.ts");
    kill = killQueueProgram;
    return await runQueue({
      env: (name) => Deno.env.get(name),
      argv0,
      stdin: Deno.stdin,
      code,
    });
  } catch {
    return QUEUE_EXIT.internalBug;
  }
}
