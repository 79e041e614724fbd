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
/** Past this many bytes in the block, flush before writing more (a step writes at most 3). */
const _ROOM = BLOCK - 4;

/** Per mode, what each byte is: 0 plain, 1 CR or LF, {@link _WSP} (relaxed). */
const _SPECIAL_SIMPLE = new Uint8Array(256);
_SPECIAL_SIMPLE[CR] = _SPECIAL_SIMPLE[LF] = 1;
const _WSP = 2;
const _SPECIAL_RELAXED = _SPECIAL_SIMPLE.slice();
_SPECIAL_RELAXED[SP] = _SPECIAL_RELAXED[HTAB] = _WSP;

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
    // The state lives in locals for the loop (every body byte comes
    // through here) and goes back to the fields at the end.
    const out = _block ??= new Uint8Array(BLOCK);
    const relaxed = this.#relaxed;
    const special = relaxed ? _SPECIAL_RELAXED : _SPECIAL_SIMPLE;
    let used = 0;
    let written = 0;
    let pendingEmpty = this.#pendingEmpty;
    let pendingCr = this.#pendingCr;
    let pendingSpace = this.#pendingSpace;
    let lineHasContent = this.#lineHasContent;
    const n = chunk.length;
    let i = 0;
    while (i < n) {
      if (used > _ROOM) {
        written += used;
        this.#sink(out.subarray(0, used));
        used = 0;
      }
      let b = chunk[i++];
      if (pendingCr) {
        pendingCr = false;
        if (b !== LF) {
          i--; // a CR not before LF is data: write it, then look at b again
          b = CR;
        } // else CRLF: the LF below ends the line.
      } else if (b === CR) {
        pendingCr = true;
        continue;
      }
      if (b === LF) {
        if (lineHasContent) {
          out[used++] = CR;
          out[used++] = LF;
        } else pendingEmpty++;
        lineHasContent = false;
        pendingSpace = false;
        continue;
      } else if (relaxed && (b === SP || b === HTAB)) {
        pendingSpace = true;
        continue;
      }
      // A content byte (b, or a CR that is data).
      if (!lineHasContent) {
        lineHasContent = true;
        for (; pendingEmpty > 0; pendingEmpty--) {
          if (used > _ROOM) {
            written += used;
            this.#sink(out.subarray(0, used));
            used = 0;
          }
          out[used++] = CR;
          out[used++] = LF;
        }
      }
      if (pendingSpace) {
        pendingSpace = false;
        out[used++] = SP;
      }
      out[used++] = b;
      if (b === CR) continue;
      // The plain bytes after it, and (relaxed) single SP or HTAB between
      // plain bytes, in one tight loop: most of a line never leaves it.
      // Each input byte gives at most one output byte here.
      const stop = Math.min(n, i + (BLOCK - used));
      while (i < stop) {
        const c = chunk[i];
        const kind = special[c];
        if (kind === 0) {
          out[used++] = c;
          i++;
        } else if (
          kind === _WSP && i + 1 < stop && special[chunk[i + 1]] === 0
        ) {
          out[used++] = SP;
          out[used++] = chunk[i + 1];
          i += 2;
        } else break;
      }
    }
    this.#pendingEmpty = pendingEmpty;
    this.#pendingCr = pendingCr;
    this.#pendingSpace = pendingSpace;
    this.#lineHasContent = lineHasContent;
    this.#length += written + used;
    if (used > 0) this.#sink(out.subarray(0, used));
  }

  /** Ends the body and flushes everything to the sink. Idempotent. */
  end(): void {
    if (this.#ended) return;
    this.#ended = true;
    const out = _block ??= new Uint8Array(BLOCK);
    let used = 0;
    const put = (b: number) => {
      if (used === BLOCK) {
        this.#sink(out.subarray(0, used));
        used = 0;
      }
      out[used++] = b;
      this.#length++;
    };
    if (this.#pendingCr) {
      // A last CR without its LF is data.
      this.#pendingCr = false;
      if (!this.#lineHasContent) {
        this.#lineHasContent = true;
        for (; this.#pendingEmpty > 0; this.#pendingEmpty--) {
          put(CR);
          put(LF);
        }
      }
      if (this.#pendingSpace) put(SP);
      put(CR);
    }
    if (this.#lineHasContent) {
      put(CR);
      put(LF);
    }
    if (!this.#relaxed && this.#length === 0) {
      put(CR);
      put(LF);
    }
    if (used > 0) this.#sink(out.subarray(0, used));
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
