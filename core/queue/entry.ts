/**
 * Queue mode's process edge: the signals and uncaught errors that end it
 * with a temporary code after killing the queue program, and the process's
 * own environment and fd 0 handed to `run.ts`. Reached from `dk queue`
 * (`core/cli/queue.ts`) and from the queue bundle (`bundle_entry.ts`).
 * SIGTERM, SIGHUP and SIGINT end it with 81; SIGPIPE is ignored by Deno's
 * runtime, so a closed pipe is an error on the write, handled where the
 * write is.
 *
 * @module
 */

import { QUEUE_EXIT } from "../status.ts";
import type { SchemeModules } from "./scheme_modules.ts";

/** The signals that end queue mode with a temporary code. */
export const QUEUE_SIGNALS: readonly Deno.Signal[] = [
  "SIGTERM",
  "SIGHUP",
  "SIGINT",
];

/**
 * Runs queue mode in this process; resolves to the exit code (domainkeys.md
 * 2.10). `modules`: the signing and verifying modules when linked in (the queue
 * bundle); by default it is loaded on demand.
 */
export async function runQueueProcess(
  argv0: string,
  modules?: SchemeModules,
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
    const { runQueue, killQueueProgram } = await import("./run.ts");
    kill = killQueueProgram;
    return await runQueue({
      env: (name) => Deno.env.get(name),
      argv0,
      stdin: Deno.stdin,
      modules,
    });
  } catch {
    return QUEUE_EXIT.internalBug;
  }
}
