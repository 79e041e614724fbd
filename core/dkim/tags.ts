/**
 * DKIM tag lists (RFC 6376 section 3.2, dkim.md 1.1), as the signature field
 * and the key record write them: `name=value` pairs separated by `;`. Names
 * are case-sensitive; whitespace around names, `=` and values is not part
 * of the value; a tag given twice spoils the whole list. Works on latin1
 * text (one char per byte), so every offset is also a byte offset.
 *
 * @module
 */

import {
  decodeBase64Strict,
  decodeBase64StrictBytes,
} from "../crypto/base64.ts";
import { latin1 } from "../bytes.ts";
import { printable } from "../printable.ts";
import { err, ok, type Result } from "../result.ts";

/** Any FWS char. */
const FWS = /[ \t\r\n]/;

/** One tag of a list, with where its value sits in the text. */
export interface Tag {
  /** The tag name, as written (case-sensitive). */
  name: string;
  /** The value without the whitespace around it (inner whitespace kept). */
  value: string;
  /** Offset just after the tag's `=`. */
  valueStart: number;
  /** Offset of the `;` that ends the tag, or the text's length. */
  valueEnd: number;
}

/** A parsed tag list: the tags in order, and by name. */
export interface TagList {
  /** The tags in the order written. */
  tags: Tag[];
  /** The tags by name. */
  byName: Map<string, Tag>;
}

/**
 * Parses an RFC 6376 tag list. Returns the tags, or an error string when an
 * element has no `=`, a name is not `ALPHA *(ALPHA / DIGIT / "_")`, a name
 * repeats, or a value holds a control byte. Empty elements (`;;`, a final
 * `;`) are skipped (dkim.md 1.1 decision). Bytes above 127 are allowed in
 * values (RFC 8616); callers check each value's form.
 */
export function parseTagList(text: string): Result<TagList, string> {
  // The list is read from its char codes (bytes): a loop over a typed
  // array is several times faster than one over a string. Only the
  // structure is read from them (`;`, `=`, FWS, controls, name chars), so
  // a char above U+00FF may stand as 0xFF, which is none of those.
  const codes = text.length <= _codes.length
    ? _codes
    : text.length <= _CODES_KEPT
    ? _codes = new Uint8Array(text.length)
    : new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    codes[i] = c > 0xff ? 0xff : c;
  }
  return parseTagListAt(text, codes, 0, text.length);
}

/** parseTagList()'s char codes, kept between calls up to a size. */
let _codes = new Uint8Array(1024);
const _CODES_KEPT = 64 * 1024;

/**
 * {@link parseTagList} of `text.slice(from, to)`, given also as the bytes
 * `bytes[from, to)` (`text` is the latin1 text of `bytes` there; for a
 * `DKIM-Signature`, the field's bytes and text). Offsets in the tags are
 * from `from`, as if the list had been cut out.
 */
export function parseTagListAt(
  text: string,
  bytes: Uint8Array,
  from: number,
  to: number,
): Result<TagList, string> {
  const tags: Tag[] = [];
  const byName = new Map<string, Tag>();
  let start = from;
  while (start <= to) {
    // One look at each byte: FWS before the name, the name up to `=` (or
    // the `;` or end of an element without one), then the value up to
    // its `;`, noting a control byte on the way.
    let first = start;
    while (first < to && _isFws(bytes[first])) first++;
    let eq = first;
    while (eq < to && bytes[eq] !== 0x3d && bytes[eq] !== 0x3b) eq++;
    if (eq === to || bytes[eq] === 0x3b) {
      if (first < eq) {
        const element = text.slice(start, eq);
        return err(`tag without "=": "${printable(element.trim())}"`);
      }
      start = eq + 1; // an empty element
      continue;
    }
    let end = eq + 1;
    let control = false;
    for (; end < to; end++) {
      const c = bytes[end];
      if (c === 0x3b) break;
      if (c < 0x20 ? !_isFws(c) : c === 0x7f) control = true;
    }
    let nameEnd = eq;
    while (nameEnd > first && _isFws(bytes[nameEnd - 1])) nameEnd--;
    const name = text.slice(first, nameEnd);
    if (!_isName(bytes, first, nameEnd)) {
      return err(`bad tag name "${printable(name)}"`);
    }
    if (byName.has(name)) return err(`tag "${name}" given twice`);
    if (control) return err(`control character in tag "${name}"`);
    let valueFirst = eq + 1;
    let valueLast = end;
    while (valueFirst < valueLast && _isFws(bytes[valueFirst])) valueFirst++;
    while (valueLast > valueFirst && _isFws(bytes[valueLast - 1])) valueLast--;
    const tag: Tag = {
      name,
      value: text.slice(valueFirst, valueLast),
      valueStart: eq + 1 - from,
      valueEnd: end - from,
    };
    tags.push(tag);
    byName.set(name, tag);
    start = end + 1;
  }
  return ok({ tags, byName });
}

