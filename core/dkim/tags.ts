/**
 * DKIM tag lists (RFC 6376 section 3.2, dkim.md 1.1), as the signature field
 * and the key record write them: `name=value` pairs separated by `;`. Names
 * are case-sensitive; whitespace around names, `=` and values is not part
 * of the value; a tag given twice spoils the whole list. Works on latin1
 * text (one char per byte), so every offset is also a byte offset.
 *
 * @module
 */

import { decodeBase64Strict } from "../crypto/base64.ts";
import { printable } from "../printable.ts";
import { err, ok, type Result } from "../result.ts";

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

const NAME = /^[A-Za-z][A-Za-z0-9_]*$/;
/** A byte no tag value may hold: controls other than FWS, and DEL. */
// deno-lint-ignore no-control-regex
const BAD_BYTE = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/;

/**
 * Parses an RFC 6376 tag list. Returns the tags, or an error string when an
 * element has no `=`, a name is not `ALPHA *(ALPHA / DIGIT / "_")`, a name
 * repeats, or a value holds a control byte. Empty elements (`;;`, a final
 * `;`) are skipped (dkim.md 1.1 decision). Bytes above 127 are allowed in
 * values (RFC 8616); callers check each value's form.
 */
export function parseTagList(text: string): Result<TagList, string> {
  const tags: Tag[] = [];
  const byName = new Map<string, Tag>();
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf(";", start);
    if (end < 0) end = text.length;
    const element = text.slice(start, end);
    if (_trimFws(element) !== "") {
      const eq = element.indexOf("=");
      if (eq < 0) return err(`tag without "=": "${printable(element.trim())}"`);
      const name = _trimFws(element.slice(0, eq));
      if (!NAME.test(name)) return err(`bad tag name "${printable(name)}"`);
      if (byName.has(name)) return err(`tag "${name}" given twice`);
      const raw = element.slice(eq + 1);
      if (BAD_BYTE.test(raw)) return err(`control character in tag "${name}"`);
      const tag: Tag = {
        name,
        value: _trimFws(raw),
        valueStart: start + eq + 1,
        valueEnd: end,
      };
      tags.push(tag);
      byName.set(name, tag);
    }
    start = end + 1;
  }
  return ok({ tags, byName });
}

/**
 * A value that must not hold whitespace (every tag but `b`, `bh`, `p`, `h`,
 * `z`): the value, or null when whitespace sits inside it.
 */
export function plainValue(value: string): string | null {
  return /[ \t\r\n]/.test(value) ? null : value;
}

/**
 * A base64 value (`b`, `bh`, `p`): every SP, HTAB, CR and LF removed, then
 * strict base64 (length a multiple of 4, `=` only as final padding). Returns
 * the bytes, or null for anything else. An empty value gives empty bytes.
 */
export function base64Value(value: string): Uint8Array | null {
  const text = value.replace(/[ \t\r\n]+/g, "");
  if (text.length % 4 !== 0) return null;
  return decodeBase64Strict(text);
}

/**
 * A list value (`h` with `:`, `z` with `|`, and the key record's lists):
 * the items with the whitespace around each separator removed. Returns
 * null when an item is empty or holds whitespace inside.
 */
export function listValue(value: string, separator: string): string[] | null {
  const items = value.split(separator).map(_trimFws);
  for (const item of items) {
    if (item === "" || /[ \t\r\n]/.test(item)) return null;
  }
  return items;
}

/** FWS as dk reads it: SP, HTAB, CR, LF. */
function _isFws(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0d || code === 0x0a;
}

/** `text` without FWS at either end (no regular expression: hot path). */
function _trimFws(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && _isFws(text.charCodeAt(start))) start++;
  while (end > start && _isFws(text.charCodeAt(end - 1))) end--;
  return start === 0 && end === text.length ? text : text.slice(start, end);
}
