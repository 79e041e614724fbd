/**
 * DKIM verification (RFC 6376 section 6, dkim.md 3): streams a message, reads
 * its first 10 `DKIM-Signature` fields, starts their key lookups through the
 * injected resolver while the body streams through one canonicalizer per
 * body mode (each (mode, hash, `l=`) hashed once and shared), then judges
 * each signature to one letter of the DKIM table and the message to its
 * message letter (3.4). RSA goes through the crypto seam's backend,
 * Ed25519 through WebCrypto; the clock is injected.
 *
 * @module
 */

import { BodyCanonicalizer } from "./canon_body.ts";
import type { CanonMode } from "./canon_header.ts";
import { isALabelName, isAtOrBelow, toALabels } from "./domain_name.ts";
import {
  feedHeaderInput,
  type FieldIndex,
  headerInput,
  indexFields,
  selectFields,
} from "./header_input.ts";
import {
  DKIM_MIN_RSA_BITS,
  type DkimKey,
  isKeyCandidate,
  keyRefuses,
  parseKeyRecord,
} from "./key_record.ts";
import {
  ALGORITHMS,
  type DkimSignature,
  parseSignatureField,
} from "./signature.ts";
import {
  blankResult,
  type DkimSignatureResult,
  type DkimVerifyResult,
  messageLetter,
  setKey,
  setStatus,
} from "./verdict.ts";
import { latin1 } from "../bytes.ts";
import type {
  CryptoBackend,
  HashName,
  HashStream,
  Verifier,
} from "../crypto/backend.ts";
import { ed25519Verify } from "../crypto/ed25519.ts";
import { joinStrings, type Resolver, type TxtAnswer } from "../dns/resolver.ts";
import { parseMailbox } from "../message/address.ts";
import {
  fieldValue,
  type HeaderFields,
  startsWithWhitespace,
} from "../message/header.ts";
import { type HeaderInfo, MessageSplitter } from "../message/splitter.ts";
import { printable } from "../printable.ts";
import { type DkimLetter, type DkimStatus, dkimStatus } from "../status.ts";

export type { DkimSignatureResult, DkimVerifyResult } from "./verdict.ts";

/** At most this many `DKIM-Signature` fields are evaluated (3.4). */
export const MAX_SIGNATURES = 10;

/** What DKIM verification needs from outside. */
export interface DkimVerifyOptions {
  /** Where key records come from. */
  resolver: Resolver;
  /** The crypto backend (DK_CRYPTO): hashes and RSA verification. */
  backend: CryptoBackend;
  /** The evaluation time in seconds since the epoch (`--at`, or now). */
  now: () => number;
  /** Smallest RSA modulus accepted (DK_MIN_KEY_BITS; never under 1024). */
  minKeyBits?: number;
  /** `DK_DKIM_SHA1=accept`: a holding `rsa-sha1` signature is A, not D. */
  acceptSha1?: boolean;
  /** `--honor-l`: E counts as a pass in the message letter. */
  honorLength?: boolean;
  /**
   * qmail-dkim's `UNSIGNED_FROM`: a `From:` field above the signed ones is
   * not X (3.3 step 2 off); an `h=` without `from` stays X.
   */
  unsignedFrom?: boolean;
  /**
   * Called once with the header section when it is complete (during
   * `update()`, or at the start of `finish()`), so a caller can look at the
   * same fields without parsing the header section again.
   */
  onHeaders?: (info: HeaderInfo) => void;
}

/** One signature being evaluated. */
interface Pending {
  result: DkimSignatureResult;
  sig?: DkimSignature;
  /**
   * RSA: the verifier, already fed the header hash input; or the fault that
   * making or feeding it raised, thrown again when the header is checked
   * (so the signature gets P, as if the verifier had failed then).
   */
  header?: { verifier: Verifier } | { fault: unknown };
  /** Ed25519: the header hash input (also checked raw, dkim.md 2.6). */
  input?: Uint8Array;
  body?: _BodyHash;
  lookup?: Promise<TxtAnswer>;
  keyName?: string;
}

/** A hash of the canonical body, cut to `l=` octets when given. */
class _BodyHash {
  readonly hash: HashStream;
  readonly limit: number | null;
  fed = 0;
  #digest: Uint8Array | null = null;
  constructor(hash: HashStream, limit: number | null) {
    this.hash = hash;
    this.limit = limit;
  }
  update(bytes: Uint8Array): void {
    if (this.limit === null) {
      this.hash.update(bytes);
      return;
    }
    const room = this.limit - this.fed;
    if (room <= 0) return;
    const part = bytes.length > room ? bytes.subarray(0, room) : bytes;
    this.hash.update(part);
    this.fed += part.length;
  }
  digest(): Uint8Array {
    return this.#digest ??= this.hash.digest();
  }
}

