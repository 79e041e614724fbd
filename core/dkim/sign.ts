/**
 * DKIM signing (RFC 6376 section 5, RFC 8463; dkim.md 4): streams the
 * message's body through canonicalization into SHA-256 (the platform's,
 * `core/crypto/stream_digest.ts`: no crypto backend to load), picks the signed
 * fields (4.2, over-signing), writes the `DKIM-Signature` field with an
 * empty `b=`, hashes the exact bytes that will be written, and signs them
 * with RSA (WebCrypto, `core/crypto/rsa_sign.ts`) or Ed25519 (WebCrypto).
 * Never `rsa-sha1`, never `l=` or `z=`.
 *
 * @module
 */

import { BodyCanonicalizer } from "./canon_body.ts";
import type { CanonMode } from "./canon_header.ts";
import { isAtOrBelow, isHostName, toALabels } from "./domain_name.ts";
import { formatSignatureField } from "./format.ts";
import {
  dkimFieldName,
  headerInput,
  indexFields,
  selectFields,
} from "./header_input.ts";
import { StreamDigest } from "../crypto/stream_digest.ts";
import { encodeBase64 } from "../crypto/base64.ts";
import {
  type Ed25519PrivateKey,
  ed25519Sign,
  parseEd25519PrivatePem,
} from "../crypto/ed25519.ts";
import { parsePrivateKeyPem, type PrivateKeyInfo } from "../crypto/keys.ts";
import { StreamSigner } from "../crypto/rsa_sign.ts";
import { parseMailbox } from "../message/address.ts";
import {
  fieldValue,
  type HeaderFields,
  startsWithWhitespace,
} from "../message/header.ts";
import { type HeaderInfo, MessageSplitter } from "../message/splitter.ts";
import { err, ok, type Result } from "../result.ts";
import { type DkimStatus, dkimStatus } from "../status.ts";

/** A private key DKIM can sign with; its type decides `a=` (4.4). */
export type DkimSigningKey =
  | { type: "rsa"; rsa: PrivateKeyInfo }
  | { type: "ed25519"; ed25519: Ed25519PrivateKey };

/**
 * Reads a PEM private key: RSA (PKCS#1 or PKCS#8) or Ed25519 (PKCS#8).
 * Returns an error string for other key types, encrypted or damaged keys.
 */
export function parseSigningKeyPem(
  text: string,
): Result<DkimSigningKey, string> {
  const ed = parseEd25519PrivatePem(text);
  if (ed.ok) return ok({ type: "ed25519", ed25519: ed.value });
  const rsa = parsePrivateKeyPem(text);
  if (rsa.ok) return ok({ type: "rsa", rsa: rsa.value });
  return err(
    rsa.error === "not an RSA key" ? "not an RSA or Ed25519 key" : rsa.error,
  );
}

/** The fields signed by default, in `h=` order (4.2). */
export const DEFAULT_SIGNED: readonly string[] = [
  "from",
  "sender",
  "reply-to",
  "subject",
  "date",
  "message-id",
  "to",
  "cc",
  "in-reply-to",
  "references",
  "mime-version",
  "content-type",
  "content-transfer-encoding",
  "content-id",
  "content-description",
  "resent-date",
  "resent-from",
  "resent-sender",
  "resent-to",
  "resent-cc",
  "resent-message-id",
  "list-id",
  "list-help",
  "list-unsubscribe",
  "list-unsubscribe-post",
  "list-subscribe",
  "list-post",
  "list-owner",
  "list-archive",
];

/** Names listed once more than present, so none can be added later (4.2). */
export const OVER_SIGNED: ReadonlySet<string> = new Set([
  "from",
  "to",
  "cc",
  "subject",
  "date",
  "reply-to",
  "message-id",
  "mime-version",
  "content-type",
]);

/**
 * The default `h=` for a header section (4.2): {@link DEFAULT_SIGNED} in
 * order, each name once per field present, plus once more for an
 * over-signed name; names with a count of zero left out.
 */
