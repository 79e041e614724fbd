/**
 * `dk queue` (also reached as `qmail-dk` and `qmail-queue`): the qmail-queue
 * drop-in. No flags; arguments are ignored, as qmail-queue ignores them. It
 * prints nothing on stdout or stderr: the exit code is the whole answer, and
 * anything unexpected, even an uncaught error, ends as a temporary code
 * (`core/queue/entry.ts`).
 *
 * @module
 */

import { runQueueProcess } from "../queue/entry.ts";

/** Runs queue mode; resolves to the exit code (domainkeys.md 2.10). */
export function run(_args: string[], argv0: string): Promise<number> {
  return runQueueProcess(argv0);
}
