/**
 * The end of every queue run that hands the message on (domainkeys.md 2.4,
 * 2.10): the queue program is checked not to be dk itself, the envelope is
 * read (after the whole message, as qmail writes it last), and the new
 * header fields and the spooled message go to the program. Shared by the
 * DomainKeys-only run (`run.ts`) and the run where DKIM is active
 * (`run_dkim.ts`).
 *
 * @module
 */

import { QUEUE_EXIT } from "../status.ts";
import { handOff } from "./handoff.ts";
import {
  ENVELOPE_FD_VARIABLE,
  envelopePath,
  takeEnvelope,
} from "./envelope.ts";
import type { EnvLookup, QueuePlan } from "./plan.ts";
import { DEPTH_VARIABLE, isSelf, queueDepth, selfPaths } from "./self.ts";
import { type ByteReader, readSpool, type Spool } from "./spool.ts";
import type { SchemeModules } from "./scheme_modules.ts";

/** What a queue run takes from its process. */
export interface QueueIo {
  /** The environment. */
  env: EnvLookup;
  /** The name dk was invoked under. */
  argv0: string;
  /** fd 0: the message. */
  stdin: ByteReader;
  /** The signing and verifying modules (default: loaded on demand). */
  modules?: SchemeModules;
}

/**
 * Hands the message and the envelope on, after making sure the program is
 * not dk itself; resolves to the exit code. `header` goes on top of the
 * spooled message, or of `body` when given (the spooled message with
 * fields cut out).
 */
export async function deliver(
  io: QueueIo,
  plan: QueuePlan,
  message: { header: string; spool: Spool; body?: AsyncIterable<Uint8Array> },
): Promise<number> {
  const program = plan.program.startsWith("/")
    ? plan.program
    : `${plan.home}/${plan.program}`;
  if (isSelf(program, selfPaths(io.env))) return QUEUE_EXIT.internalBug;
  const envelope = await takeEnvelope(
    envelopePath(io.env(ENVELOPE_FD_VARIABLE)),
  );
  if (!envelope.ok) return envelope.error;
  return await handOff({
    program,
    home: plan.home,
    // DK_ARGV0 names this run's launcher: a dk binary downstream must not
    // take it for its own name. (DK_ENVELOPE_FD stays: the program inherits
    // the fd it names, a copy of its own fd 1.)
    env: {
      [DEPTH_VARIABLE]: String(queueDepth(io.env) + 1),
      DK_ARGV0: undefined,
    },
    message: {
      header: new TextEncoder().encode(message.header),
      body: message.body ?? readSpool(message.spool),
    },
    envelope: envelope.value,
  });
}
