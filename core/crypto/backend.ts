/**
 * The crypto seam: streaming hashes and RSA PKCS#1 v1.5 verification behind
 * one narrow interface, with three backends (`wasm`, `bigint`, `webcrypto`)
 * chosen by name. Callers in `core/dk` (and later `core/dkim`) only see this
 * interface. Signing is not part of the seam: it goes through the platform
 * (WebCrypto, or `node:crypto` for long messages; see `rsa_sign.ts`), never
 * through hand-written private-key arithmetic.
 *
 * @module
 */

/** Hash algorithms the seam offers. */
export type HashName = "sha1" | "sha256";

/** An RSA public key as big-endian unsigned byte strings. */
export interface RsaPublicKey {
  /** Modulus n, big-endian, no leading zero bytes. */
  n: Uint8Array;
  /** Public exponent e, big-endian, no leading zero bytes. */
  e: Uint8Array;
  /** Size of the modulus in bits. */
  bits: number;
}

/** A streaming hash: feed bytes in any chunking, then take the digest once. */
export interface HashStream {
  /**
   * Adds bytes; the chunking does not change the result. The caller may
   * reuse `bytes` once this returns (nothing keeps a view of them).
   */
  update(bytes: Uint8Array): void;
  /** Returns the digest; the stream must not be used afterwards. */
  digest(): Uint8Array;
}

/**
 * A streaming PKCS#1 v1.5 verifier: feed the signed bytes, then ask whether
 * `signature` is valid for them under `key`. Answers only true or false: no
 * detail on where a bad signature went wrong.
 */
export interface Verifier {
  /**
   * Adds signed bytes. The caller may reuse `bytes` once this returns (a
   * verifier that keeps them keeps a copy).
   */
  update(bytes: Uint8Array): void;
  /**
   * True when `signature` is a valid PKCS#1 v1.5 signature of the bytes fed.
   * May be called more than once (one call per candidate key record); every
   * call judges the same bytes, and no bytes are fed after the first call.
   */
  verify(key: RsaPublicKey, signature: Uint8Array): Promise<boolean>;
}

/** Names of the backends, as `DK_CRYPTO` takes them. */
export type BackendName = "wasm" | "bigint" | "webcrypto";

/** One implementation of the seam. */
export interface CryptoBackend {
  /** The backend's name. */
  readonly name: BackendName;
  /** A new streaming hash. */
  hash(alg: HashName): HashStream;
  /** A new streaming verifier for `alg`. */
  verifier(alg: HashName): Verifier;
  /**
   * Raw RSA public operation: `signature^e mod n` as a big-endian block of the
   * modulus' length, or null when the signature's length differs from the
   * modulus' or its value is not below n. (Benchmarks; not for callers that
   * only need a yes/no.)
   */
  rsaPublic?(key: RsaPublicKey, signature: Uint8Array): Uint8Array | null;
}
