/**
 * The pieces of `Authentication-Results` syntax that dk reads and writes
 * (RFC 8601 section 2.2): RFC 2045 tokens, RFC 5322 quoted strings and
 * comments (CFWS), property values, and the `reason=` text (dkim.md 6.9).
 * Text in (latin1, one char per byte), text out; nothing throws.
 *
 * @module
 */

/** RFC 2045 section 5.1's tspecials: the printable characters a token cannot hold. */
const TSPECIALS = '()<>@,;:\\"/[]?=';

/** RFC 5322 section 3.2.3's atext, the characters of a dot-atom. */
const DOT_ATOM =
  /^[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~]+(?:\.[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~]+)*$/;

/** RFC 6376's domain-name: two or more RFC 5321 sub-domains. */
const DOMAIN_NAME =
  /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/;

/** Printable ASCII, space included. */
const PRINTABLE = /^[ -~]*$/;

/** The most characters of a `reason=` text (dkim.md 6.9). */
export const REASON_MAX = 60;

/**
 * True for one character of an RFC 2045 token: printable ASCII other than
 * space and the tspecials. False for anything else (controls, 8-bit).
 */
export function isTokenChar(ch: string): boolean {
  return ch.length === 1 && ch > " " && ch <= "~" && !TSPECIALS.includes(ch);
}

/** True when `text` is a non-empty RFC 2045 token; false otherwise. */
export function isToken(text: string): boolean {
  if (text === "") return false;
  for (const ch of text) if (!isTokenChar(ch)) return false;
  return true;
}

/**
 * `text` as an RFC 5322 quoted string, `"` and `\` written as quoted
 * pairs; null when `text` holds anything outside printable ASCII (space
 * allowed), which a quoted string cannot carry as it is.
 */
export function quotedString(text: string): string | null {
  if (!PRINTABLE.test(text)) return null;
  return `"${text.replace(/["\\]/g, "\\$&")}"`;
}

/**
 * A property value (RFC 8601 `pvalue`): `text` bare when it is a token,
 * else a quoted string (`header.b` holds `/` and `=`); null when it is
 * empty or not printable ASCII.
 */
export function propertyValue(text: string): string | null {
  if (text === "") return null;
  return isToken(text) ? text : quotedString(text);
}

/**
 * An address value (`header.i`, `header.from`, `header.sender`): bare
 * `local@domain` when the local part is empty or a dot-atom and the domain
 * an RFC 6376 domain-name (RFC 8601 allows `[local-part] "@" domain-name`
 * there), else the whole text as a quoted string; null when it has no `@`
 * or is not printable ASCII.
 */
export function addressValue(local: string, domain: string): string | null {
  const text = `${local}@${domain}`;
  if (!PRINTABLE.test(text)) return null;
  if ((local === "" || DOT_ATOM.test(local)) && DOMAIN_NAME.test(domain)) {
    return text;
  }
  return quotedString(text);
}

/**
 * The text of a `reason="…"` (dkim.md 6.9): `"` and `\` dropped, tabs and
 * line ends made spaces, other characters outside printable ASCII made `?`,
 * runs of spaces made one, trimmed, cut to `max` characters (60 unless
 * given). "" when nothing is left.
 */
export function reasonText(text: string, max = REASON_MAX): string {
  let out = "";
  for (const ch of text) {
    if (ch === '"' || ch === "\\") continue;
    if (ch === "\t" || ch === "\r" || ch === "\n") out += " ";
    else out += ch >= " " && ch <= "~" ? ch : "?";
  }
  return out.replace(/ {2,}/g, " ").trim().slice(0, max).trimEnd();
}

/**
 * The position after the CFWS (RFC 5322 section 3.2.2: whitespace, line
 * ends and comments, nested, with quoted pairs) that starts at `at`; -1
 * when a comment is not closed.
 */
export function skipCfws(text: string, at: number): number {
  let i = at;
  let depth = 0;
  while (i < text.length) {
    const ch = text[i];
    if (depth > 0) {
      if (ch === "\\") i++;
      else if (ch === "(") depth++;
      else if (ch === ")") depth--;
    } else if (ch === "(") {
      depth = 1;
    } else if (ch !== " " && ch !== "\t" && ch !== "\r" && ch !== "\n") {
      return i;
    }
    i++;
  }
  return depth > 0 ? -1 : i;
}

/**
 * Reads the quoted string that starts at `at` (on its `"`): its content
 * with quoted pairs undone, and the position after its closing `"`; null
 * when it is not closed.
 */
export function readQuoted(
  text: string,
  at: number,
): { value: string; end: number } | null {
  let value = "";
  for (let i = at + 1; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') return { value, end: i + 1 };
    if (ch === "\\") {
      if (++i >= text.length) return null;
      value += text[i];
    } else if (ch !== "\r" && ch !== "\n") {
      value += ch;
    }
  }
  return null;
}
