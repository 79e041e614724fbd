/**
 * The header section of a message, read from bytes in any chunking: where it
 * ends, and its fields (name, raw bytes with their line ends). Works on bytes
 * so 8-bit and NUL bytes survive; LF and CRLF line ends are both accepted.
 *
 * @module
 */

import { latin1 } from "../bytes.ts";

const LF = 0x0a;
const CR = 0x0d;
const SP = 0x20;
const HTAB = 0x09;

/** One header field: its first line and continuation lines. */
export interface HeaderField {
  /** The name as written (text before the first `:`, latin1), "" if none. */
  name: string;
  /** The name lowercased, for comparisons. */
  lower: string;
  /** True when the first line has a `:` (a real field). */
  hasColon: boolean;
  /** The field's bytes, continuation lines and line ends included. */
  raw: Uint8Array;
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
  /** True when any line ended in CRLF. */
  sawCrlf = false;
  #lastCr = false;

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
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i];
      if (b === LF && this.#lastCr) this.sawCrlf = true;
      this.#lastCr = b === CR;
      if (this.#crAtLineStart) {
        this.#crAtLineStart = false;
        if (b === LF) return this.#finish(chunk, i + 1, 2);
        this.#atLineStart = false;
      }
      if (this.#atLineStart) {
        if (b === LF) return this.#finish(chunk, i + 1, 1);
        if (b === CR) {
          this.#crAtLineStart = true;
          continue;
        }
        this.#atLineStart = false;
      }
      if (b === LF) this.#atLineStart = true;
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
    const out = new Uint8Array(this.#size);
    let at = 0;
    for (const p of this.#parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  }
}

/**
 * Splits a header section into fields. A line starting with SP or HTAB
 * continues the previous field (or starts a nameless one at the top). A line
 * without `:` is a field with `hasColon` false and its whole text as name.
 */
export function splitFields(section: Uint8Array): HeaderField[] {
  const fields: HeaderField[] = [];
  let start = 0;
  let fieldStart = -1;
  const close = (end: number) => {
    if (fieldStart < 0) return;
    fields.push(makeField(section.subarray(fieldStart, end)));
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
  return fields;
}

function makeField(raw: Uint8Array): HeaderField {
  let colon = -1;
  for (let i = 0; i < raw.length; i++) {
    if (raw[i] === 0x3a) {
      colon = i;
      break;
    }
    if (raw[i] === LF) break;
  }
  let nameEnd = colon;
  if (colon < 0) {
    nameEnd = raw.length;
    while (
      nameEnd > 0 && (raw[nameEnd - 1] === LF || raw[nameEnd - 1] === CR)
    ) {
      nameEnd--;
    }
  }
  const name = latin1(raw.subarray(0, nameEnd));
  return { name, lower: name.toLowerCase(), hasColon: colon >= 0, raw };
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
