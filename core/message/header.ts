/**
 * The header section of a message, read from bytes in any chunking: where it
 * ends, and its fields (name, raw bytes with their line ends). Works on bytes
 * so 8-bit and NUL bytes survive; LF and CRLF line ends are both accepted.
 *
 * @module
 */

import { joinBytes, latin1 } from "../bytes.ts";

const LF = 0x0a;
const CR = 0x0d;
const SP = 0x20;
const HTAB = 0x09;

/** Names up to this long are made char by char (faster than a view). */
const _SHORT_NAME = 32;

/**
 * One header field: its first line and continuation lines. A field is a
 * view into the header section (offsets, no copies), so a section of many
 * short lines costs a few dozen bytes per field; `raw`, `name` and `lower`
 * are made when asked for.
 */
export class HeaderField {
  readonly #section: Uint8Array;
  readonly #start: number;
  readonly #end: number;
  readonly #nameEnd: number;
  /** True when the first line has a `:` (a real field). */
  readonly hasColon: boolean;

  /** The field at `start`–`end` of `section`; its name ends at `nameEnd`. */
  constructor(
    section: Uint8Array,
    start: number,
    end: number,
    nameEnd: number,
    hasColon: boolean,
  ) {
    this.#section = section;
    this.#start = start;
    this.#end = end;
    this.#nameEnd = nameEnd;
    this.hasColon = hasColon;
  }

  /** The field's bytes, continuation lines and line ends included. */
  get raw(): Uint8Array {
    return this.#section.subarray(this.#start, this.#end);
  }

  /** The name as written (text before the first `:`, latin1). */
  get name(): string {
    if (this.#nameEnd - this.#start > _SHORT_NAME) {
      return latin1(this.#section.subarray(this.#start, this.#nameEnd));
    }
    // A usual name: made from the bytes in place, no view to make.
    let name = "";
    const section = this.#section;
    for (let i = this.#start; i < this.#nameEnd; i++) {
      name += String.fromCharCode(section[i]);
    }
    return name;
  }

  /** The name lowercased, for comparisons. */
  get lower(): string {
    if (this.#nameEnd - this.#start > _SHORT_NAME) {
      return this.name.toLowerCase();
    }
    let name = "";
    const section = this.#section;
    for (let i = this.#start; i < this.#nameEnd; i++) {
      let b = section[i];
      // Above ASCII, toLowerCase() has latin1 letters to fold too.
      if (b > 0x7f) return this.name.toLowerCase();
      if (b >= 0x41 && b <= 0x5a) b += 0x20;
      name += String.fromCharCode(b);
    }
    return name;
  }

  /**
   * True when this is a real field (it has a `:`) named `lower` (given in
   * lowercase, ASCII), compared without case and without making a string.
   */
  is(lower: string): boolean {
    if (!this.hasColon || this.#nameEnd - this.#start !== lower.length) {
      return false;
    }
    return sameName(this.#section, this.#start, lower);
  }
}

/** The largest header section dk reads (domainkeys.md 1.10). */
export const MAX_HEADER_BYTES = 1024 * 1024;

/**
 * Collects the header section from chunks. `push` returns the offset in the
 * chunk where the body starts once the empty line is seen, else -1. Past
 * {@link MAX_HEADER_BYTES} it stops collecting and sets `overflow`.
 */
export class HeaderCollector {
  #parts: Uint8Array[] = [];
  #size = 0;
  #atLineStart = true;
  #crAtLineStart = false;
  #done = false;
  /** True once the header section passed the size limit. */
  overflow = false;

  /** True once the empty line that ends the header section was seen. */
  get done(): boolean {
    return this.#done;
  }

  /**
   * Feeds a chunk. Returns the offset in `chunk` where the body begins when
   * this chunk completes the header section, else -1.
   */
  push(chunk: Uint8Array): number {
    if (this.#done) return 0;
    // Line ends are found natively (indexOf); only the first byte or two of
    // each line is looked at here.
    const n = chunk.length;
    let at = 0; // where a line starts, when #atLineStart
    if (this.#crAtLineStart && n > 0) {
      this.#crAtLineStart = false;
      if (chunk[0] === LF) return this.#finish(chunk, 1, 2);
      this.#atLineStart = false;
    }
    while (at < n) {
      if (this.#atLineStart) {
        const b = chunk[at];
        if (b === LF) return this.#finish(chunk, at + 1, 1);
        if (b === CR) {
          if (at + 1 === n) {
            this.#crAtLineStart = true;
            break;
          }
          if (chunk[at + 1] === LF) return this.#finish(chunk, at + 2, 2);
        }
        this.#atLineStart = false;
      }
      const lf = chunk.indexOf(LF, at);
      if (lf < 0) break;
      at = lf + 1;
      this.#atLineStart = true;
    }
    this.#keep(chunk);
    return -1;
  }

  #keep(bytes: Uint8Array): void {
    if (this.overflow) return;
    if (this.#size + bytes.length > MAX_HEADER_BYTES) {
      this.overflow = true;
      const room = MAX_HEADER_BYTES - this.#size;
      if (room > 0) this.#parts.push(bytes.slice(0, room));
      this.#size = MAX_HEADER_BYTES;
      return;
    }
    this.#parts.push(bytes.slice());
    this.#size += bytes.length;
  }

  /** Ends the section: the empty line (of `endLength` bytes) ends before `at`. */
  #finish(chunk: Uint8Array, at: number, endLength: number): number {
    this.#keep(chunk.subarray(0, at));
    this.#done = true;
    // Drop the empty line itself from what was kept.
    this.#trim(endLength);
    return at;
  }

  #trim(count: number): void {
    while (count > 0 && this.#parts.length) {
      const last = this.#parts[this.#parts.length - 1];
      if (last.length <= count) {
        count -= last.length;
        this.#size -= last.length;
        this.#parts.pop();
      } else {
        this.#parts[this.#parts.length - 1] = last.subarray(
          0,
          last.length - count,
        );
        this.#size -= count;
        count = 0;
      }
    }
  }

  /** The header section's bytes (without the empty line). */
  bytes(): Uint8Array {
    // The parts are copies already: one needs no second copy.
    if (this.#parts.length !== 1) this.#parts = [joinBytes(this.#parts)];
    return this.#parts[0];
  }
}

