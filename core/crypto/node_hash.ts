/**
 * Streaming SHA-1 / SHA-256 from the runtime's own `node:crypto` (native
 * code): the hash of the `bigint` and `webcrypto` backends, since
 * `crypto.subtle.digest` can neither stream nor answer synchronously.
 *
 * @module
 */

import { createHash } from "node:crypto";
import type { HashName, HashStream } from "./backend.ts";

/** A new streaming hash from `node:crypto`. Never fails for "sha1"/"sha256". */
export function nodeHash(alg: HashName): HashStream {
  const hash = createHash(alg);
  return {
    update(bytes: Uint8Array): void {
      hash.update(bytes);
    },
    digest(): Uint8Array {
      return new Uint8Array(hash.digest());
    },
  };
}
