/**
 * The selector key record at `SELECTOR._domainkey.DOMAIN` (RFC 4870 section
 * 3.2.3, domainkeys.md 1.8): its tags checked into a usable key, or the
 * letter that says why not.
 *
 * @module
 */

import { parseTagList } from "./tags.ts";
import { printable } from "../printable.ts";
import { decodeBase64Strict } from "../crypto/base64.ts";
import { parseSpki, type PublicKeyInfo } from "../crypto/keys.ts";
import { err, ok, type Result } from "../result.ts";
import { type Status, status } from "../status.ts";
import {
  DEFAULT_MIN_KEY_BITS,
  MAX_RSA_BITS,
  usableKey,
} from "../crypto/key_policy.ts";

/** A usable key record. */
export interface KeyRecord {
  /** The RSA public key. */
  key: PublicKeyInfo;
  /** `t=y`: the domain is testing. */
  testing: boolean;
  /** `g=` value, "" for any sender. */
  granularity: string;
}

/** DK_MIN_KEY_BITS, read once for every scheme and command (key_policy.ts). */
export {
  DEFAULT_MIN_KEY_BITS,
  minKeyBitsFromEnv,
} from "../crypto/key_policy.ts";
/** True when the record's text could be a key record (contains `p=`). */
export function looksLikeKeyRecord(text: string): boolean {
  return text.includes("p=");
}

/** Why a key record is not usable: the letter, its reason, and `t=y`. */
export type KeyRecordFailure = Status & { testing: boolean };

/**
 * A key record's text checked once for every sender ({@link readKeyRecord}):
 * what stops it before `g=` is looked at, else `g=` with what the record
 * gives after it. Never changed once made, so one reading may serve many
 * messages ({@link keyRecordFor}).
 */
export type KeyRecordReading =
  | { readonly early: KeyRecordFailure }
  | {
    readonly early: null;
    /** `g=` value, "" for any sender. */
    readonly granularity: string;
    readonly testing: boolean;
    /** The key, or why it is unusable (`p=` and the key's checks). */
    readonly rest: Result<KeyRecord, KeyRecordFailure>;
  };

/**
 * Checks a key record's text (character-strings already joined). Returns E
 * for bad syntax, `k` other than rsa, a `p=` that is not base64 RSA SPKI, or
 * a modulus outside `minBits`–8192, or a key the crypto backends refuse
 * (`usableKey`: even modulus, e not odd or outside 3–2^32 − 1); L when `g=` does not
 * equal `localPart` (no case); J for an empty `p=`; D when `p=` is absent.
 * `localPart` null skips the `g=` check. The same as
 * `keyRecordFor(readKeyRecord(text, minBits), localPart)`.
 */
export function parseKeyRecord(
  text: string,
  localPart: string | null,
  minBits = DEFAULT_MIN_KEY_BITS,
): Result<KeyRecord, KeyRecordFailure> {
  return keyRecordFor(readKeyRecord(text, minBits), localPart);
}

/**
 * The part of {@link parseKeyRecord} that does not depend on the sender:
 * every check but `g=`'s, in the same order, so {@link keyRecordFor} gives
 * the letter `parseKeyRecord` would.
 */
export function readKeyRecord(
  text: string,
  minBits = DEFAULT_MIN_KEY_BITS,
): KeyRecordReading {
  const parsed = parseTagList(text);
  const failure = (
    code: "D" | "E" | "J",
    reason: string,
    testing = false,
  ): KeyRecordFailure => ({ ...status(code, reason), testing });
  if (!parsed.ok) {
    return { early: failure("E", `bad key record: ${parsed.error}`) };
  }
  const tags = parsed.value;
  const testing = (tags.get("t") ?? "").toLowerCase() === "y";
  const k = tags.get("k") ?? "rsa";
  if (k.toLowerCase() !== "rsa") {
    return {
      early: failure("E", `key type k=${printable(k)} is not rsa`, testing),
    };
  }
  const granularity = tags.get("g") ?? "";
  const rest = (): Result<KeyRecord, KeyRecordFailure> => {
    const fail = (code: "D" | "E" | "J", reason: string) =>
      err(failure(code, reason, testing));
    const p = tags.get("p");
    if (p === undefined) return fail("D", "key record has no p= tag");
    if (p === "") return fail("J", "key revoked (empty p=)");
    const der = decodeBase64Strict(p);
    if (der === null) return fail("E", "p= is not valid base64");
    const key = parseSpki(der);
    if (!key.ok) return fail("E", `p= is ${key.error}`);
    const { bits } = key.value;
    if (bits < minBits) return fail("E", `key too short (${bits} bits)`);
    if (bits > MAX_RSA_BITS) return fail("E", `key too long (${bits} bits)`);
    // The backends' own rule (odd modulus, odd e from 3 to 2^32 - 1), so a
    // key they would refuse is E here, never B after the lookup.
    const usable = usableKey(key.value);
    if (typeof usable === "string") {
      return fail("E", `key is unusable: ${usable}`);
    }
    return ok({ key: key.value, testing, granularity });
  };
  return { early: null, granularity, testing, rest: rest() };
}

/**
 * What a {@link KeyRecordReading} gives the sender `localPart` (null: any
 * sender): the key, or the letter {@link parseKeyRecord} would give.
 */
export function keyRecordFor(
  reading: KeyRecordReading,
  localPart: string | null,
): Result<KeyRecord, KeyRecordFailure> {
  if (reading.early !== null) return err(reading.early);
  const g = reading.granularity;
  if (
    g !== "" && localPart !== null &&
    g.toLowerCase() !== localPart.toLowerCase()
  ) {
    return err({
      ...status(
        "L",
        `key is for sender "${printable(g)}" only (g=), not "${
          printable(localPart)
        }"`,
      ),
      testing: reading.testing,
    });
  }
  return reading.rest;
}
