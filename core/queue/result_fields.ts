/**
 * Result fields from outside (dkim.md 6.10) and the authserv-id they are
 * judged by (6.9): which authserv-id this host writes, the authserv-id of
 * an `Authentication-Results` field, and which fields dk removes when DKIM
 * is active. Pure: candidates and fields in, answers out.
 *
 * @module
 */

import { isTokenChar, readQuoted, skipCfws } from "./ar_syntax.ts";
import { fieldValue, type HeaderField } from "../message/header.ts";

/** What an authserv-id of dk's own may hold (dkim.md 6.9). */
const AUTHSERV_ID = /^[A-Za-z0-9.-]+$/;

/**
 * The first usable authserv-id among `candidates`, in order
 * (`DK_AUTHSERV_ID`, the first line of `CONTROLDIR/me`, the system host
 * name; dkim.md 6.9). Each candidate is read up to its first LF (so the
 * whole text of `me` may be given), then trailing spaces, tabs and CRs are
 * dropped, as qmail reads a control file's line (leading whitespace is
 * kept, and so makes the candidate unusable). A candidate is usable when
 * what is left is non-empty and only `[A-Za-z0-9.-]`; null, undefined and
 * unusable candidates are skipped. Returns null when none is usable (a
 * configuration error for the caller).
 */
export function chooseAuthservId(
  candidates: readonly (string | null | undefined)[],
): string | null {
  for (const candidate of candidates) {
    if (candidate === null || candidate === undefined) continue;
    const end = candidate.indexOf("\n");
    const line = (end < 0 ? candidate : candidate.slice(0, end))
      .replace(/[ \t\r]+$/, "");
    if (AUTHSERV_ID.test(line)) return line;
  }
  return null;
}

/**
 * The authserv-id of an `Authentication-Results` field value (RFC 8601
 * section 2.2): after leading whitespace and (nested) comments, the quoted
 * string there (its content, quoted pairs undone) or the longest run of
 * RFC 2045 token characters there. Null when it cannot be read: an empty
 * value, a comment or quoted string not closed, an empty quoted string, or
 * a first character that starts neither (`;`, `@`, an 8-bit byte, …).
 */
export function authservIdOf(value: string): string | null {
  const start = skipCfws(value, 0);
  if (start < 0 || start >= value.length) return null;
  if (value[start] === '"') {
    const quoted = readQuoted(value, start);
    return quoted && quoted.value !== "" ? quoted.value : null;
  }
  let end = start;
  while (end < value.length && isTokenChar(value[end])) end++;
  return end > start ? value.slice(start, end) : null;
}

/**
 * True for a field dk removes when DKIM is active (dkim.md 6.10): an
 * `Authentication-Results` field whose authserv-id equals `ourId` without
 * ASCII case, every `DKIM-Status` field, and every field whose name starts
 * with `X-DKIM-` (no case). Names are compared with spaces or tabs before
 * the `:` dropped (RFC 5322's obsolete syntax allows them, and a reader
 * downstream may too). False for everything else: `DomainKey-Status`,
 * another host's or an unreadable authserv-id, lines without a `:`.
 */
export function isOutsideResultField(
  field: HeaderField,
  ourId: string,
): boolean {
  if (!field.hasColon) return false;
  const name = _asciiLower(field.name.replace(/[ \t]+$/, ""));
  if (name === "dkim-status" || name.startsWith("x-dkim-")) return true;
  if (name !== "authentication-results") return false;
  const id = authservIdOf(fieldValue(field));
  return id !== null && _asciiLower(id) === _asciiLower(ourId);
}

/** `text` with A–Z made a–z and nothing else changed. */
function _asciiLower(text: string): string {
  return text.replace(/[A-Z]+/g, (s) => s.toLowerCase());
}
