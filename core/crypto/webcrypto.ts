/**
 * The runtime's own backend: RSASSA-PKCS1-v1_5 through
 * `crypto.subtle.verify`. WebCrypto cannot stream, so the verifier buffers
 * the signed bytes; the key is handed over as SPKI DER built from n and e
 * (`encodeSpki()` in `keys.ts`) and imported once per key and hash. Hashing uses
 * `node:crypto`. WebCrypto has no raw RSA operation, so `rsaPublic` is
 * absent.
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
import { encodeSpki } from "./keys.ts";
import { importSource } from "../source.ts";
import { joinBytes } from "../bytes.ts";

const _HASH: Record<HashName, string> = { sha1: "SHA-1", sha256: "SHA-256" };

/** Largest modulus Deno's WebCrypto imports, in bits. */
export const WEBCRYPTO_MAX_BITS = 4096;

const _imported: Record<HashName, KeyCache<Promise<CryptoKey | null>>> = {
  sha1: new KeyCache(),
  sha256: new KeyCache(),
};

function _importKey(
  key: RsaPublicKey,
  alg: HashName,
): Promise<CryptoKey | null> {
  return _imported[alg].get(key, () => {
    const usable = usableKey(key);
    if (typeof usable === "string") return Promise.resolve(null);
    return crypto.subtle.importKey(
      "spki",
      encodeSpki(usable.n, key.e),
      { name: "RSASSA-PKCS1-v1_5", hash: _HASH[alg] },
      false,
      ["verify"],
    ).catch(() => null);
  });
}

/**
 * True when `signature` is a valid PKCS#1 v1.5 signature of `data` under
 * `key` and `alg`, by `crypto.subtle.verify`; false for every bad input,
 * including keys the policy refuses and signatures not exactly as long as
 * the modulus (WebCrypto's own errors are caught and answer false).
 */
export async function webcryptoVerify(
  key: RsaPublicKey,
  alg: HashName,
  data: Uint8Array,
  signature: Uint8Array,
): Promise<boolean> {
  const usable = usableKey(key);
  if (typeof usable === "string" || signature.length !== usable.n.length) {
    return false;
  }
  if (usable.bits > WEBCRYPTO_MAX_BITS) {
    // Deno's WebCrypto refuses moduli over 4096 bits; the policy allows
    // 8192 (domainkeys.md 1.8): the BigInt reference, loaded only for these.
    const { bigintVerifyDigest } = await importSource<
      typeof import("./bigint.ts")
    >("core/crypto/bigint.ts");
    const hash = nodeHash(alg);
    hash.update(data);
    return bigintVerifyDigest(key, alg, hash.digest(), signature);
  }
  const cryptoKey = await _importKey(key, alg);
  if (cryptoKey === null) return false;
  try {
    return await crypto.subtle.verify(
      "RSASSA-PKCS1-v1_5",
      cryptoKey,
      new Uint8Array(signature),
      data.buffer instanceof ArrayBuffer
        ? data as Uint8Array<ArrayBuffer>
        : new Uint8Array(data),
    );
  } catch {
    return false;
  }
}

/**
 * The WebCrypto backend. Its verifiers answer false for every bad input, as
 * {@link webcryptoVerify} does; it has no `rsaPublic`.
 */
export const webcryptoBackend: CryptoBackend = {
  name: "webcrypto",
  hash(alg: HashName): HashStream {
    return nodeHash(alg);
  },
  verifier(alg: HashName): Verifier {
    const chunks: Uint8Array[] = [];
    return {
      update(bytes: Uint8Array): void {
        chunks.push(bytes.slice());
      },
      verify(key: RsaPublicKey, signature: Uint8Array): Promise<boolean> {
        return webcryptoVerify(key, alg, joinBytes(chunks), signature);
      },
    };
  },
};
