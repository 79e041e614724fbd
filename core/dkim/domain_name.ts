/**
 * Domain names in DKIM tags (dkim.md 1.3, RFC 8616): ASCII names are only
 * lowercased; names with bytes above 127 must be UTF-8 and are converted to
 * A-labels by the runtime's IDNA conversion (the WHATWG URL host parser),
 * never by hand-written punycode. The result must be labels of 1–63
 * `[A-Za-z0-9_-]`, at most 253 octets.
 *
 * @module
 */

/** Labels of 1–63 `[a-z0-9_-]` between single dots, in one native pass. */
const LABELS = /^[a-z0-9_-]{1,63}(?:\.[a-z0-9_-]{1,63})*$/;
/** What may stand beside non-ASCII letters before conversion. */
const PLAIN = /^[A-Za-z0-9_.-]*$/;

/**
 * The A-label form, lowercased, of a name written in a tag (latin1 text, one
 * char per byte). One trailing dot is dropped when `trailingDot` allows it.
 * Returns null for bad UTF-8, a name the IDNA conversion refuses, or a
 * result that breaks the label rules.
 */
export function toALabels(text: string, trailingDot = true): string | null {
  let name = text;
  if (trailingDot && name.endsWith(".")) name = name.slice(0, -1);
  if (/[^ -~]/.test(name)) {
    const unicode = _utf8(name);
    if (unicode === null) return null;
    const ascii = _idnaToAscii(unicode);
    if (ascii === null) return null;
    name = ascii;
  } else {
    name = name.toLowerCase();
  }
  return isALabelName(name) ? name : null;
}

/** True when `name` is labels of 1–63 `[a-z0-9_-]` (lowercase), ≤ 253 octets. */
export function isALabelName(name: string): boolean {
  if (name.length < 1 || name.length > 253) return false;
  return LABELS.test(name);
}

/**
 * True when `name` equals `parent` or lies below it on a label boundary
 * (both lowercase A-labels).
 */
export function isAtOrBelow(name: string, parent: string): boolean {
  return name === parent || name.endsWith("." + parent);
}

function _utf8(latin1Text: string): string | null {
  const bytes = Uint8Array.from(latin1Text, (c) => c.charCodeAt(0));
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

function _idnaToAscii(unicode: string): string | null {
  // The URL parser would read `@`, `/`, `:` and the like as URL syntax:
  // only letters, digits, `_`, `-`, `.` and non-ASCII go in.
  for (const ch of unicode) {
    if (ch.charCodeAt(0) < 0x80 && !PLAIN.test(ch)) return null;
  }
  try {
    return new URL(`http://${unicode}/`).hostname.toLowerCase();
  } catch {
    return null;
  }
}

const HOST_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * True when `name` (lowercase A-labels) is a host name a signer may use as
 * `d=` (dkim.md 4.1, as DK §2.2): 1–253 octets, at least two labels of
 * `[a-z0-9-]` not starting or ending with `-`.
 */
export function isHostName(name: string): boolean {
  if (name.length < 1 || name.length > 253) return false;
  const labels = name.split(".");
  return labels.length >= 2 && labels.every((l) => HOST_LABEL.test(l));
}
