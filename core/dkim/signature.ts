/**
 * The `DKIM-Signature` field (RFC 6376 section 3.5, dkim.md 1.2–1.4): read
 * strictly into a typed value with its letter on failure, and the field's
 * bytes with the value of `b=` deleted (2.4 step 3), found through the tag
 * list, never by searching for `b=`.
 *
 * @module
 */

import type { CanonMode } from "./canon_header.ts";
import { isAtOrBelow, toALabels } from "./domain_name.ts";
import {
  base64Value,
  base64ValueOfBytes,
  listValue,
  parseTagListAt,
  plainValue,
  type TagList,
} from "./tags.ts";
import type { HashName } from "../crypto/backend.ts";
import { latin1 } from "../bytes.ts";
import { printable } from "../printable.ts";
import { err, ok, type Result } from "../result.ts";
import { type DkimStatus, dkimStatus } from "../status.ts";

/** The algorithms a `DKIM-Signature` may name (RFC 6376, RFC 8463). */
export type DkimAlgorithm = "rsa-sha256" | "ed25519-sha256" | "rsa-sha1";

/** The key types of those algorithms. */
export type KeyType = "rsa" | "ed25519";

/** Hash and key type of each algorithm (dkim.md 2.6). */
export const ALGORITHMS: Readonly<
  Record<DkimAlgorithm, { hash: HashName; keyType: KeyType }>
> = {
  "rsa-sha256": { hash: "sha256", keyType: "rsa" },
  "ed25519-sha256": { hash: "sha256", keyType: "ed25519" },
  "rsa-sha1": { hash: "sha1", keyType: "rsa" },
};

/** Largest number of names `h=` may hold (dkim.md 1.2). */
export const MAX_SIGNED_NAMES = 1000;
/** Seconds a `t=` may lie in the future, and `x=` in the past (1.4). */
export const CLOCK_SLACK = 300;

/** A `DKIM-Signature` that passed 3.3 step 1. */
export interface DkimSignature {
  /** `a=`, lowercased. */
  algorithm: DkimAlgorithm;
  /** `b=`, decoded. */
  signature: Uint8Array;
  /** `b=` with whitespace removed, as written (for `header.b`). */
  signatureText: string;
  /** `bh=`, decoded. */
  bodyHash: Uint8Array;
  /** `c=`: header and body modes. */
  canon: { header: CanonMode; body: CanonMode };
  /** `d=` as A-labels, lowercase. */
  domain: string;
  /** `s=` as A-labels, lowercase. */
  selector: string;
  /** `h=`, lowercased, in order. */
  headers: string[];
  /** `i=` decoded (local part as bytes in latin1; domain as A-labels). */
  identity: { local: string; domain: string };
  /** `l=`, or null for the whole body. */
  length: bigint | null;
  /** `t=`, or null. */
  timestamp: number | null;
  /** `x=`, or null. */
  expires: number | null;
  /** The whole field with the value of `b=` deleted (raw bytes). */
  unsigned: Uint8Array;
  /**
   * `z=` (copied fields), split at `|` and decoded (an undecodable one
   * kept as written), or null; never checked (1.2), shown by `--explain`.
   */
  copied: string[] | null;
}

/** What could be read of a signature that failed step 1, for reports. */
export interface SignatureFailure extends DkimStatus {
  /** `d=` when it was usable. */
  domain?: string;
  /** `s=` when it was usable. */
  selector?: string;
  /** `a=` as written, when present. */
  algorithm?: string;
}

const DIGITS_12 = /^[0-9]{1,12}$/;
/** A char that is not printable ASCII, FWS or the colon between h= names. */
const NOT_NAME_TEXT = /[^\x21-\x7e \t\r\n]/;

/**
 * Reads one `DKIM-Signature` field (`raw`: its bytes, name and line ends
 * included) at evaluation time `now` (seconds since the epoch). Returns the
 * signature, or the first letter of 3.3 step 1: H (syntax, a missing tag,
 * `t=` in the future), W (`v=` not 1), X (no `from` in `h=`), Y (`i=`
 * outside `d=`), K (`x=` passed).
 */