/** Canonicalizer per body mode, each fanning out to its hashes. */
interface _BodyStream {
  canon: BodyCanonicalizer;
  hashes: Map<string, _BodyHash>;
}

const _PREFERENCE: DkimLetter[] = [
  "I",
  "U",
  "J",
  "D",
  "E",
  "N",
  "V",
  "Y",
  "R",
  "L",
];

/**
 * A streaming DKIM verifier: `update()` with the message in any chunks, then
 * `finish()` once.
 */
export class DkimVerifier {
  readonly #options: DkimVerifyOptions;
  readonly #splitter: MessageSplitter;
  readonly #bodies = new Map<CanonMode, _BodyStream>();
  readonly #lookups = new Map<string, Promise<TxtAnswer>>();
  #pending: Pending[] = [];
  #skipped = 0;
  #positions: number[] = [];
  #fromDomain: string | null = null;
  #unusableHeader = false;

  /** Creates a verifier. */
  constructor(options: DkimVerifyOptions) {
    this.#options = options;
    this.#splitter = new MessageSplitter(
      (info) => this.#onHeaders(info),
      (bytes) => {
        for (const body of this.#bodies.values()) body.canon.update(bytes);
      },
    );
  }

  /** Feeds message bytes. */
  update(chunk: Uint8Array): void {
    this.#splitter.update(chunk);
  }