/**
 * The fields of a header section in message order, kept as three numbers
 * each (start, end, end of name) in one typed array: a section of 1 MiB of
 * short lines is a few MB, not a few hundred. {@link HeaderField} objects
 * are made when asked for (`at`, iteration) and can be dropped at once.
 */
export class HeaderFields implements Iterable<HeaderField> {
  /** The header section the fields are views of. */
  readonly section: Uint8Array;
  readonly #spans: Int32Array;
  /** How many fields there are. */
  readonly length: number;

  /** Fields from `spans` (start, end, name end; name end < 0: no colon). */
  constructor(section: Uint8Array, spans: Int32Array, length: number) {
    this.section = section;
    this.#spans = spans;
    this.length = length;
  }

  /** The field at `index` (a new view), or undefined past the end. */
  at(index: number): HeaderField | undefined {
    if (index < 0 || index >= this.length) return undefined;
    const s = this.#spans;
    const nameEnd = s[3 * index + 2];
    return new HeaderField(
      this.section,
      s[3 * index],
      s[3 * index + 1],
      nameEnd < 0 ? ~nameEnd : nameEnd,
      nameEnd >= 0,
    );
  }

  /**
   * Index of the first real field named `lower` (lowercase) at or after
   * `from`, compared without making strings; -1 when there is none.
   */
  indexOf(lower: string, from = 0): number {
    for (let i = Math.max(0, from); i < this.length; i++) {
      if (this.#named(i, lower)) return i;
    }
    return -1;
  }

  #named(i: number, lower: string): boolean {
    const start = this.#spans[3 * i];
    const nameEnd = this.#spans[3 * i + 2];
    if (nameEnd < 0 || nameEnd - start !== lower.length) return false;
    return sameName(this.section, start, lower);
  }

  /** Iterates the fields in message order. */
  *[Symbol.iterator](): Iterator<HeaderField> {
    for (let i = 0; i < this.length; i++) yield this.at(i)!;
  }
}

function sameName(section: Uint8Array, start: number, lower: string): boolean {
  for (let i = 0; i < lower.length; i++) {
    let b = section[start + i];
    if (b >= 0x41 && b <= 0x5a) b += 0x20;
    if (b !== lower.charCodeAt(i)) return false;
  }
  return true;
}

/**
 * Splits a header section into fields. A line starting with SP or HTAB
 * continues the previous field (or starts a nameless one at the top). A line
 * without `:` is a field with `hasColon` false and its whole text as name.
 */
export function splitFields(section: Uint8Array): HeaderFields {
  // Spans are gathered in a scratch array kept between calls, then copied
  // once at their final size.
  let spans = _spans;
  let count = 0;
  let start = 0;
  let fieldStart = -1;
  const close = (end: number) => {
    if (fieldStart < 0) return;
    if (3 * count + 3 > spans.length) {
      const grown = new Int32Array(spans.length * 2);
      grown.set(spans);
      spans = grown;
    }
    spans[3 * count] = fieldStart;
    spans[3 * count + 1] = end;
    spans[3 * count + 2] = nameEndOf(section, fieldStart, end);
    count++;
  };
  while (start < section.length) {
    let end = section.indexOf(LF, start);
    end = end < 0 ? section.length : end + 1;
    const first = section[start];
    const continuation = (first === SP || first === HTAB) && fieldStart >= 0;
    if (!continuation) {
      close(start);
      fieldStart = start;
    }
    start = end;
  }
  close(section.length);
  // A scratch array grown for a huge section is not kept.
  if (spans.length <= _SPANS_KEPT) _spans = spans;
  return new HeaderFields(section, spans.slice(0, 3 * count), count);
}

/** splitFields()' scratch spans, and the largest size kept between calls. */
let _spans: Int32Array = new Int32Array(3 * 64);
const _SPANS_KEPT = 3 * 4096;

/** Where the field's name ends: the `:`, or (no colon) `~` the line's end. */
function nameEndOf(section: Uint8Array, start: number, end: number): number {
  for (let i = start; i < end; i++) {
    if (section[i] === 0x3a) return i;
    if (section[i] === LF) break;
  }
  let nameEnd = end;
  while (
    nameEnd > start &&
    (section[nameEnd - 1] === LF || section[nameEnd - 1] === CR)
  ) {
    nameEnd--;
  }
  return ~nameEnd;
}

/**
 * True when the header section's first line starts with SP or HTAB: it has
 * no parseable header section (domainkeys.md 1.10, bad format), and any
 * header added on top would be continued by that line.
 */
export function startsWithWhitespace(fields: HeaderFields): boolean {
  const first = fields.section[0];
  return first === SP || first === HTAB;
}

/**
 * The field's value after the `:`, unfolded (CRLF/LF before whitespace
 * removed, a final line end dropped), as latin1 text. "" without a colon.
 */
export function fieldValue(field: HeaderField): string {
  if (!field.hasColon) return "";
  const text = latin1(field.raw);
  return text.slice(text.indexOf(":") + 1).replace(/\r?\n(?=[ \t])/g, "")
    .replace(/\r?\n$/, "");
}
