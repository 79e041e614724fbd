/**
 * What DKIM verification reports (dkim.md 3.4, 3.5, 5.2): the verdict on
 * each signature, with the fields `dk verify` prints, and the rule that
 * turns the signatures' letters into the message letter.
 *
 * @module
 */

import type { DkimKey } from "./key_record.ts";
import type { KeyType } from "./signature.ts";
import {
  DKIM_STATUS,
  type DkimResultWord,
  type DkimStatus,
  dkimStatus,
} from "../status.ts";

/** The verdict on one signature; fields not known are null. */
export interface DkimSignatureResult extends DkimStatus {
  /** The `dkim=` word of `Authentication-Results`. */
  result: DkimResultWord;
  /** `d=` (A-labels). */
  domain: string | null;
  /** `s=` (A-labels). */
  selector: string | null;
  /** `a=`. */
  algorithm: string | null;
  /** `i=`, decoded, domain as A-labels. */
  identity: string | null;
  /** `c=`, both halves. */
  canonicalization: string | null;
  /** `h=` names. */
  headers: string[] | null;
  /** `b=` without whitespace (callers shorten it for `header.b`). */
  signature: string | null;
  /** `t=`. */
  timestamp: number | null;
  /** `x=`. */
  expires: number | null;
  /** `l=`. */
  bodyLength: bigint | null;
  /** Canonical body octets past `l=` (0 without `l=`). */
  unsignedBodyOctets: number | null;
  /** `d=` is the From domain or a parent of it. */
  aligned: boolean;
  /** The key record said `t=y`. */
  testing: boolean;
  /** The key's type, once a key was read. */
  keyType: KeyType | null;
  /** The RSA key's size in bits. */
  keyBits: number | null;
  /** `z=`, decoded (for `--explain` only). */
  copied: string[] | null;
}

/** The verdict on a message. */
export interface DkimVerifyResult extends DkimStatus {
  /** One entry per evaluated signature, top to bottom. */
  signatures: DkimSignatureResult[];
  /** `DKIM-Signature` fields past the first 10, not evaluated. */
  skipped: number;
  /** The From domain (A-labels), when the message has a `DKIM-Signature` and a From domain. */
  fromDomain: string | null;
  /** Header field position (0 = top) of each evaluated signature. */
  positions: number[];
}

/**
 * The message letter (3.4): H when the header section is unusable; S with
 * no signature; A when any signature is A (or E under `honorLength`); P
 * when any is P; else the letter of the topmost aligned signature, else of
 * the topmost one.
 */
export function messageLetter(
  signatures: DkimSignatureResult[],
  how: { honorLength: boolean; unusableHeader: boolean },
): DkimStatus {
  if (how.unusableHeader) {
    return dkimStatus("H", "the first header line starts with whitespace");
  }
  if (signatures.length === 0) return dkimStatus("S");
  const pass = signatures.find((s) =>
    s.letter === "A" || (s.letter === "E" && how.honorLength)
  );
  if (pass) return dkimStatus("A", pass.reason);
  const temporary = signatures.find((s) => s.letter === "P");
  const chosen = temporary ?? signatures.find((s) => s.aligned) ??
    signatures[0];
  return dkimStatus(chosen.letter, chosen.reason);
}

/** A result with nothing known yet (code S, "not evaluated"). */
export function blankResult(): DkimSignatureResult {
  return {
    ...dkimStatus("S", "not evaluated"),
    result: "none",
    domain: null,
    selector: null,
    algorithm: null,
    identity: null,
    canonicalization: null,
    headers: null,
    signature: null,
    timestamp: null,
    expires: null,
    bodyLength: null,
    unsignedBodyOctets: null,
    aligned: false,
    testing: false,
    keyType: null,
    keyBits: null,
    copied: null,
  };
}

/**
 * Sets a result's letter, reason and AR word (Y is `permerror` for a
 * broken `t=s`, `neutral` for `i=` outside `d=`: 3.5).
 */
export function setStatus(
  result: DkimSignatureResult,
  status: DkimStatus,
): void {
  result.letter = status.letter;
  result.reason = status.reason;
  result.result = status.letter === "Y" && status.reason.startsWith("key t=s")
    ? "permerror"
    : DKIM_STATUS[status.letter].result;
}

/** Copies what a result reports of the key used (type, size, `t=y`). */
export function setKey(
  result: DkimSignatureResult,
  key: DkimKey | undefined,
): void {
  if (!key) return;
  result.keyType = key.keyType;
  result.keyBits = key.rsa ? key.rsa.bits : null;
  result.testing = key.testing;
}
