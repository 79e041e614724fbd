/**
 * A SHA-256 (or SHA-1) digest of a byte stream through the platform, for
 * signing: up to `bufferLimit` bytes are buffered and hashed by WebCrypto
 * (nothing to load); a longer stream switches to `node:crypto`'s streaming
 * hash (loaded only by big messages) so memory stays bounded. The signing
 * twin of `rsa_sign.ts`'s `StreamSigner`; verification hashes through
 * the crypto backend instead (`backend.ts`), which queue mode's signing then
 * never has to load.
 *
 * @module
 */

import type { HashName } from "./backend.ts";
import { DEFAULT_BUFFER_LIMIT } from "./rsa_sign.ts";
import { joinBytes } from "../bytes.ts";

interface NodeHash {
  update(bytes: Uint8Array): unknown;
  digest(): Uint8Array;
}

/** Feeds bytes with `update()`; `digest()` once resolves to the digest. */
export class StreamDigest {
  readonly #alg: HashName;
  readonly #limit: number;
  #chunks: Uint8Array[] = [];
  #size = 0;
  #switching: Promise<void> | null = null;
  #node: NodeHash | null = null;

  /** A digest of `alg`, buffering up to `bufferLimit` bytes. */
  constructor(alg: HashName, bufferLimit = DEFAULT_BUFFER_LIMIT) {
    this.#alg = alg;
    this.#limit = bufferLimit;
  }

  /** Adds bytes (copied; the caller may reuse its buffer). */
  update(bytes: Uint8Array): void {
    if (this.#node) {
      this.#node.update(bytes);
      return;
    }
    this.#chunks.push(bytes.slice());
    this.#size += bytes.length;
    if (this.#size > this.#limit && !this.#switching) {
      this.#switching = this.#switch();
    }
  }

  async #switch(): Promise<void> {
    const { createHash } = await import("node:crypto");
    const hash = createHash(this.#alg) as unknown as NodeHash;
    for (const chunk of this.#chunks) hash.update(chunk);
    this.#chunks = [];
    this.#node = hash;
  }

  /** The digest of everything fed; call once. */
  async digest(): Promise<Uint8Array> {
    if (this.#switching) await this.#switching;
    if (this.#node) return new Uint8Array(this.#node.digest());
    const data = joinBytes(this.#chunks);
    this.#chunks = [];
    const name = this.#alg === "sha1" ? "SHA-1" : "SHA-256";
    return new Uint8Array(await crypto.subtle.digest(name, data));
  }
}
