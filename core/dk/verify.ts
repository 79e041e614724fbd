/**
 * DomainKeys verification (RFC 4870 section 3.5, domainkeys.md 1.10):
 * streams the message through canonicalization into the crypto seam's
 * SHA-1 verifier, looks the key up through the injected resolver while the
 * body streams, and ends in one status letter with a plain-words reason.
 *
 * @module
 */

import { BodyCanonicalizer, canonHeaders } from "./canon.ts";
import { bareDomain, domainMatches } from "./domain.ts";
import { fieldsAt, hOrder, messageOrder, sameOrder } from "./header_order.ts";
import {
  DEFAULT_MIN_KEY_BITS,
  type KeyRecord,
  type KeyRecordFailure,
  keyRecordFor,
} from "./key_record.ts";
import { keyRecordReadings } from "./answer_keys.ts";
import { type DkSignature, parseSignature } from "./signature.ts";
import { printable } from "../printable.ts";
import { type Address, sendingAddress } from "../message/address.ts";
import { fieldValue, startsWithWhitespace } from "../message/header.ts";
import { type HeaderInfo, MessageSplitter } from "../message/splitter.ts";
import { decodeBase64Strict } from "../crypto/base64.ts";
import type { CryptoBackend, Verifier } from "../crypto/backend.ts";
import type { Resolver, TxtAnswer } from "../dns/resolver.ts";
import { type Letter, type Status, status } from "../status.ts";

/** One way of ordering the hashed headers (domainkeys.md 1.4). */
interface Reading {
  name: "message order" | "h= order";
  /** Field indices, in the order they are hashed. */
  indices: number[];
}

/** What verification needs from outside. */
export interface VerifyOptions {
  /** Where key records come from. */
  resolver: Resolver;
  /** The crypto backend (DK_CRYPTO). */
  backend: CryptoBackend;
  /** Smallest RSA modulus accepted (DK_MIN_KEY_BITS, default 1024). */
  minKeyBits?: number;
  /**
   * Which `DomainKey-Signature` to evaluate, 0 (the default) the topmost;
   * a lower one is evaluated as if it were topmost (only the headers below
   * it hashed, 1.4), for `dk verify`'s report of every signature.
   */
  nth?: number;
  /**
   * False: leave {@link VerifyResult.explain} empty (nothing will print it,
   * so its text is never made). Default true.
   */
  explain?: boolean;
}

/** The outcome of verifying one message. */
export interface VerifyResult extends Status {
  /** `d=` of the evaluated signature. */
  domain?: string;
  /** `s=` of the evaluated signature. */
  selector?: string;
  /** The sending domain (Sender, else From), when one was found. */
  sendingDomain?: string;
  /** The sending address and the header it came from, when one was found. */
  sender?: Address;
  /** The key record said `t=y` (testing). */
  testing: boolean;
  /**
   * Plain-words account of what was checked, for `--explain` (empty when
   * the verifier was made with `explain: false`).
   */
  explain: string[];
}

/**
 * A streaming DomainKeys verifier: `update()` with the message in any
 * chunks, then `finish()` once.
 */
export class DkVerifier {
  readonly #options: VerifyOptions;
  readonly #splitter: MessageSplitter;
  readonly #explain: string[] = [];
  readonly #explaining: boolean;
  #early: Status | null = null;
  #signature: DkSignature | null = null;
  #localPart = "";
  #sendingDomain: string | undefined;
  #sender: Address | undefined;
  readonly #verifiers: { name: Reading["name"]; verifier: Verifier }[] = [];
  #body: BodyCanonicalizer | null = null;
  #lookup: Promise<TxtAnswer> | null = null;
  #keyName = "";

