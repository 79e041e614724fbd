/**
 * DKIM header canonicalization (RFC 6376 section 3.4.1 and 3.4.2, dkim.md
 * 2.2), one function per mode. A field comes in as its raw bytes, line ends
 * LF or CRLF (a CR not before LF is data), and leaves with one final CRLF.
 *
 * @module
 */

import { writeCrlfField } from "../message/line_end.ts";

/** The two DKIM canonicalization modes. */
export type CanonMode = "simple" | "relaxed";

const LF = 0x0a;
const CR = 0x0d;
const SP = 0x20;
const HTAB = 0x09;
const COLON = 0x3a;

/** Length of `raw` without its final line end (LF or CRLF). */
function _withoutLineEnd(raw: Uint8Array): number {
  let end = raw.length;
  if (end && raw[end - 1] === LF) {
    end--;
    if (end && raw[end - 1] === CR) end--;
  }
  return end;
}

/**
 * `simple` (RFC 6376 3.4.1): the field unchanged, each line end made CRLF,
 * one CRLF at the end (added when the field has none).
 */
export function canonHeaderSimple(raw: Uint8Array): Uint8Array {
  const out = new Uint8Array(canonHeaderBound(raw.length, "simple"));
  return out.subarray(0, canonHeaderInto(raw, "simple", out, 0));
}

/**
 * `relaxed` (RFC 6376 3.4.2): the name lowercased; the field unfolded (every
 * line end removed); each run of SP/HTAB made one SP; whitespace at the end
 * of the value and around the colon removed; `name:value` and CRLF. A field
 * without a colon is treated as all name.
 */
export function canonHeaderRelaxed(raw: Uint8Array): Uint8Array {
  const out = new Uint8Array(canonHeaderBound(raw.length, "relaxed"));
  return out.subarray(0, canonHeaderInto(raw, "relaxed", out, 0));
}

function _relaxedInto(raw: Uint8Array, out: Uint8Array, at: number): number {
  const end = _withoutLineEnd(raw);
  let n = at;
  let i = 0;
  // The name, lowercased, its WSP dropped before the colon (and kept, as
  // one SP, between words of a name without a colon).
  let space = false; // a WSP run is pending (written only before a non-WSP)
  for (; i < end; i++) {
    let b = raw[i];
    if (b === LF) continue; // unfolding: line ends vanish
    if (b === CR && raw[i + 1] === LF) continue;
    if (b === SP || b === HTAB) {
      space = true;
      continue;
    }
    if (b === COLON) break;
    if (space) out[n++] = SP;
    space = false;
    if (b >= 0x41 && b <= 0x5a) b += 0x20;
    out[n++] = b;
  }
  if (i < end) {
    // The colon, then the value: leading WSP dropped, runs made one SP,
    // trailing WSP dropped (a run is written only before a non-WSP).
    out[n++] = COLON;
    i++;
    space = false;
    let started = false;
    for (; i < end; i++) {
      const b = raw[i];
      if (b === SP || b === HTAB) {
        space = true;
        continue;
      }
      if (b === LF || (b === CR && raw[i + 1] === LF)) continue;
      if (space && started) out[n++] = SP;
      space = false;
      started = true;
      out[n++] = b;
    }
  }
  out[n++] = CR;
  out[n++] = LF;
  return n;
}

/** The most octets a field of `length` raw octets canonicalizes to. */
export function canonHeaderBound(length: number, mode: CanonMode): number {
  return mode === "simple" ? length * 2 + 2 : length + 3;
}

/**
 * Writes `raw` canonicalized in `mode` (ending in CRLF) into `out` at `at`
 * and returns where it ends; `out` must have
 * {@link canonHeaderBound} octets of room from `at`.
 */
export function canonHeaderInto(
  raw: Uint8Array,
  mode: CanonMode,
  out: Uint8Array,
  at: number,
): number {
  return mode === "simple"
    ? writeCrlfField(raw, out, at)
    : _relaxedInto(raw, out, at);
}

/** One field canonicalized in `mode`, ending in CRLF. */
export function canonHeader(raw: Uint8Array, mode: CanonMode): Uint8Array {
  return mode === "simple" ? canonHeaderSimple(raw) : canonHeaderRelaxed(raw);
}