  #onHeaders(info: HeaderInfo): void {
    this.#options.onHeaders?.(info);
    const { fields } = info;
    this.#unusableHeader = startsWithWhitespace(fields);
    const index = indexFields(fields);
    const positions = index.get("dkim-signature") ?? [];
    // Only alignment needs the From domain, and only signatures align.
    if (positions.length) this.#fromDomain = _fromDomain(fields, index);
    this.#skipped = Math.max(0, positions.length - MAX_SIGNATURES);
    const now = this.#options.now();
    this.#positions = positions.slice(0, MAX_SIGNATURES);
    for (const at of this.#positions) {
      const pending: Pending = { result: blankResult() };
      this.#pending.push(pending);
      if (info.overflow || this.#unusableHeader) {
        setStatus(pending.result, dkimStatus("H", "header section unusable"));
        continue;
      }
      const parsed = parseSignatureField(fields.at(at)!.raw, now);
      if (!parsed.ok) {
        const { letter: code, reason, domain, selector, algorithm } =
          parsed.error;
        Object.assign(pending.result, {
          domain: domain ?? null,
          selector: selector ?? null,
          algorithm: algorithm ?? null,
          aligned: this.#aligned(domain),
        });
        setStatus(pending.result, dkimStatus(code, reason));
        continue;
      }
      this.#prepare(pending, parsed.value, fields, index, at);
    }
  }

  #aligned(domain: string | undefined): boolean {
    return domain !== undefined && this.#fromDomain !== null &&
      isAtOrBelow(this.#fromDomain, domain);
  }

  #prepare(
    pending: Pending,
    sig: DkimSignature,
    fields: HeaderFields,
    index: Map<string, number[]>,
    at: number,
  ): void {
    pending.sig = sig;
    const local = sig.identity.local;
    Object.assign(pending.result, {
      domain: sig.domain,
      selector: sig.selector,
      algorithm: sig.algorithm,
      identity: `${local}@${sig.identity.domain}`,
      canonicalization: `${sig.canon.header}/${sig.canon.body}`,
      headers: sig.headers,
      signature: sig.signatureText,
      timestamp: sig.timestamp,
      expires: sig.expires,
      bodyLength: sig.length,
      copied: sig.copied,
      aligned: this.#aligned(sig.domain),
    });
    const selected = selectFields(index, sig.headers, at);
    const taken = new Set(selected);
    if (
      !this.#options.unsignedFrom &&
      (index.get("from") ?? []).some((f) => !taken.has(f))
    ) {
      setStatus(
        pending.result,
        dkimStatus("X", "a From field above is not signed"),
      );
      return;
    }
    const keyName = `${sig.selector}._domainkey.${sig.domain}`;
    if (!isALabelName(keyName)) {
      setStatus(
        pending.result,
        dkimStatus("O", `key name too long: ${keyName}`),
      );
      return;
    }
    const { hash, keyType } = ALGORITHMS[sig.algorithm];
    if (keyType === "rsa") {
      // RSA needs only the digest: the input is hashed now, from a shared
      // buffer, and never kept.
      try {
        const verifier = this.#options.backend.verifier(hash);
        feedHeaderInput(
          fields,
          selected,
          sig.unsigned,
          sig.canon.header,
          (bytes) => verifier.update(bytes),
        );
        pending.header = { verifier };
      } catch (fault) {
        pending.header = { fault };
      }
    } else {
      pending.input = headerInput(
        fields,
        selected,
        sig.unsigned,
        sig.canon.header,
      );
    }
    pending.body = this.#bodyHash(sig);
    pending.keyName = keyName;
    pending.lookup = this.#lookup(keyName);
  }

  #lookup(name: string): Promise<TxtAnswer> {
    let lookup = this.#lookups.get(name);
    if (!lookup) {
      lookup = this.#options.resolver.txt(name);
      lookup.catch(() => {});
      this.#lookups.set(name, lookup);
    }
    return lookup;
  }

  #bodyHash(sig: DkimSignature): _BodyHash {
    const mode = sig.canon.body;
    let stream = this.#bodies.get(mode);
    if (!stream) {
      const hashes = new Map<string, _BodyHash>();
      const canon = new BodyCanonicalizer(mode, (bytes) => {
        for (const h of hashes.values()) h.update(bytes);
      });
      stream = { canon, hashes };
      this.#bodies.set(mode, stream);
    }
    const hash: HashName = ALGORITHMS[sig.algorithm].hash;
    // An l= beyond any real body is kept as "more than the body" (U).
    const limit = sig.length === null
      ? null
      : Number(sig.length > 2n ** 52n ? 2n ** 52n : sig.length);
    const key = `${hash}/${limit}`;
    let body = stream.hashes.get(key);
    if (!body) {
      body = new _BodyHash(this.#options.backend.hash(hash), limit);
      stream.hashes.set(key, body);
    }
    return body;
  }

  /** Ends the input and returns the verdict. Never throws. */
  async finish(): Promise<DkimVerifyResult> {
    this.#splitter.end();
    for (const body of this.#bodies.values()) body.canon.end();
    for (const pending of this.#pending) {
      if (!pending.sig || pending.result.letter !== "S") continue;
      try {
        await this.#judge(pending);
      } catch (e) {
        setStatus(
          pending.result,
          dkimStatus("P", `internal fault: ${(e as Error).message}`),
        );
      }
    }
    const signatures = this.#pending.map((p) => p.result);
    return {
      ...messageLetter(signatures, {
        honorLength: this.#options.honorLength ?? false,
        unusableHeader: this.#unusableHeader,
      }),
      signatures,
      skipped: this.#skipped,
      fromDomain: this.#fromDomain,
      positions: this.#positions,
    };
  }

  async #judge(pending: Pending): Promise<void> {
    const answer = await pending.lookup!;
    const name = () => printable(pending.keyName!);
    if (answer.kind === "nxdomain" || answer.kind === "nodata") {
      setStatus(
        pending.result,
        dkimStatus("Q", `no key: ${name()} has no TXT`),
      );
      return;
    }
    if (answer.kind === "tempfail") {
      setStatus(
        pending.result,
        dkimStatus("P", `cannot fetch ${name()}: ${answer.reason}`),
      );
      return;
    }
    const texts = answer.records.map(_recordText).filter(isKeyCandidate);
    if (texts.length === 0) {
      setStatus(
        pending.result,
        dkimStatus("Q", `no key record (p=) at ${name()}`),
      );
      return;
    }
    const outcomes: { status: DkimStatus; key?: DkimKey }[] = [];
    for (const text of texts) {
      const outcome = await this.#tryKey(pending, text);
      if (outcome.status.letter === "A") {
        setKey(pending.result, outcome.key);
        setStatus(pending.result, outcome.status);
        return;
      }
      outcomes.push(outcome);
    }
    const best =
      _PREFERENCE.map((code) => outcomes.find((o) => o.status.letter === code))
        .find((o) => o !== undefined) ?? outcomes[0];
    setKey(pending.result, best.key);
    setStatus(pending.result, best.status);
  }

  async #tryKey(
    pending: Pending,
    text: string,
  ): Promise<{ status: DkimStatus; key?: DkimKey }> {
    const sig = pending.sig!;
    const record = _parsedKeyRecord(
      text,
      this.#options.minKeyBits ?? DKIM_MIN_RSA_BITS,
    );
    if (!record.ok) return { status: record.error };
    const key = record.value;
    const refused = keyRefuses(key, sig);
    if (refused) return { status: refused, key };
    const bad = key.testing ? "J" : null;
    const body = pending.body!;
    const canonical = this.#bodies.get(sig.canon.body)!.canon.length;
    if (body.limit !== null && body.limit > canonical) {
      return {
        status: dkimStatus(
          bad ?? "U",
          `l=${sig.length} is more than the ${canonical}-octet body`,
        ),
        key,
      };
    }
    if (!_sameBytes(body.digest(), sig.bodyHash)) {
      return { status: dkimStatus(bad ?? "U", "body hash differs (bh=)"), key };
    }
    const header = await this.#headerCheck(pending, key);
    if (header !== "holds") {
      return {
        status: dkimStatus(bad ?? "I", _headerReason(header, sig, key)),
        key,
      };
    }
    const unsigned = body.limit === null ? 0 : canonical - body.limit;
    pending.result.unsignedBodyOctets = unsigned;
    if (sig.algorithm === "rsa-sha1" && !this.#options.acceptSha1) {
      return { status: dkimStatus("D"), key };
    }
    if (unsigned > 0) {
      return {
        status: dkimStatus(
          "E",
          `${unsigned} body octets after l= are not signed`,
        ),
        key,
      };
    }
    const legacy = sig.algorithm === "rsa-sha1"
      ? " (rsa-sha1 accepted by configuration)"
      : "";
    return { status: dkimStatus("A", `signature verifies${legacy}`), key };
  }

  /**
   * Checks the header signature: "holds", "fails", or "raw" when an
   * Ed25519 signature holds over the raw header input instead of its
   * SHA-256 (dkim.md 2.6: indimail and old sagredo sign so; still I).
   */
  async #headerCheck(
    pending: Pending,
    key: DkimKey,
  ): Promise<"holds" | "fails" | "raw"> {
    const sig = pending.sig!;
    if (key.keyType === "rsa") {
      const header = pending.header!;
      if ("fault" in header) throw header.fault;
      const holds = await header.verifier.verify(key.rsa!, sig.signature);
      return holds ? "holds" : "fails";
    }
    const input = pending.input!;
    const digest = this.#options.backend.hash("sha256");
    digest.update(input);
    if (await ed25519Verify(key.ed25519!, sig.signature, digest.digest())) {
      return "holds";
    }
    return await ed25519Verify(key.ed25519!, sig.signature, input)
      ? "raw"
      : "fails";
  }
}

