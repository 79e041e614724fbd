/**
 * `dk queue` (also reached as `qmail-dk` and `qmail-queue`): the qmail-queue
 * drop-in. No flags; arguments are ignored, as qmail-queue ignores them. It
 * prints nothing on stdout or stderr: the exit code is the whole answer, and
 * anything unexpected, even an uncaught error, ends as a temporary code.
 *
 * @module
 */

import { QUEUE_EXIT } from "../status.ts";
import type { QueueCode } from "../queue/code.ts";

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
  const bail = (event: Event) => {
    event.preventDefault();
    Deno.exit(QUEUE_EXIT.internalBug);
  };
  globalThis.addEventListener("error", bail);
  globalThis.addEventListener("unhandledrejection", bail);
  try {
    const { runQueue } = await import("../queue/run.ts");
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