export function parseSignatureField(
  raw: Uint8Array,
  now: number,
): Result<DkimSignature, SignatureFailure> {
  const text = latin1(raw);
  const colon = text.indexOf(":");
  let end = text.length;
  if (text.endsWith("\n")) end -= text.endsWith("\r\n") ? 2 : 1;
  const parsed = parseTagListAt(text, raw, colon + 1, end);
  if (colon < 0 || !parsed.ok) {
    return err(dkimStatus("H", parsed.ok ? "no colon" : parsed.error));
  }
  const list = parsed.value;
  const get = (name: string) => list.byName.get(name)?.value;
  const known: Omit<SignatureFailure, "letter" | "reason"> = {
    algorithm: get("a"),
  };
  const fail = (code: "H" | "W" | "X" | "Y" | "K", reason: string) =>
    err({ ...known, ...dkimStatus(code, reason) });

  const version = get("v");
  if (version === undefined || version === "") {
    return fail("H", "v= is missing");
  }
  if (version !== "1") {
    return fail("W", `v=${printable(version)} is not 1`);
  }
  for (const name of ["a", "b", "bh", "d", "h", "s"]) {
    if (!get(name)) return fail("H", `${name}= is missing or empty`);
  }
  const domain = toALabels(plainValue(get("d")!) ?? "");
  if (domain === null) return fail("H", `d= is not a domain name`);
  known.domain = domain;
  const selector = toALabels(plainValue(get("s")!) ?? "", false);
  if (selector === null) return fail("H", `s= is not made of DNS labels`);
  known.selector = selector;
  const algorithm = get("a")!.toLowerCase();
  if (!Object.hasOwn(ALGORITHMS, algorithm)) {
    return fail("H", `a=${printable(get("a")!)} is not a DKIM algorithm`);
  }
  const alg = algorithm as DkimAlgorithm;
  const b = list.byName.get("b")!;
  const decoded = base64ValueOfBytes(
    raw.subarray(colon + 1 + b.valueStart, colon + 1 + b.valueEnd),
  );
  if (decoded === null || decoded.bytes.length === 0) {
    return fail("H", "b= is not base64");
  }
  const { bytes: signature, text: signatureText } = decoded;
  const bodyHash = base64Value(get("bh")!);
  const hashLength = ALGORITHMS[alg].hash === "sha1" ? 20 : 32;
  if (bodyHash === null || bodyHash.length !== hashLength) {
    return fail("H", `bh= is not the base64 of ${hashLength} bytes`);
  }
  const canon = _canon(get("c"));
  if (canon === null) return fail("H", "c= is not a DKIM canonicalization");
  const headers = _headerNames(get("h")!);
  if (typeof headers === "string") return fail("H", headers);
  const identity = _identity(get("i"), domain);
  if (typeof identity === "string") return fail("H", identity);
  const length = get("l");
  if (length !== undefined && !/^[0-9]{1,76}$/.test(length)) {
    return fail("H", "l= is not 1 to 76 digits");
  }
  const query = get("q");
  if (query !== undefined && !_dnsTxt(query)) {
    return fail("H", "q= does not name dns/txt");
  }
  const times = _times(get("t"), get("x"), now);
  if (typeof times === "string") return fail("H", times);
  if (!headers.includes("from")) return fail("X", "h= does not name from");
  if (!isAtOrBelow(identity.domain, domain)) {
    return fail("Y", `i= domain is not d=${domain} or below it`);
  }
  if (times.expires !== null && times.expires < now - CLOCK_SLACK) {
    return fail("K", `signature expired at ${times.expires} (x=)`);
  }
  return ok({
    algorithm: alg,
    signature,
    signatureText,
    bodyHash,
    canon,
    domain,
    selector,
    headers,
    identity,
    length: length === undefined ? null : BigInt(length),
    ...times,
    unsigned: _withoutB(raw, colon + 1, list),
    copied: _copied(get("z")),
  });
}