export function defaultSignedNames(fields: HeaderFields): string[] {
  const counts = new Map<string, number>();
  for (const field of fields) {
    const name = dkimFieldName(field);
    if (name !== null) counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  const names: string[] = [];
  for (const name of DEFAULT_SIGNED) {
    const count = (counts.get(name) ?? 0) + (OVER_SIGNED.has(name) ? 1 : 0);
    for (let i = 0; i < count; i++) names.push(name);
  }
  return names;
}

/** How to sign. */
export interface DkimSignOptions {
  /** The private key; its type sets `a=`. */
  key: DkimSigningKey;
  /** `s=` (DNS labels). */
  selector: string;
  /** `d=` (text, U-labels allowed); default the From domain (4.1). */
  domain?: string;
  /** `c=`; default relaxed/relaxed. */
  canon?: { header: CanonMode; body: CanonMode };
  /** The exact `h=` (repeats over-sign; must name `from`); default 4.2. */
  headers?: string[];
  /** `i=` as `[local]@domain` (text), the domain `d=` or below it. */
  identity?: string;
  /** `t=`, the signing time in seconds since the epoch. */
  time: number;
  /** `x=` = `t=` + this many seconds (positive). */
  expireSeconds?: number;
  /** Write `q=dns/txt` (qmail-dkim's `-q`). */
  query?: boolean;
}

/**
 * A streaming DKIM signer: `update()` with the message in any chunks, then
 * `sign()` once; it resolves to the whole `DKIM-Signature` field, to go on
 * top of the message.
 */
export class DkimSigner {
  readonly #options: DkimSignOptions;
  readonly #splitter: MessageSplitter;
  readonly #bodyHash = new StreamDigest("sha256");
  readonly #body: BodyCanonicalizer;
  #info: HeaderInfo | null = null;

  /** Creates a signer. */
  constructor(options: DkimSignOptions) {
    this.#options = options;
    this.#body = new BodyCanonicalizer(
      options.canon?.body ?? "relaxed",
      (bytes) => this.#bodyHash.update(bytes),
    );
    this.#splitter = new MessageSplitter(
      (info) => this.#info = info,
      (bytes) => this.#body.update(bytes),
    );
  }

  /** Feeds message bytes. */
  update(chunk: Uint8Array): void {
    this.#splitter.update(chunk);
  }

  /**
   * Ends the input and signs; lines end in `lineEnd`, by default the
   * input's (CRLF when its header section has any, 4.3). Gives H when the message has no usable From
   * (none, several, no `@domain`, header section unusable), when the domain
   * is not valid, when `h=` does not name `from`, or when `i=` is outside
   * `d=`; R when the crypto library refuses the key.
   */
  async sign(lineEnd?: "\n" | "\r\n"): Promise<Result<string, DkimStatus>> {
    this.#splitter.end();
    this.#body.end();
    const info = this.#info!;
    lineEnd ??= info.crlf ? "\r\n" : "\n";
    if (info.overflow || startsWithWhitespace(info.fields)) {
      return err(dkimStatus("H", "header section unusable"));
    }
    const opts = this.#options;
    const found = opts.domain === undefined
      ? signingDomain(info.fields)
      : toALabels(_bytesOf(opts.domain)) ??
        { error: "the signing domain is not valid" };
    if (typeof found !== "string") return err(dkimStatus("H", found.error));
    const domain = found;
    if (!isHostName(domain)) {
      return err(dkimStatus("H", `the signing domain ${domain} is not valid`));
    }
    const headers = opts.headers?.map((h) => h.toLowerCase()) ??
      defaultSignedNames(info.fields);
    if (!headers.includes("from")) {
      return err(dkimStatus("H", "the signed fields must include from"));
    }
    const identity = opts.identity === undefined
      ? undefined
      : identityTag(opts.identity, domain);
    if (identity === null) {
      return err(dkimStatus("H", "i= is not [local]@domain at or below d="));
    }
    const canon = opts.canon ?? { header: "relaxed", body: "relaxed" };
    const algorithm = opts.key.type === "rsa" ? "rsa-sha256" : "ed25519-sha256";
    const field = formatSignatureField({
      algorithm,
      canon,
      domain,
      selector: opts.selector,
      identity,
      time: opts.time,
      expires: opts.expireSeconds === undefined
        ? undefined
        : opts.time + opts.expireSeconds,
      query: opts.query,
      headers,
      bodyHash: encodeBase64(await this.#bodyHash.digest()),
    }, lineEnd);
    const index = indexFields(info.fields);
    const selected = selectFields(index, headers, -1);
    const unsigned = new TextEncoder().encode(field.prefix);
    const input = headerInput(info.fields, selected, unsigned, canon.header);
    let signature: Uint8Array;
    try {
      signature = await _signInput(opts.key, input);
    } catch (e) {
      return err(dkimStatus("R", `cannot sign: ${(e as Error).message}`));
    }
    return ok(field.complete(encodeBase64(signature)));
  }
}

async function _signInput(
  key: DkimSigningKey,
  input: Uint8Array,
): Promise<Uint8Array> {
  if (key.type === "rsa") {
    const signer = new StreamSigner("sha256");
    signer.update(input);
    return await signer.sign(key.rsa.pkcs8);
  }
  const digest = new Uint8Array(
    await crypto.subtle.digest("SHA-256", input.slice()),
  );
  return await ed25519Sign(key.ed25519, digest);
}

/**
 * The From domain for `d=` (4.1) as an A-label, or why there is none:
 * `noFrom` is true when the message has no usable From (no From field,
 * several, no `@domain`), false when the domain is there but not a valid
 * name (queue mode then passes the message on unsigned, dkim.md 6.4). The
 * domain returned may still fail {@link isHostName}.
 */
export function signingDomain(
  fields: HeaderFields,
): string | { error: string; noFrom: boolean } {
  const from = [];
  for (const f of fields) if (dkimFieldName(f) === "from") from.push(f);
  if (from.length !== 1) {
    return {
      error: from.length ? "more than one From field" : "no From field",
      noFrom: true,
    };
  }
  const mailbox = parseMailbox(fieldValue(from[0]));
  if (mailbox === null) {
    return { error: "no address with @domain in From", noFrom: true };
  }
  return toALabels(mailbox.domain) ??
    { error: "From domain is not valid", noFrom: false };
}

/**
 * `i=` written as DKIM-quoted-printable (RFC 6376 2.11), or null when it is
 * not `[local]@domain` with the domain at or below `d=` (`domain`, an
 * A-label).
 */
export function identityTag(identity: string, domain: string): string | null {
  const at = identity.lastIndexOf("@");
  if (at < 0) return null;
  const iDomain = toALabels(_bytesOf(identity.slice(at + 1)));
  if (iDomain === null || !isAtOrBelow(iDomain, domain)) return null;
  const local = Array.from(
    new TextEncoder().encode(identity.slice(0, at)),
    (b) =>
      (b >= 0x21 && b <= 0x3a) || b === 0x3c || (b >= 0x3e && b <= 0x7e)
        ? String.fromCharCode(b)
        : "=" + b.toString(16).toUpperCase().padStart(2, "0"),
  ).join("");
  return `${local}@${iDomain}`;
}

/** Text as the latin1 string of its UTF-8 bytes, as tags are read. */
function _bytesOf(text: string): string {
  return String.fromCharCode(...new TextEncoder().encode(text));
}
