/**
 * DomainKeys signing (RFC 4870 section 3.4, domainkeys.md 1.7): streams the
 * message through canonicalization into the platform's RSA-SHA1 signer
 * (`core/crypto/rsa_sign.ts`: WebCrypto, or `node:crypto` for big messages;
 * never hand-written private-key arithmetic), then writes the
 * `DomainKey-Signature` header.
 *
 * @module
 */

import { BodyCanonicalizer, type Canon, canonHeaders } from "./canon.ts";
import { formatSignature } from "./signature.ts";
import { type Address, sendingAddress } from "../message/address.ts";
import { type HeaderInfo, MessageSplitter } from "../message/splitter.ts";
import { startsWithWhitespace } from "../message/header.ts";
import { encodeBase64 } from "../crypto/base64.ts";
import { StreamSigner } from "../crypto/rsa_sign.ts";
import type { PrivateKeyInfo } from "../crypto/keys.ts";
import { err, ok, type Result } from "../result.ts";
import { type Status, status } from "../status.ts";

/** How to sign. */
export interface SignOptions {
  /** Canonicalization (dk's default is nofws). */
  canon: Canon;
  /** Only these header names (lowercase) are signed, written as `h=`. */
  headers?: string[];
}

/** What `end()` learned about the message: the sending address and what signing needs to know. */
export interface SenderFacts {
  /** Local part of the sending address. */
  local: string;
  /** Domain of the sending address, as written. */
  domain: string;
  /** Which header gave the address. */
  header: Address["header"];
  /** A DomainKey-Signature is present and no Sender: sits above it (1.7). */
  alreadySigned: boolean;
  /** True when the header section used CRLF line ends. */
  crlf: boolean;
}

/**
 * A streaming DomainKeys signer: `update()` with the message in any chunks,
 * `end()` for the sending address, then `sign()` once with the key.
 */
export class DkSigner {
  readonly #options: SignOptions;
  readonly #hash = new StreamSigner("sha1");
  readonly #splitter: MessageSplitter;
  #body: BodyCanonicalizer;
  #info: HeaderInfo | null = null;
  readonly #signedNames: string[] = [];
  #facts: Result<SenderFacts, Status> | null = null;

  /** Creates a signer. */
  constructor(options: SignOptions) {
    this.#options = options;
    const sink = (bytes: Uint8Array) => this.#hash.update(bytes);
    this.#body = new BodyCanonicalizer(options.canon, sink);
    this.#splitter = new MessageSplitter(
      (info) => this.#onHeaders(info),
      (bytes) => this.#body.update(bytes),
    );
  }

  #onHeaders(info: HeaderInfo): void {
    this.#info = info;
    if (startsWithWhitespace(info.fields)) return; // end() refuses it
    const wanted = this.#options.headers && new Set(this.#options.headers);
    const names = this.#signedNames;
    const signed = function* () {
      for (const f of info.fields) {
        if (!wanted) yield f;
        else if (f.hasColon && wanted.has(f.lower)) {
          names.push(f.name);
          yield f;
        }
      }
    };
    canonHeaders(signed(), this.#options.canon, (b) => this.#hash.update(b));
  }

  /** Feeds message bytes. */
  update(chunk: Uint8Array): void {
    this.#splitter.update(chunk);
  }

  /**
   * Ends the input. Returns the sending address, or G when the message has
   * no usable From/Sender, its first line starts with whitespace (bad
   * format), its header section is too large, or `--headers`
   * leaves out the header that gives the sending address.
   */
  end(): Result<SenderFacts, Status> {
    if (this.#facts) return this.#facts;
    this.#splitter.end();
    this.#body.end();
    const info = this.#info!;
    if (info.overflow) {
      return this.#facts = err(status("G", "header section larger than 1 MiB"));
    }
    if (startsWithWhitespace(info.fields)) {
      // No parseable header section, so no usable sending address (1.7 step
      // 1): refused like a message without From. Signing it would put dk's
      // signature header on top, and the leading line would continue it.
      return this.#facts = err(
        status(
          "G",
          "bad format: the first header line starts with a space or tab",
        ),
      );
    }
    const address = sendingAddress(info.fields);
    if (!address.ok) return this.#facts = err(status("G", address.error));
    const wanted = this.#options.headers;
    if (wanted && !wanted.includes(address.value.header)) {
      return this.#facts = err(
        status("G", `the signed headers must include ${address.value.header}`),
      );
    }
    let alreadySigned = false;
    for (const field of info.fields) {
      if (field.is("sender")) break;
      if (field.is("domainkey-signature")) {
        alreadySigned = true;
        break;
      }
    }
    return this.#facts = ok({
      local: address.value.local,
      domain: address.value.domain,
      header: address.value.header,
      alreadySigned,
      crlf: info.crlf,
    });
  }

  /**
   * Signs with `key` and resolves to the whole header text (every line
   * ending in `lineEnd`). Gives the status of `end()` when that failed, or K
   * when the key cannot be used by the crypto library. `meanwhile`, if
   * given, is called once while the private-key operation runs elsewhere.
   */
  async sign(
    key: PrivateKeyInfo,
    selector: string,
    domain: string,
    lineEnd: "\n" | "\r\n",
    meanwhile?: () => void,
  ): Promise<Result<string, Status>> {
    const facts = this.end();
    if (!facts.ok) return facts;
    let signature: Uint8Array;
    try {
      signature = await this.#hash.sign(key.pkcs8, meanwhile);
    } catch (e) {
      return err(status("K", `cannot sign: ${(e as Error).message}`));
    }
    return ok(formatSignature({
      canon: this.#options.canon,
      selector,
      domain,
      headers: this.#options.headers ? this.#signedNames : undefined,
      b: encodeBase64(signature),
    }, lineEnd));
  }
}
