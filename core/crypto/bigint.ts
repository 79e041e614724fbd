/**
 * The reference backend: the RSA public operation in plain TypeScript with
 * V8's BigInt, then the same whole-block PKCS#1 v1.5 comparison as the
 * others (`pkcs1.ts`). Hashing uses `node:crypto`. Simple enough to read
 * against RFC 8017 section 8.2.2; the other backends are tested against it.
 *
 * @module
 */

import type {
  CryptoBackend,
  HashName,
  HashStream,
  RsaPublicKey,
  Verifier,
} from "./backend.ts";
import { KeyCache } from "./key_cache.ts";
import { usableKey } from "./key_policy.ts";
import { nodeHash } from "./node_hash.ts";
import { constantTimeEqual, emsaPkcs1v15 } from "./pkcs1.ts";

/**
 * `base^exponent mod modulus`, square-and-multiply left to right. Returns 0n
 * for inputs it does not define: modulus ≤ 1, or a negative base or exponent.
 */
export function modPow(
  base: bigint,
  exponent: bigint,
  modulus: bigint,
): bigint {
  if (modulus <= 1n || base < 0n || exponent < 0n) return 0n;
  const bits = exponent.toString(2);
  const b = base % modulus;
  let result = 1n;
  for (const bit of bits) {
    result = (result * result) % modulus;
    if (bit === "1") result = (result * b) % modulus;
  }
  return result;
}

/** The unsigned big-endian value of `bytes` (0n for no bytes). */
export function bytesToBigInt(bytes: Uint8Array): bigint {
  if (bytes.length === 0) return 0n;
  let hex = "0x";
  for (const byte of bytes) hex += _HEX[byte];
  return BigInt(hex);
}

/**
 * `value` as exactly `length` big-endian bytes. Returns null when it is
 * negative or does not fit.
 */
export function bigIntToBytes(
  value: bigint,
  length: number,
): Uint8Array | null {
  if (value < 0n) return null;
  const hex = value.toString(16);
  if (hex.length > 2 * length) return null;
  const padded = hex.padStart(2 * length, "0");
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) {
    out[i] = parseInt(padded.slice(2 * i, 2 * i + 2), 16);
  }
  return out;
}

const _HEX = Array.from(
  { length: 256 },
  (_, i) => i.toString(16).padStart(2, "0"),
);

interface _Prepared {
  n: bigint;
  e: bigint;
  length: number;
}

const _prepared = new KeyCache<_Prepared | null>();

function _prepare(key: RsaPublicKey): _Prepared | null {
  return _prepared.get(key, () => {
    const usable = usableKey(key);
    if (typeof usable === "string") return null;
    return {
      n: bytesToBigInt(usable.n),
      e: BigInt(usable.e),
      length: usable.n.length,
    };
  });
}

/**
 * `signature^e mod n` as a block of the modulus' length. Returns null when
 * the key is refused by the policy (`key_policy.ts`), the signature's length
 * differs from the modulus' or its value is not below n.
 */
export function bigintRsaPublic(
  key: RsaPublicKey,
  signature: Uint8Array,
): Uint8Array | null {
  const prepared = _prepare(key);
  if (prepared === null || signature.length !== prepared.length) return null;
  const s = bytesToBigInt(signature);
  if (s >= prepared.n) return null;
  return bigIntToBytes(modPow(s, prepared.e, prepared.n), prepared.length);
}

/**
 * True when `signature` is a valid PKCS#1 v1.5 signature of `digest`;
 * false for every bad input (refused key, wrong lengths, bad block).
 */
export function bigintVerifyDigest(
  key: RsaPublicKey,
  alg: HashName,
  digest: Uint8Array,
  signature: Uint8Array,
): boolean {
  const block = bigintRsaPublic(key, signature);
  if (block === null) return false;
  const expected = emsaPkcs1v15(alg, digest, block.length);
  return expected !== null && constantTimeEqual(block, expected);
}

/**
 * The BigInt reference backend. Its verifiers answer false for every bad
 * input (refused key, wrong signature length, value ≥ n, bad block); its
 * `rsaPublic` answers null for the same inputs.
 */
export const bigintBackend: CryptoBackend = {
  name: "bigint",
  hash(alg: HashName): HashStream {
    return nodeHash(alg);
  },
  verifier(alg: HashName): Verifier {
    const hash = nodeHash(alg);
    // The digest is taken once: verify() may run once per key record.
    let digest: Uint8Array | undefined;
    return {
      update(bytes: Uint8Array): void {
        hash.update(bytes);
      },
      verify(key: RsaPublicKey, signature: Uint8Array): Promise<boolean> {
        return Promise.resolve(
          bigintVerifyDigest(key, alg, digest ??= hash.digest(), signature),
        );
      },
    };
  },
  rsaPublic: bigintRsaPublic,
};