function _copied(value: string | undefined): string[] | null {
  if (value === undefined) return null;
  return value.replace(/[ \t\r\n]+/g, "").split("|").map((field) =>
    decodeDkimQuotedPrintable(field) ?? field
  );
}

function _canon(value: string | undefined): DkimSignature["canon"] | null {
  if (value === undefined) return { header: "simple", body: "simple" };
  const parts = value.toLowerCase().split("/");
  if (parts.length > 2) return null;
  const [header, body = "simple"] = parts;
  const mode = (m: string) => m === "simple" || m === "relaxed";
  if (!mode(header) || !mode(body)) return null;
  return { header: header as CanonMode, body: body as CanonMode };
}

function _headerNames(value: string): string[] | string {
  if (!NOT_NAME_TEXT.test(value)) {
    // Printable ASCII, FWS and colons only (the usual h=): every name
    // passes the test below, and lowercasing the whole keeps the list.
    const names = listValue(value.toLowerCase(), ":");
    if (names === null) return "h= has an empty or spaced name";
    if (names.length > MAX_SIGNED_NAMES) {
      return `h= names more than ${MAX_SIGNED_NAMES} fields`;
    }
    return names;
  }
  const names = listValue(value, ":");
  if (names === null) return "h= has an empty or spaced name";
  if (names.length > MAX_SIGNED_NAMES) {
    return `h= names more than ${MAX_SIGNED_NAMES} fields`;
  }
  for (const name of names) {
    if (!/^[\x21-\x39\x3b-\x7e]+$/.test(name)) {
      return `h= name "${printable(name)}" is not printable ASCII`;
    }
  }
  return names.map((n) => n.toLowerCase());
}

/**
 * Decodes DKIM-quoted-printable (RFC 6376 2.11): `=XX` hex pairs. Returns
 * null for a bad `=` sequence.
 */
export function decodeDkimQuotedPrintable(value: string): string | null {
  if (/=(?![0-9A-Fa-f]{2})/.test(value)) return null;
  return value.replace(
    /=([0-9A-Fa-f]{2})/g,
    (_, hex: string) => String.fromCharCode(parseInt(hex, 16)),
  );
}

function _identity(
  value: string | undefined,
  domain: string,
): DkimSignature["identity"] | string {
  if (value === undefined) return { local: "", domain };
  const plain = plainValue(value);
  const decoded = plain === null ? null : decodeDkimQuotedPrintable(plain);
  if (decoded === null) return "i= is not DKIM-quoted-printable";
  const at = decoded.lastIndexOf("@");
  if (at < 0) return "i= has no @";
  const iDomain = toALabels(decoded.slice(at + 1));
  if (iDomain === null) return "i= domain is not a domain name";
  return { local: decoded.slice(0, at), domain: iDomain };
}

function _dnsTxt(value: string): boolean {
  const methods = listValue(value, ":");
  return methods !== null &&
    methods.some((m) => /^dns(\/txt)?$/i.test(m));
}

function _times(
  t: string | undefined,
  x: string | undefined,
  now: number,
): { timestamp: number | null; expires: number | null } | string {
  if (t !== undefined && !DIGITS_12.test(t)) return "t= is not 1 to 12 digits";
  if (x !== undefined && !DIGITS_12.test(x)) return "x= is not 1 to 12 digits";
  const timestamp = t === undefined ? null : Number(t);
  const expires = x === undefined ? null : Number(x);
  if (timestamp !== null && timestamp > now + CLOCK_SLACK) {
    return "t= is in the future";
  }
  if (timestamp !== null && expires !== null && expires <= timestamp) {
    return "x= is not after t=";
  }
  return { timestamp, expires };
}

/** The field's bytes with the value of `b=` (up to its `;` or the end) cut out. */
function _withoutB(raw: Uint8Array, offset: number, list: TagList): Uint8Array {
  const b = list.byName.get("b")!;
  const start = offset + b.valueStart;
  const stop = offset + b.valueEnd;
  const out = new Uint8Array(raw.length - (stop - start));
  out.set(raw.subarray(0, start));
  out.set(raw.subarray(stop), start);
  return out;
}
