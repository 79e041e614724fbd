/**
 * The `DomainKey-Signature` header (RFC 4870 section 3.3, domainkeys.md 1.1):
 * parsing its tag list into a checked value, and writing one.
 *
 * @module
 */

import { type Canon } from "./canon.ts";
import { isSelector } from "./domain.ts";
import { parseTagList } from "./tags.ts";
import { printable } from "../printable.ts";
import { err, ok, type Result } from "../result.ts";
import { type Status, status } from "../status.ts";

/** A parsed, checked signature header. */
export interface DkSignature {
  /** `c=`, lowercased (default simple). */
  canon: Canon;
  /** `d=` as written. */
  domain: string;
  /** `s=` as written. */
  selector: string;
  /** `b=` with whitespace removed (may be empty: then B). */
  b: string;
  /** `h=` names lowercased, or null when absent. */
  headers: string[] | null;
}

/** Most names an `h=` may list (domainkeys.md 1.10): more is G. */
export const MAX_SIGNED_HEADERS = 1000;

/** The header's name as dk writes it. */
export const SIGNATURE_HEADER = "DomainKey-Signature";

/**
 * Parses a signature header's value. Returns G for a bad tag list or a bad
 * `a`/`c`/`q` value, an empty/invalid `d`/`s` or an `h=` of more than
 * 1,000 names, C when `d`, `s` or `b` is
 * missing (libdomainkeys' answer), in the order of domainkeys.md 1.10.
 */
export function parseSignature(value: string): Result<DkSignature, Status> {
  const parsed = parseTagList(value);
  if (!parsed.ok) {
    return err(status("G", `bad signature header: ${parsed.error}`));
  }
  const tags = parsed.value;
  for (const required of ["d", "s", "b"]) {
    if (!tags.has(required)) {
      return err(status("C", `signature header has no ${required}= tag`));
    }
  }
  const a = (tags.get("a") ?? "rsa-sha1").toLowerCase();
  if (a !== "rsa-sha1") {
    return err(status("G", `unknown algorithm a=${printable(a)}`));
  }
  const c = (tags.get("c") ?? "simple").toLowerCase();
  if (c !== "simple" && c !== "nofws") {
    return err(status("G", `unknown canonicalization c=${printable(c)}`));
  }
  const q = (tags.get("q") ?? "dns").toLowerCase();
  if (q !== "dns") {
    return err(status("G", `unknown query method q=${printable(q)}`));
  }
  const domain = tags.get("d")!;
  const selector = tags.get("s")!;
  if (domain === "") return err(status("G", "empty d= tag"));
  if (selector === "") return err(status("G", "empty s= tag"));
  if (!isSelector(selector)) {
    return err(status("G", `s=${printable(selector)} is not a DNS name`));
  }
  const h = tags.get("h");
  const headers = h === undefined
    ? null
    : h.split(":").filter((n) => n !== "").map((n) => n.toLowerCase());
  if (headers && headers.length > MAX_SIGNED_HEADERS) {
    return err(
      status("G", `bad signature header: h= names ${headers.length} headers`),
    );
  }
  return ok({ canon: c, domain, selector, b: tags.get("b")!, headers });
}

/** What goes into a signature header dk writes. */
export interface SignatureFields {
  canon: Canon;
  selector: string;
  domain: string;
  /** `h=` names in message order, or undefined for none. */
  headers?: string[];
  /** The signature, base64. */
  b: string;
}

/**
 * Formats the header dk writes (domainkeys.md 1.7): tags in the order
 * a, q, c, s, d, [h], b; `b=` folded in lines of at most 76 base64
 * characters; every line ends with `lineEnd`.
 */
export function formatSignature(
  f: SignatureFields,
  lineEnd: "\n" | "\r\n",
): string {
  let out = `${SIGNATURE_HEADER}: a=rsa-sha1; q=dns; c=${f.canon};${lineEnd}` +
    `  s=${f.selector}; d=${f.domain};${lineEnd}`;
  if (f.headers && f.headers.length) {
    out += `  h=${f.headers.join(":")};${lineEnd}`;
  }
  const pieces: string[] = [];
  for (let i = 0; i < f.b.length; i += 76) pieces.push(f.b.slice(i, i + 76));
  out += `  b=${pieces.join(lineEnd + "    ")};${lineEnd}`;
  return out;
}
