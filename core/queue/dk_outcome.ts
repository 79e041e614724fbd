/**
 * What DomainKeys' part of a queue run comes to (domainkeys.md 2.1–2.3,
 * 2.10), written once for the DomainKeys-only run (`run.ts`) and the run
 * where DKIM is active (`run_dkim.ts`): a header field to put on top of the
 * message, or the exit code that ends the run.
 *
 * @module
 */

import {
  headerWord,
  QUEUE_EXIT,
  SIGN_REFUSAL,
  signAction,
  type Status,
  verifyAction,
  verifyRefusal,
} from "../status.ts";
import type { SigningStep } from "../dk/sign_message.ts";
import type { VerifyResult } from "../dk/verify.ts";
import { refuse } from "./channel.ts";
import type { DkSkip } from "./dk_key.ts";
import type { EnvLookup } from "./plan.ts";

/** Ends a signing run that stopped with `error`, as status.ts's table says. */
export function signingStopped(error: Status, env: EnvLookup): number {
  const action = signAction(error.letter);
  return action.kind === "exit" ? action.code : refuse(action.refusal, env);
}

/**
 * The `DomainKey-Signature` field a signing step made ("" when the message
 * goes on unsigned: already signed, or no key for its domain), or the exit
 * code when signing must stop (key trouble: temporary; no sender: permanent).
 */
export function dkSigned(
  step: SigningStep<DkSkip>,
  env: EnvLookup,
): string | number {
  switch (step.kind) {
    case "signed":
      return step.header;
    case "already-signed":
      return "";
    case "skipped":
      return step.why === "unsigned"
        ? ""
        : refuse(SIGN_REFUSAL.keyTrouble, env);
    case "unusable":
    case "failed":
      return signingStopped(step.status, env);
  }
}

/**
 * The `DomainKey-Status` field for a verification result (lines ending in
 * `lineEnd`), or the exit code when DKVERIFY rejects the letter (K: 81).
 */
export function dkVerified(
  result: VerifyResult,
  dkverify: string,
  lineEnd: "\n" | "\r\n",
  env: EnvLookup,
): string | number {
  const decision = verifyAction(result.letter, dkverify, result.testing);
  if (decision.kind === "internal") return QUEUE_EXIT.internalBug;
  if (decision.kind === "reject") {
    return refuse(verifyRefusal(decision.permanent, decision.text), env);
  }
  return `DomainKey-Status: ${headerWord(result.letter)}${lineEnd}`;
}
