/**
 * RSA PKCS#1 v1.5 signing (RFC 8017 section 8.2) of a byte stream, through
 * the platform only: never hand-written private-key arithmetic. Up to
 * `bufferLimit` bytes are buffered and signed with WebCrypto, which starts
 * in well under a millisecond; a longer stream switches to `node:crypto`'s
 * streaming signer (about 50 ms to load in Deno, paid only by big messages)
 * so memory stays bounded. Both give the same bytes: PKCS#1 v1.5 signatures
 * are deterministic.
 *
 * @module
 */

import type { HashName } from "./backend.ts";
import { joinBytes } from "../bytes.ts";

/** Streams at most this many bytes into WebCrypto by default. */
export const DEFAULT_BUFFER_LIMIT = 4 * 1024 * 1024;

interface NodeSign {
  update(bytes: Uint8Array): unknown;
  sign(key: unknown): Uint8Array;
}

interface NodeCrypto {
  createSign(alg: string): NodeSign;
  createPrivateKey(options: unknown): unknown;
}

/**
 * Feeds bytes with `update()`; `sign()` once with a PKCS#8 DER private key
 * resolves to the signature, or rejects when the key is not a usable RSA
 * key.
 */
export class StreamSigner {
  readonly #alg: HashName;
  readonly #limit: number;
  #chunks: Uint8Array[] = [];
  #size = 0;
  #node: Promise<void> | null = null;
  #nodeCrypto: NodeCrypto | null = null;
  #nodeSign: NodeSign | null = null;

  /** A signer for `alg`, buffering up to `bufferLimit` bytes. */
  constructor(alg: HashName, bufferLimit = DEFAULT_BUFFER_LIMIT) {
    this.#alg = alg;
    this.#limit = bufferLimit;
  }

  /** Adds bytes to be signed (copied; the caller may reuse its buffer). */
  update(bytes: Uint8Array): void {
    if (this.#nodeSign) {
      this.#nodeSign.update(bytes);
      return;
    }
    this.#chunks.push(bytes.slice());
    this.#size += bytes.length;
    if (this.#size > this.#limit && !this.#node) this.#node = this.#switch();
  }

  async #switch(): Promise<void> {
    const nodeCrypto = await import("node:crypto") as unknown as NodeCrypto;
    const sign = nodeCrypto.createSign(
      this.#alg === "sha1" ? "RSA-SHA1" : "RSA-SHA256",
    );
    for (const chunk of this.#chunks) sign.update(chunk);
    this.#chunks = [];
    this.#nodeCrypto = nodeCrypto;
    this.#nodeSign = sign;
  }

  /**
   * Signs everything fed so far with `pkcs8` (DER PrivateKeyInfo). WebCrypto
   * runs the private-key operation off this thread: `meanwhile`, if given,
   * is called once while it runs, for work that can overlap it. Rejects when
   * the key cannot be used.
   */
  async sign(pkcs8: Uint8Array, meanwhile?: () => void): Promise<Uint8Array> {
    if (this.#node) await this.#node;
    if (this.#nodeSign && this.#nodeCrypto) {
      const { Buffer } = await import("node:buffer");
      const key = this.#nodeCrypto.createPrivateKey({
        key: Buffer.from(pkcs8),
        format: "der",
        type: "pkcs8",
      });
      meanwhile?.();
      return new Uint8Array(this.#nodeSign.sign(key));
    }
    const key = await crypto.subtle.importKey(
      "pkcs8",
      pkcs8.slice(),
      {
        name: "RSASSA-PKCS1-v1_5",
        hash: this.#alg === "sha1" ? "SHA-1" : "SHA-256",
      },
      false,
      ["sign"],
    );
    const data = joinBytes(this.#chunks);
    this.#chunks = [];
    const signing = crypto.subtle.sign("RSASSA-PKCS1-v1_5", key, data);
    meanwhile?.();
    return new Uint8Array(await signing);
  }
}
