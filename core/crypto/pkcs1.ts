/**
 * EMSA-PKCS1-v1_5 (RFC 8017, section 9.2): the one expected encoding of a
 * digest, and a constant-time comparison. A verifier builds the expected
 * block and compares it whole with the recovered one; nothing is parsed out
 * of attacker-chosen bytes.
 *
 * @module
 */

import type { HashName } from "./backend.ts";

/** DigestInfo DER prefixes (RFC 8017, section 9.2, note 1). */
export const DIGEST_INFO_PREFIX: Readonly<Record<HashName, Uint8Array>> = {
  sha1: Uint8Array.from([
    0x30,
    0x21,
    0x30,
    0x09,
    0x06,
    0x05,
    0x2b,
    0x0e,
    0x03,
    0x02,
    0x1a,
    0x05,
    0x00,
    0x04,
    0x14,
  ]),
  sha256: Uint8Array.from([
    0x30,
    0x31,
    0x30,
    0x0d,
    0x06,
    0x09,
    0x60,
    0x86,
    0x48,
    0x01,
    0x65,
    0x03,
    0x04,
    0x02,
    0x01,
    0x05,
    0x00,
    0x04,
    0x20,
  ]),
};

/** Digest lengths in bytes. */
export const DIGEST_LENGTH: Readonly<Record<HashName, number>> = {
  sha1: 20,
  sha256: 32,
};

/**
 * The encoded block `00 01 FF…FF 00 || DigestInfo || digest` of `length`
 * bytes (RFC 8017, section 9.2). Returns null when the digest's length is
 * wrong for `alg` or `length` leaves fewer than 8 bytes of FF padding.
 */
export function emsaPkcs1v15(
  alg: HashName,
  digest: Uint8Array,
  length: number,
): Uint8Array | null {
  const prefix = DIGEST_INFO_PREFIX[alg];
  if (digest.length !== DIGEST_LENGTH[alg]) return null;
  const tLen = prefix.length + digest.length;
  if (length < tLen + 11) return null;
  const block = new Uint8Array(length);
  block[1] = 0x01;
  block.fill(0xff, 2, length - tLen - 1);
  block.set(prefix, length - tLen);
  block.set(digest, length - digest.length);
  return block;
}

/**
 * True when `a` and `b` hold the same bytes. Looks at every byte whatever
 * the earlier ones held; only the lengths (public) can end it early.
 */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i] ^ b[i];
  return diff === 0;
}