/** True for `ALPHA *(ALPHA / DIGIT / "_")` in `bytes[from, to)`. */
function _isName(bytes: Uint8Array, from: number, to: number): boolean {
  if (from === to) return false;
  for (let i = from; i < to; i++) {
    const c = bytes[i];
    const letter = (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
    if (letter) continue;
    if (i === from) return false;
    if ((c >= 0x30 && c <= 0x39) || c === 0x5f) continue;
    return false;
  }
  return true;
}

/**
 * A value that must not hold whitespace (every tag but `b`, `bh`, `p`, `h`,
 * `z`): the value, or null when whitespace sits inside it.
 */
export function plainValue(value: string): string | null {
  return _hasFws(value) ? null : value;
}

/**
 * A base64 value (`b`, `bh`, `p`): every SP, HTAB, CR and LF removed, then
 * strict base64 (length a multiple of 4, `=` only as final padding). Returns
 * the bytes, or null for anything else. An empty value gives empty bytes.
 */
export function base64Value(value: string): Uint8Array | null {
  const text = _hasFws(value) ? value.replace(/[ \t\r\n]+/g, "") : value;
  if (text.length % 4 !== 0) return null;
  return decodeBase64Strict(text);
}

/**
 * {@link base64Value} of a value given as bytes (read as latin1), without
 * making its text first: the decoded bytes and the value with its FWS
 * removed, or null. For `b=`, read straight from the field's bytes.
 */
export function base64ValueOfBytes(
  value: Uint8Array,
): { bytes: Uint8Array; text: string } | null {
  if (_stripped.length < value.length) {
    _stripped = new Uint8Array(value.length);
  }
  const out = _stripped;
  let n = 0;
  for (let i = 0; i < value.length; i++) {
    const b = value[i];
    if (b !== 0x20 && b !== 0x09 && b !== 0x0d && b !== 0x0a) out[n++] = b;
  }
  if (n % 4 !== 0) return null;
  const text = out.subarray(0, n);
  const bytes = decodeBase64StrictBytes(text);
  const result = bytes && { bytes, text: latin1(text) };
  if (_stripped.length > _STRIPPED_KEPT) _stripped = new Uint8Array(1024);
  return result;
}

/** base64ValueOfBytes()' buffer, kept between calls up to a size. */
let _stripped = new Uint8Array(1024);
const _STRIPPED_KEPT = 64 * 1024;

/**
 * A list value (`h` with `:`, `z` with `|`, and the key record's lists):
 * the items with the whitespace around each separator removed. Returns
 * null when an item is empty or holds whitespace inside.
 */
export function listValue(value: string, separator: string): string[] | null {
  const items = value.split(separator);
  for (let i = 0; i < items.length; i++) {
    const item = _trimFws(items[i]);
    if (item === "" || _hasFws(item)) return null;
    items[i] = item;
  }
  return items;
}

/** FWS as dk reads it: SP, HTAB, CR, LF. */
function _isFws(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0d || code === 0x0a;
}

/** True when `text` holds SP, HTAB, CR or LF anywhere. */
function _hasFws(text: string): boolean {
  // A short text (a list item, a plain value) is quicker to loop over than
  // to hand to the regular expression engine.
  if (text.length > 16) return FWS.test(text);
  for (let i = 0; i < text.length; i++) {
    if (_isFws(text.charCodeAt(i))) return true;
  }
  return false;
}

/** `text` without FWS at either end (no regular expression: hot path). */
function _trimFws(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && _isFws(text.charCodeAt(start))) start++;
  while (end > start && _isFws(text.charCodeAt(end - 1))) end--;
  return start === 0 && end === text.length ? text : text.slice(start, end);
}
