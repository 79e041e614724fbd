/**
 * Which RSA public keys the seam accepts, decided once for every backend so
 * they all refuse the same keys: a modulus of 512–8192 bits that is odd, and
 * an odd public exponent from 3 to 2³² − 1.
 *
 * @module
 */

import type { RsaPublicKey } from "./backend.ts";

/** Smallest modulus accepted, in bits (old DomainKeys records used 512/768). */
export const MIN_RSA_BITS = 512;
/** Largest modulus accepted, in bits (domainkeys.md 1.8: over 8192 is E). */
export const MAX_RSA_BITS = 8192;

/** Smallest modulus a verifier accepts when DK_MIN_KEY_BITS is unset (RFC 8301). */
export const DEFAULT_MIN_KEY_BITS = 1024;

/**
 * Reads a DK_MIN_KEY_BITS value, the one parser of it (`dk verify`,
 * `dk dns check`, queue mode): unset or empty gives 1024; returns an error
 * message for anything but a number of up to five digits.
 */
export function minKeyBitsFromEnv(value: string | undefined): number | string {
  if (value === undefined || value === "") return DEFAULT_MIN_KEY_BITS;
  if (!/^[0-9]{1,5}$/.test(value)) {
    return `DK_MIN_KEY_BITS="${value}" is not a number of bits`;
  }
  return Number(value);
}

/** A key the backends can use: modulus without leading zeros, e as a number. */
export interface UsableKey {
  /** Modulus, big-endian, no leading zero bytes. */
  n: Uint8Array;
  /** Public exponent. */
  e: number;
  /** Modulus size in bits (recomputed from `n`, not taken from the caller). */
  bits: number;
}

/**
 * Checks `key` against the policy. Returns the usable form, or a reason
 * (sentence case, no final period) when the key is refused.
 */
export function usableKey(key: RsaPublicKey): UsableKey | string {
  const n = _stripZeros(key.n);
  if (n.length === 0) return "Cannot use RSA key: modulus is zero";
  const bits = 8 * n.length - (Math.clz32(n[0]) - 24);
  if (bits < MIN_RSA_BITS || bits > MAX_RSA_BITS) {
    return `Cannot use RSA key: modulus of ${bits} bits is outside ${MIN_RSA_BITS}–${MAX_RSA_BITS}`;
  }
  if ((n[n.length - 1] & 1) === 0) {
    return "Cannot use RSA key: modulus is even";
  }
  const e = _stripZeros(key.e);
  if (e.length > 4) return "Cannot use RSA key: public exponent above 2^32";
  let value = 0;
  for (const byte of e) value = value * 256 + byte;
  if (value < 3 || value % 2 === 0) {
    return `Cannot use RSA key: public exponent ${value} is not odd and at least 3`;
  }
  return { n, e: value, bits };
}

function _stripZeros(bytes: Uint8Array): Uint8Array {
  let start = 0;
  while (start < bytes.length && bytes[start] === 0) start++;
  return bytes.subarray(start);
}
