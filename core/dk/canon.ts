/**
 * DomainKeys canonicalization (RFC 4870 section 3.4, domainkeys.md 1.5):
 * `simple` and `nofws`, split by axis. Header fields are canonicalized whole;
 * the body streams through a small state machine, so chunk boundaries never
 * matter and nothing is quadratic. LF and CRLF line ends both become CRLF; a
 * CR not followed by LF is data (`nofws` deletes it).
 *
 * @module
 */

import { writeCrlfField } from "../message/line_end.ts";

/** The canonicalizations DomainKeys defines. */
export type Canon = "simple" | "nofws";

const LF = 0x0a;
const CR = 0x0d;
const SP = 0x20;
const HTAB = 0x09;
const CRLF = new Uint8Array([CR, LF]);

/**
 * One header field canonicalized: `simple` keeps the bytes (line ends made
 * CRLF); `nofws` deletes every SP, HTAB, CR and LF. Both end in CRLF.
 */
export function canonHeader(raw: Uint8Array, canon: Canon): Uint8Array {
  const out = new Uint8Array(raw.length * 2 + 2);
  return out.subarray(0, canonInto(raw, canon, out, 0));
}

/** Writes {@link canonHeader}'s bytes into `out` at `n`; returns the new end. */
function canonInto(
  raw: Uint8Array,
  canon: Canon,
  out: Uint8Array,
  n: number,
): number {
  if (canon !== "nofws") return writeCrlfField(raw, out, n);
  for (let i = 0; i < raw.length; i++) {
    const b = raw[i];
    if (b !== SP && b !== HTAB && b !== CR && b !== LF) out[n++] = b;
  }
  out[n++] = CR;
  out[n++] = LF;
  return n;
}

/** Bytes gathered before {@link canonHeaders} hands them on. */
const HEADER_BATCH = 64 * 1024;
/** The first batch's size: a usual header section fits, in far less. */
const FIRST_BATCH = 2048;

/**
 * Canonicalizes header fields (their `raw` bytes) in order (as {@link canonHeader} each) and
 * hands the result to `sink` in batches (the first of up to 2 KB, each next
 * twice as large, up to 64 KB), so a section of many short lines makes a
 * few buffers, not one per line, and a usual one a small one. `sink` may
 * keep what it is given (every batch is a fresh array). Empty input calls
 * nothing.
 */
export function canonHeaders(
  fields: Iterable<{ readonly raw: Uint8Array }>,
  canon: Canon,
  sink: (bytes: Uint8Array) => void,
): void {
  let out = new Uint8Array(FIRST_BATCH);
  let n = 0;
  const flush = () => {
    if (!n) return;
    sink(out.subarray(0, n));
    out = new Uint8Array(Math.min(out.length * 2, HEADER_BATCH));
    n = 0;
  };
  for (const field of fields) {
    const raw = field.raw;
    const most = raw.length * 2 + 2;
    if (n + most > out.length) flush();
    if (most > out.length) {
      if (most > HEADER_BATCH) {
        sink(canonHeader(raw, canon));
        continue;
      }
      out = new Uint8Array(HEADER_BATCH);
    }
    n = canonInto(raw, canon, out, n);
  }
  if (n) sink(out.subarray(0, n));
}

/** What a body byte is to the canonicalizer. */
const PLAIN = 0;
const IS_CR = 1;
const IS_LF = 2;
/** SP and HTAB under `nofws`: deleted. */
const DROP = 3;

function byteClasses(nofws: boolean): Uint8Array {
  const table = new Uint8Array(256);
  table[CR] = IS_CR;
  table[LF] = IS_LF;
  if (nofws) table[SP] = table[HTAB] = DROP;
  return table;
}

const NOFWS_CLASSES = byteClasses(true);
const SIMPLE_CLASSES = byteClasses(false);

