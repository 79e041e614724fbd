/**
 * A test-only crypto backend on node:crypto (OpenSSL): an independent
 * oracle for the DomainKeys engine's tests, apart from dk's own backends.
 *
 * @module
 */

import { createHash, createVerify } from "node:crypto";
import { Buffer } from "node:buffer";
import type { CryptoBackend, HashName } from "../../core/crypto/backend.ts";
import { encodeSpki } from "../../core/crypto/keys.ts";

/** The node:crypto oracle (named "bigint" only to satisfy the type). */
export const nodeBackend: CryptoBackend = {
  name: "bigint",
  hash(alg: HashName) {
    const h = createHash(alg);
    return {
      update: (b: Uint8Array) => void h.update(b),
      digest: () => new Uint8Array(h.digest()),
    };
  },
  verifier(alg: HashName) {
    const parts: Uint8Array[] = [];
    return {
      update: (b: Uint8Array) => void parts.push(b.slice()),
      verify(key, signature) {
        const v = createVerify(alg === "sha1" ? "RSA-SHA1" : "RSA-SHA256");
        for (const p of parts) v.update(p);
        try {
          return Promise.resolve(v.verify(
            {
              key: Buffer.from(encodeSpki(key.n, key.e)),
              format: "der",
              type: "spki",
            },
            signature,
          ));
        } catch {
          return Promise.resolve(false);
        }
      },
    };
  },
};