  /** Creates a verifier. */
  constructor(options: VerifyOptions) {
    this.#options = options;
    this.#explaining = options.explain ?? true;
    this.#splitter = new MessageSplitter(
      (info) => this.#onHeaders(info),
      (bytes) => this.#body?.update(bytes),
    );
  }

  /** Feeds message bytes. */
  update(chunk: Uint8Array): void {
    this.#splitter.update(chunk);
  }

  #fail(code: Letter, reason: string): void {
    this.#early = status(code, reason);
  }

  #onHeaders(info: HeaderInfo): void {
    const fields = info.fields;
    if (startsWithWhitespace(fields)) {
      this.#fail(
        "G",
        "bad format: the first header line starts with a space or tab",
      );
      return;
    }
    const nth = this.#options.nth ?? 0;
    let index = fields.indexOf("domainkey-signature");
    for (let n = 0; n < nth && index >= 0; n++) {
      index = fields.indexOf("domainkey-signature", index + 1);
    }
    const address = sendingAddress(fields);
    if (address.ok) {
      this.#sendingDomain = address.value.domain;
      this.#sender = address.value;
    }
    if (index < 0) {
      this.#fail(
        "C",
        info.overflow
          ? "no DomainKey-Signature in the first 1 MiB of headers"
          : "no DomainKey-Signature header",
      );
      return;
    }
    if (info.overflow) {
      this.#fail("G", "header section larger than 1 MiB");
      return;
    }
    if (this.#explaining) {
      this.#explain.push(
        `signature: the DomainKey-Signature header at position ${index + 1} ` +
          `of the header section (${
            nth === 0 ? "the topmost one" : `number ${nth + 1} from the top`
          })`,
      );
    }
    const parsed = parseSignature(fieldValue(fields.at(index)!));
    if (!parsed.ok) {
      this.#early = parsed.error;
      return;
    }
    const sig = parsed.value;
    this.#signature = sig;
    if (!address.ok) {
      this.#fail("G", address.error);
      return;
    }
    const { local, domain, header } = address.value;
    this.#localPart = local;
    if (this.#explaining) {
      this.#explain.push(
        `sending address: ${printable(local)}@${printable(domain)} ` +
          `(from the ${header === "from" ? "From" : "Sender"}: header)`,
      );
    }
    if (!domainMatches(domain, sig.domain)) {
      this.#fail(
        "G",
        `sending domain ${printable(domain)} is not d=${
          printable(sig.domain)
        } ` +
          "or below it",
      );
      return;
    }
    // A set: h= may name thousands of headers (1.10 caps it at 1,000).
    const named = sig.headers && new Set(sig.headers);
    if (named && !named.has(header)) {
      this.#fail("G", `h= does not include the ${header} header`);
      return;
    }
    // Message order first; h= order too when it differs (1.4).
    const inMessageOrder = messageOrder(fields, index, named);
    const readings: Reading[] = [{
      name: "message order",
      indices: inMessageOrder,
    }];
    if (sig.headers) {
      const inHOrder = hOrder(fields, index, sig.headers);
      if (!sameOrder(inHOrder, inMessageOrder)) {
        readings.push({ name: "h= order", indices: inHOrder });
      }
    }
    if (this.#explaining) {
      const count = inMessageOrder.length;
      const names = inMessageOrder.slice(0, 50).map((i) =>
        printable(fields.at(i)!.name, 40)
      );
      this.#explain.push(
        `hashed headers (${sig.canon}): ` +
          (count
            ? names.join(", ") + (count > 50 ? ` and ${count - 50} more` : "")
            : "none"),
      );
      if (readings.length > 1) {
        this.#explain.push(
          "h= lists the headers in another order than the message: " +
            "message order is checked first, then h= order (Mail::DKIM's)",
        );
      }
    }
    this.#keyName = `${sig.selector}._domainkey.${bareDomain(sig.domain)}`
      .toLowerCase();
    // Ask DNS now, while the body streams through the hash.
    this.#lookup = this.#options.resolver.txt(this.#keyName);
    this.#lookup.catch(() => {});
    for (const reading of readings) {
      const verifier = this.#options.backend.verifier("sha1");
      canonHeaders(
        fieldsAt(fields, reading.indices),
        sig.canon,
        (b) => verifier.update(b),
      );
      this.#verifiers.push({ name: reading.name, verifier });
    }
    const verifiers = this.#verifiers;
    this.#body = new BodyCanonicalizer(sig.canon, (b) => {
      for (const v of verifiers) v.verifier.update(b);
    });
  }

  /** Ends the input and returns the result. Never throws. */
  async finish(): Promise<VerifyResult> {
    try {
      return await this.#finish();
    } catch (e) {
      return this.#result(
        status("K", `internal error: ${(e as Error).message}`),
      );
    }
  }

  #result(s: Status, testing = false): VerifyResult {
    const sig = this.#signature;
    return {
      ...s,
      domain: sig?.domain,
      selector: sig?.selector,
      sendingDomain: this.#sendingDomain,
      sender: this.#sender,
      testing,
      explain: this.#explain,
    };
  }

  async #finish(): Promise<VerifyResult> {
    this.#splitter.end();
    this.#body?.end();
    if (this.#early) return this.#result(this.#early);
    const sig = this.#signature!;
    if (this.#explaining) {
      this.#explain.push(`key record: TXT ${printable(this.#keyName)}`);
    }
    const answer = await this.#lookup!;
    if (answer.kind === "nxdomain") {
      return this.#result(
        status("D", `no key: ${this.#keyName} does not exist`),
      );
    }
    if (answer.kind === "nodata") {
      return this.#result(
        status("D", `no key: ${this.#keyName} has no TXT record`),
      );
    }
    if (answer.kind === "tempfail") {
      return this.#result(
        status("F", `cannot fetch the key: ${answer.reason}`),
      );
    }
    const readings = keyRecordReadings(
      answer,
      this.#options.minKeyBits ?? DEFAULT_MIN_KEY_BITS,
    );
    if (readings.length === 0) {
      return this.#result(
        status("D", `no key record (p=) at ${this.#keyName}`),
      );
    }
    const keys: KeyRecord[] = [];
    const failures: KeyRecordFailure[] = [];
    for (const reading of readings) {
      const record = keyRecordFor(reading, this.#localPart);
      if (record.ok) keys.push(record.value);
      else failures.push(record.error);
    }
    if (keys.length === 0) {
      for (const code of ["J", "L", "E", "D"] as const) {
        const f = failures.find((x) => x.letter === code);
        if (f) return this.#result(f, f.testing);
      }
    }
    const signature = decodeBase64Strict(sig.b);
    if (sig.b === "" || signature === null) {
      if (this.#explaining) this.#explain.push("b= is empty or not base64");
      return this.#result(
        status("B", "signature (b=) is not valid base64"),
        keys[0].testing,
      );
    }
    const orders = this.#verifiers.length;
    for (const { name, verifier } of this.#verifiers) {
      for (const record of keys) {
        if (this.#explaining) {
          this.#explain.push(
            `RSA-SHA1 check with a ${record.key.bits}-bit key` +
              (orders > 1 ? `, headers in ${name}` : ""),
          );
        }
        if (await verifier.verify(record.key, signature)) {
          if (this.#explaining) {
            this.#explain.push(`verified reading the headers in ${name}`);
          }
          return this.#result(
            status("A", "signature verifies"),
            record.testing,
          );
        }
      }
    }
    return this.#result(
      status("B", "signature does not verify (message changed or wrong key)"),
      keys.some((k) => k.testing),
    );
  }
}
