/**
 * `dk queue` from start to exit code (design.md, "The way a message travels
 * through dk queue"): plan from the environment, spool fd 0 while signing or
 * verifying, decide, hand on to the queue program. Every failure of dk's own
 * becomes a temporary exit code from status.ts; the whole run is bounded by
 * the deadline. Signing and verification code is loaded only when needed;
 * a run where DKIM is active (dkim.md 6.1) is `run_dkim.ts`'s, loaded only
 * then, so a DomainKeys-only host runs exactly this module's steps.
 *
 * @module
 */

import { QUEUE_EXIT, VERIFY_CONFIG_REFUSAL } from "../status.ts";
import { refuse } from "./channel.ts";
import { deliver, type QueueIo } from "./deliver.ts";
import { dkSigned, dkVerified } from "./dk_outcome.ts";
import { killQueueProgram, prepareHandoff } from "./handoff.ts";
import { dkKeyChoice } from "./dk_key.ts";
import { LineEndSniffer } from "../message/line_end.ts";
import { planQueue, type QueuePlan } from "./plan.ts";
import { MAX_DEPTH, queueDepth } from "./self.ts";
import {
  type ChunkSink,
  fillSpool,
  openSpool,
  type Spool,
  tempDir,
} from "./spool.ts";
import { after } from "../timer.ts";
import { minKeyBitsFromEnv } from "../crypto/key_policy.ts";
import { lazySchemeModules } from "./scheme_modules.ts";

export { killQueueProgram };
export type { QueueIo };

/**
 * Runs queue mode; resolves to the exit code. Exceptions escaping the steps
 * become 81 (51 for a failed allocation), after the queue program, if
 * running, is killed so that nothing half-written is queued.
 */
export async function runQueue(io: QueueIo): Promise<number> {
  const plan = planQueue(io.env, io.argv0);
  let cancel = () => {};
  const deadline = new Promise<number>((resolve) => {
    cancel = after(plan.deadlineSeconds * 1000, () => {
      killQueueProgram();
      resolve(QUEUE_EXIT.timeout);
    });
  });
  try {
    return await Promise.race([steps(io, plan), deadline]);
  } catch (e) {
    killQueueProgram();
    return exitForException(e);
  } finally {
    cancel();
  }
}

/** The exit code for an exception that escaped: 51 for memory, else 81. */
export function exitForException(e: unknown): number {
  if (e instanceof RangeError && /alloc|memory/i.test(e.message)) {
    return QUEUE_EXIT.outOfMemory;
  }
  return QUEUE_EXIT.internalBug;
}

async function steps(
  io: QueueIo,
  plan: QueuePlan,
): Promise<number> {
  const depth = queueDepth(io.env);
  if (depth >= MAX_DEPTH) return QUEUE_EXIT.internalBug;
  if (plan.dkim !== null) {
    const { runWithDkim } = await (io.modules ?? lazySchemeModules).dkim();
    return await runWithDkim(io, plan, plan.dkim);
  }
  const action = plan.action;
  if (action.kind === "pass") return await pass(io, plan);
  if (action.kind === "sign") return await sign(io, plan, action.dksign);
  return await verify(io, plan, action.dkverify);
}

/**
 * Neither signing nor verifying: the message is spooled all the same, as
 * the envelope may be read only after it (qmail writes it last).
 */
async function pass(
  io: QueueIo,
  plan: QueuePlan,
): Promise<number> {
  const spool = openSpool(tempDir(io.env("TMPDIR")));
  const filled = await fillSpool(io.stdin, spool);
  if (!filled.ok) return filled.error;
  return await deliver(io, plan, { header: "", spool });
}

/** Spools fd 0, feeding `engine` and a line-end sniffer; an exit code on failure. */
async function spoolMessage(
  io: QueueIo,
  engine: ChunkSink,
): Promise<{ spool: Spool; lineEnd: "\n" | "\r\n" } | number> {
  const spool = openSpool(tempDir(io.env("TMPDIR")));
  const sniffer = new LineEndSniffer();
  const filled = await fillSpool(io.stdin, spool, {
    update(chunk) {
      sniffer.update(chunk);
      engine.update(chunk);
    },
  });
  if (!filled.ok) return filled.error;
  return { spool, lineEnd: sniffer.lineEnd };
}

async function sign(
  io: QueueIo,
  plan: QueuePlan,
  dksign: string,
): Promise<number> {
  const { DkSigner, finishSigning, parsePrivateKeyPem } =
    await (io.modules ?? lazySchemeModules).sign();
  const signer = new DkSigner({ canon: "nofws" });
  const spooled = await spoolMessage(io, signer);
  if (typeof spooled === "number") return spooled;
  const { spool, lineEnd } = spooled;

  // The key for the sending domain (domainkeys.md 2.2).
  const step = await finishSigning(
    signer,
    dkKeyChoice(dksign, parsePrivateKeyPem),
    { lineEnd, meanwhile: prepareHandoff },
  );
  const header = dkSigned(step, io.env);
  return typeof header === "number"
    ? header
    : await deliver(io, plan, { header, spool });
}

async function verify(
  io: QueueIo,
  plan: QueuePlan,
  dkverify: string,
): Promise<number> {
  const { DkVerifier, resolverFromOptions, loadBackend } =
    await (io.modules ?? lazySchemeModules).verify();
  const resolver = resolverFromOptions({
    env: {
      DK_DNS: io.env("DK_DNS"),
      DK_DNS_TIMEOUT: io.env("DK_DNS_TIMEOUT"),
      DK_ZONE: io.env("DK_ZONE"),
    },
  });
  if (!resolver.ok) return refuse(VERIFY_CONFIG_REFUSAL, io.env);
  const backend = await loadBackend(io.env("DK_CRYPTO"));
  if (!backend.ok) return refuse(VERIFY_CONFIG_REFUSAL, io.env);
  const minKeyBits = minKeyBitsFromEnv(io.env("DK_MIN_KEY_BITS"));
  if (typeof minKeyBits === "string") {
    return refuse(VERIFY_CONFIG_REFUSAL, io.env);
  }
  const verifier = new DkVerifier({
    resolver: resolver.value,
    backend: backend.value,
    minKeyBits,
  });
  const spooled = await spoolMessage(io, verifier);
  if (typeof spooled === "number") return spooled;
  const { spool, lineEnd } = spooled;

  // The DNS answer may still be on its way: meanwhile, get the handoff ready.
  prepareHandoff();
  const header = dkVerified(await verifier.finish(), dkverify, lineEnd, io.env);
  return typeof header === "number"
    ? header
    : await deliver(io, plan, { header, spool });
}