/** Key records read lately, by text, per minimum bits (a few, oldest out). */
const _keyRecords = new Map<
  number,
  Map<string, ReturnType<typeof parseKeyRecord>>
>();
const _KEY_RECORDS_MAX = 16;

/**
 * {@link parseKeyRecord}, remembered for the few records a process sees
 * again and again (`dk verify` over many messages): the same record gives
 * the same key object, so the backends find its prepared form at once.
 * The results are never changed by their users.
 */
function _parsedKeyRecord(
  text: string,
  minBits: number,
): ReturnType<typeof parseKeyRecord> {
  let records = _keyRecords.get(minBits);
  if (records === undefined) {
    records = new Map();
    if (_keyRecords.size >= _KEY_RECORDS_MAX) _keyRecords.clear();
    _keyRecords.set(minBits, records);
  }
  let record = records.get(text);
  if (record === undefined) {
    record = parseKeyRecord(text, minBits);
    if (records.size >= _KEY_RECORDS_MAX) {
      records.delete(records.keys().next().value!);
    }
    records.set(text, record);
  }
  return record;
}

/** A TXT record's text (latin1), its one string read without a copy. */
function _recordText(record: Uint8Array[]): string {
  return latin1(record.length === 1 ? record[0] : joinStrings(record));
}

function _headerReason(
  check: "fails" | "raw",
  sig: DkimSignature,
  key: DkimKey,
): string {
  if (check === "raw") {
    return "signature does not verify: it signs the raw header input, " +
      "not its SHA-256 (RFC 8463 requires the digest)";
  }
  if (key.rsa && sig.signature.length !== Math.ceil(key.rsa.bits / 8)) {
    return "b= is not as long as the key's modulus";
  }
  if (key.ed25519 && sig.signature.length !== 64) {
    return "b= is not 64 bytes, as an Ed25519 signature is";
  }
  return "signature does not verify (message changed or wrong key)";
}

function _sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i] ^ b[i];
  return diff === 0;
}

/** The From domain (dkim.md 0): topmost From, first mailbox, A-labels. */
function _fromDomain(fields: HeaderFields, index: FieldIndex): string | null {
  const top = index.get("from")?.[0];
  const from = top === undefined ? undefined : fields.at(top);
  if (!from) return null;
  const mailbox = parseMailbox(fieldValue(from));
  return mailbox ? toALabels(mailbox.domain) : null;
}
