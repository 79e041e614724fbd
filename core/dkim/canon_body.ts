/**
 * DKIM body canonicalization (RFC 6376 section 3.4.3 and 3.4.4, dkim.md
 * 2.3), streaming: a small state machine fed chunks of any size, so chunk
 * boundaries never matter, and linear on any input (a run of whitespace is
 * one flag, a run of empty lines one counter; nothing is rescanned).
 *
 * Input line ends may be LF or CRLF; both become CRLF. A CR not before LF is
 * data. A last line without a line end gets one.
 *
 * @module
 */

import type { CanonMode } from "./canon_header.ts";

const LF = 0x0a;
const CR = 0x0d;
const SP = 0x20;
const HTAB = 0x09;
const BLOCK = 64 * 1024;

/**
 * The output block, shared by every canonicalizer: each one empties it into
 * its sink before `update()` or `end()` returns, so nothing lives in it
 * between calls and no message pays for allocating its own.
 */
let _block: Uint8Array | null = null;

/**
 * Streams a body into its canonical form, handing the output to `sink` in
 * blocks (at least once per `update()` that produced output). The bytes
 * given to `sink` are valid only during the call: a sink copies what it
 * keeps, and never feeds a canonicalizer itself. `simple`: lines unchanged, empty lines at the end removed, an
 * empty body is one CRLF. `relaxed`: whitespace at the end of each line
 * removed, other SP/HTAB runs made one SP, empty lines at the end removed
 * (lines emptied so included), an empty body is zero octets.
 */
export class BodyCanonicalizer {
  readonly #relaxed: boolean;
  readonly #sink: (bytes: Uint8Array) => void;
  #out: Uint8Array = new Uint8Array(0); // the shared block, while working
  #used = 0;
  #length = 0;
  #pendingEmpty = 0;
  #pendingCr = false;
  #pendingSpace = false;
  #lineHasContent = false;
  #ended = false;

  /** A canonicalizer for `mode` writing to `sink`. */
  constructor(mode: CanonMode, sink: (bytes: Uint8Array) => void) {
    this.#relaxed = mode === "relaxed";
    this.#sink = sink;
  }

  /** Canonical octets produced so far (all of them after `end()`). */
  get length(): number {
    return this.#length;
  }

  /** Feeds body bytes, in any chunking. */
  update(chunk: Uint8Array): void {
    this.#out = _block ??= new Uint8Array(BLOCK);
    const relaxed = this.#relaxed;
    const n = chunk.length;
    let i = 0;
    while (i < n) {
      const b = chunk[i];
      if (this.#pendingCr) {
        this.#pendingCr = false;
        if (b === LF) {
          this.#endLine();
          i++;
          continue;
        }
        this.#content(CR);
      }
      if (b === CR) this.#pendingCr = true;
      else if (b === LF) this.#endLine();
      else if (relaxed && (b === SP || b === HTAB)) this.#pendingSpace = true;
      else {
        // A run of plain bytes goes out in one copy: no per-byte calls.
        let j = i + 1;
        while (j < n) {
          const c = chunk[j];
          if (c === CR || c === LF || (relaxed && (c === SP || c === HTAB))) {
            break;
          }
          j++;
        }
        this.#run(chunk, i, j);
        i = j;
        continue;
      }
      i++;
    }
    this.#flush();
  }

  /** Ends the body and flushes everything to the sink. Idempotent. */
  end(): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#out = _block ??= new Uint8Array(BLOCK);
    if (this.#pendingCr) this.#content(CR);
    if (this.#lineHasContent) this.#crlf();
    if (!this.#relaxed && this.#length === 0) this.#crlf();
    this.#flush();
  }

  #content(b: number): void {
    if (!this.#lineHasContent) {
      this.#lineHasContent = true;
      for (; this.#pendingEmpty > 0; this.#pendingEmpty--) this.#crlf();
    }
    if (this.#pendingSpace) {
      this.#pendingSpace = false;
      this.#byte(SP);
    }
    this.#byte(b);
  }

  /** `chunk[from, to)`: plain content bytes (never CR, LF, or relaxed WSP). */
  #run(chunk: Uint8Array, from: number, to: number): void {
    this.#content(chunk[from]);
    from++;
    while (from < to) {
      if (this.#used === this.#out.length) this.#flush();
      const take = Math.min(to - from, this.#out.length - this.#used);
      const out = this.#out;
      let used = this.#used;
      for (const end = from + take; from < end; from++) {
        out[used++] = chunk[from];
      }
      this.#used = used;
      this.#length += take;
    }
  }

  #endLine(): void {
    if (this.#lineHasContent) this.#crlf();
    else this.#pendingEmpty++;
    this.#lineHasContent = false;
    this.#pendingSpace = false;
  }

  #crlf(): void {
    this.#byte(CR);
    this.#byte(LF);
  }

  #byte(b: number): void {
    if (this.#used === this.#out.length) this.#flush();
    this.#out[this.#used++] = b;
    this.#length++;
  }

  /** Hands the block's bytes to the sink and empties it. */
  #flush(): void {
    const used = this.#used;
    if (used === 0) return;
    this.#used = 0;
    this.#sink(this.#out.subarray(0, used));
  }
}

/** The canonical form of a whole body (tests and small inputs). */
export function canonBody(body: Uint8Array, mode: CanonMode): Uint8Array {
  const parts: Uint8Array[] = [];
  const canon = new BodyCanonicalizer(mode, (b) => parts.push(b.slice()));
  canon.update(body);
  canon.end();
  const out = new Uint8Array(canon.length);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
