/**
 * The DKIM key record (RFC 6376 section 3.6.1, RFC 8301, RFC 8463; dkim.md
 * 3.1–3.2): the TXT text at `SELECTOR._domainkey.DOMAIN`, read into a key
 * with its flags, or the letter that says why it cannot be used (L, N, R).
 * The checks that need the signature (V, Y) are {@link keyRefuses}.
 *
 * @module
 */

import { ALGORITHMS, type DkimSignature, type KeyType } from "./signature.ts";
import { base64Value, listValue, parseTagList, plainValue } from "./tags.ts";
import type { RsaPublicKey } from "../crypto/backend.ts";
import { parseRsaPublicKey, parseSpki } from "../crypto/keys.ts";
import { MAX_RSA_BITS, usableKey } from "../crypto/key_policy.ts";
import { printable } from "../printable.ts";
import { err, ok, type Result } from "../result.ts";
import { type DkimStatus, dkimStatus } from "../status.ts";

/** RFC 8301's floor for RSA moduli, in bits (raised by DK_MIN_KEY_BITS). */
export const DKIM_MIN_RSA_BITS = 1024;

/** A usable DKIM key record. */
export interface DkimKey {
  /** `k=`. */
  keyType: KeyType;
  /** The RSA key (`k=rsa`). */
  rsa?: RsaPublicKey;
  /** The raw 32-byte Ed25519 key (`k=ed25519`). */
  ed25519?: Uint8Array;
  /** `h=` lowercased, or null when absent (all hashes). */
  hashes: string[] | null;
  /** `t=y`: testing. */
  testing: boolean;
  /** `t=s`: `i=` must use exactly `d=`. */
  strict: boolean;
}

/**
 * True when a TXT text is a key candidate (3.2): it contains `p=` or starts
 * with `v=DKIM1`. Other records (SPF and the like) are skipped.
 */
export function isKeyCandidate(text: string): boolean {
  return text.includes("p=") || /^v=DKIM1/.test(text);
}

/**
 * Reads a key record's text (latin1). `minBits` is the smallest RSA modulus
 * accepted (never under 1024). Returns the key, or L (unusable record:
 * syntax, `v=` not `DKIM1` or not first, unknown `k=`, no `email` in `s=`,
 * no `p=`), N (`p=` empty: revoked) or R (a key that is not one, or too
 * weak or too big).
 */
export function parseKeyRecord(
  text: string,
  minBits = DKIM_MIN_RSA_BITS,
): Result<DkimKey, DkimStatus> {
  const parsed = parseTagList(text);
  if (!parsed.ok) return err(dkimStatus("L", `key record: ${parsed.error}`));
  const { tags, byName } = parsed.value;
  const get = (name: string) => byName.get(name)?.value;
  const version = byName.get("v");
  if (version && (version.value !== "DKIM1" || tags[0] !== version)) {
    return err(dkimStatus("L", "key record: v= is not DKIM1 or not first"));
  }
  const keyType = (plainValue(get("k") ?? "rsa") ?? "").toLowerCase();
  if (keyType !== "rsa" && keyType !== "ed25519") {
    return err(dkimStatus("L", `key record: k=${printable(get("k")!)}`));
  }
  const services = listValue(get("s") ?? "*", ":");
  if (
    services === null ||
    !services.some((s) => s === "*" || s.toLowerCase() === "email")
  ) {
    return err(dkimStatus("L", "key record: s= is not for email"));
  }
  let hashes: string[] | null = null;
  if (get("h") !== undefined) {
    hashes = listValue(get("h")!, ":")?.map((h) => h.toLowerCase()) ?? null;
    if (hashes === null) return err(dkimStatus("L", "key record: bad h="));
  }
  const flags = listValue(get("t") ?? "-", ":") ?? [];
  const p = get("p");
  if (p === undefined) return err(dkimStatus("L", "key record has no p="));
  const der = base64Value(p);
  if (der === null) return err(dkimStatus("L", "key record: p= is not base64"));
  if (der.length === 0) return err(dkimStatus("N", "key revoked (p= empty)"));
  const record = {
    keyType,
    hashes,
    testing: flags.includes("y"),
    strict: flags.includes("s"),
  } as DkimKey;
  if (keyType === "ed25519") {
    if (der.length !== 32) {
      return err(dkimStatus("R", "ed25519 p= is not 32 raw bytes"));
    }
    return ok({ ...record, ed25519: der });
  }
  const rsa = _rsaKey(der, Math.max(DKIM_MIN_RSA_BITS, minBits));
  if (typeof rsa === "string") return err(dkimStatus("R", rsa));
  return ok({ ...record, rsa });
}

function _rsaKey(der: Uint8Array, minBits: number): RsaPublicKey | string {
  let key = parseSpki(der);
  if (!key.ok) key = parseRsaPublicKey(der);
  if (!key.ok) return "p= is not an RSA public key";
  const usable = usableKey(key.value);
  if (typeof usable === "string") return usable;
  if (usable.bits < minBits || usable.bits > MAX_RSA_BITS) {
    return `RSA key of ${usable.bits} bits is outside ${minBits}–${MAX_RSA_BITS} (RFC 8301)`;
  }
  return key.value;
}

/**
 * The letter when `key` cannot serve `sig` (3.1, 3.3 step 3): V when `k=` is
 * not the type `a=` needs or `h=` lacks its hash; Y under `t=s` when the
 * `i=` domain is not exactly `d=`. Null when the key fits.
 */
export function keyRefuses(
  key: DkimKey,
  sig: DkimSignature,
): DkimStatus | null {
  const { hash, keyType } = ALGORITHMS[sig.algorithm];
  if (key.keyType !== keyType) {
    return dkimStatus("V", `key is k=${key.keyType}, a= needs ${keyType}`);
  }
  if (key.hashes !== null && !key.hashes.includes(hash)) {
    return dkimStatus("V", `key h= does not allow ${hash}`);
  }
  if (key.strict && sig.identity.domain !== sig.domain) {
    return dkimStatus("Y", "key t=s: i= domain must be d= exactly");
  }
  return null;
}