/**
 * Streams a body into its canonical form. Lines are emitted as they
 * complete; empty lines are held back as a count and emitted only when a
 * non-empty line follows, so trailing empty lines vanish. The first emitted
 * byte is preceded by the CRLF that separates headers from body; an empty
 * canonical body emits nothing at all. One loop with a byte table copies
 * each run of plain bytes; the line state is touched once per line, not
 * per byte (fast from a run's first messages, before the JIT has done its
 * work).
 */
export class BodyCanonicalizer {
  readonly #nofws: boolean;
  readonly #classes: Uint8Array;
  readonly #sink: (bytes: Uint8Array) => void;
  #pendingEmpty = 0;
  #lineHasContent = false;
  #pendingCr = false;
  #started = false;

  /** `sink` receives canonical bytes (possibly in many pieces). */
  constructor(canon: Canon, sink: (bytes: Uint8Array) => void) {
    this.#nofws = canon === "nofws";
    this.#classes = this.#nofws ? NOFWS_CLASSES : SIMPLE_CLASSES;
    this.#sink = sink;
  }

  /** Feeds body bytes. */
  update(chunk: Uint8Array): void {
    // Written front to back, never over: what went to the sink stays as it
    // was (views of one fresh array, no copies).
    const out = new Uint8Array(chunk.length * 2 + 8);
    const classes = this.#classes;
    const length = chunk.length;
    let n = 0;
    let start = 0;
    let i = 0;
    if (this.#pendingCr && length) {
      this.#pendingCr = false;
      if (chunk[0] === LF) {
        i = 1;
        n = this.#endLine(out, n);
      } else if (!this.#nofws) {
        // A lone CR is data: kept by simple, deleted by nofws.
        if (!this.#lineHasContent) start = this.#beginLine(out, n, start);
        out[n++] = CR;
      }
    }
    while (i < length) {
      let b = chunk[i];
      const kind = classes[b];
      if (kind === PLAIN) {
        if (!this.#lineHasContent) start = this.#beginLine(out, n, start);
        do {
          out[n++] = b;
          if (++i === length) break;
          b = chunk[i];
        } while (classes[b] === PLAIN);
        continue;
      }
      i++;
      if (kind === IS_LF) {
        n = this.#endLine(out, n);
      } else if (kind === IS_CR) {
        if (i === length) {
          this.#pendingCr = true;
        } else if (chunk[i] === LF) {
          i++;
          n = this.#endLine(out, n);
        } else if (!this.#nofws) {
          if (!this.#lineHasContent) start = this.#beginLine(out, n, start);
          out[n++] = CR;
        }
      }
      // DROP: nofws deletes SP and HTAB.
    }
    if (n > start) this.#sink(out.subarray(start, n));
  }

  /** Ends the body: a final line without line end counts as a line. */
  end(): void {
    const out = new Uint8Array(8);
    let n = 0;
    let start = 0;
    if (this.#pendingCr) {
      this.#pendingCr = false;
      if (!this.#nofws) {
        if (!this.#lineHasContent) start = this.#beginLine(out, n, start);
        out[n++] = CR;
      }
    }
    if (this.#lineHasContent) {
      out[n++] = CR;
      out[n++] = LF;
      this.#lineHasContent = false;
    }
    if (n > start) this.#sink(out.subarray(start, n));
  }

  /**
   * The first byte of a non-empty line is next: releases what `out` holds
   * from `start` to `n`, then the separator and the held empty lines, when
   * there are any. Returns where `out`'s unreleased bytes now start.
   */
  #beginLine(out: Uint8Array, n: number, start: number): number {
    this.#lineHasContent = true;
    if (this.#started && this.#pendingEmpty === 0) return start;
    if (n > start) this.#sink(out.subarray(start, n));
    if (!this.#started) {
      this.#started = true;
      this.#sink(CRLF);
    }
    for (; this.#pendingEmpty > 0; this.#pendingEmpty--) this.#sink(CRLF);
    return n;
  }

  #endLine(out: Uint8Array, n: number): number {
    if (this.#lineHasContent) {
      out[n++] = CR;
      out[n++] = LF;
      this.#lineHasContent = false;
    } else {
      this.#pendingEmpty++;
    }
    return n;
  }
}
