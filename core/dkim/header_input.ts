/**
 * The header hash input of one DKIM signature (RFC 6376 section 5.4.2,
 * dkim.md 2.4): the fields `h=` names, each the bottom-most of its name not
 * yet taken, canonicalized, then the signature field itself with its `b=`
 * value deleted and no final CRLF. Selection goes through a map from name to
 * fields, so its cost is linear in fields plus names.
 *
 * @module
 */

import {
  canonHeaderBound,
  canonHeaderInto,
  type CanonMode,
} from "./canon_header.ts";
import type { HeaderField, HeaderFields } from "../message/header.ts";

/**
 * A field's name for DKIM (2.1): the text before the first colon with
 * trailing SP/HTAB removed, lowercased; null for a line without a colon.
 */
export function dkimFieldName(field: HeaderField): string | null {
  if (!field.hasColon) return null;
  const lower = field.lower;
  const last = lower.charCodeAt(lower.length - 1);
  return last === 0x20 || last === 0x09 ? lower.replace(/[ \t]+$/, "") : lower;
}

/** Field positions by DKIM name, top to bottom. */
export type FieldIndex = Map<string, number[]>;

/** Builds the name → positions map of a header section. */
export function indexFields(fields: HeaderFields): FieldIndex {
  const index: FieldIndex = new Map();
  for (let at = 0; at < fields.length; at++) {
    const name = dkimFieldName(fields.at(at)!);
    if (name !== null) {
      const list = index.get(name);
      if (list) list.push(at);
      else index.set(name, [at]);
    }
  }
  return index;
}

/**
 * The positions `names` select (2.4 step 1), in `h=` order: for each name
 * the bottom-most field of that name not yet taken; a name with none left
 * adds nothing. The field at `self` (the signature being verified) is never
 * taken (step 4).
 */
export function selectFields(
  index: FieldIndex,
  names: string[],
  self: number,
): number[] {
  const next = new Map<string, number>();
  const taken: number[] = [];
  for (const name of names) {
    const list = index.get(name);
    if (!list) continue;
    let at = next.get(name) ?? list.length - 1;
    if (at >= 0 && list[at] === self) at--;
    if (at < 0) {
      next.set(name, -1);
      continue;
    }
    taken.push(list[at]);
    next.set(name, at - 1);
  }
  return taken;
}

/**
 * The bytes hashed for the header signature: each selected field
 * canonicalized in `mode`, then `unsigned` (the signature field with its
 * `b=` value deleted) canonicalized without its final CRLF.
 */
export function headerInput(
  fields: HeaderFields,
  selected: number[],
  unsigned: Uint8Array,
  mode: CanonMode,
): Uint8Array {
  const raws = selected.map((at) => fields.at(at)!.raw);
  const out = new Uint8Array(_bound(raws, unsigned, mode));
  return out.subarray(0, _write(raws, unsigned, mode, out));
}

/**
 * Hands {@link headerInput}'s bytes to `sink` without keeping them: they
 * are built in a buffer shared by every call, valid only during the call
 * (the verifier feeds them to its hash at once; no allocation per message).
 */
export function feedHeaderInput(
  fields: HeaderFields,
  selected: number[],
  unsigned: Uint8Array,
  mode: CanonMode,
  sink: (bytes: Uint8Array) => void,
): void {
  const raws = selected.map((at) => fields.at(at)!.raw);
  const room = _bound(raws, unsigned, mode);
  const out = room <= _scratch.length
    ? _scratch
    : room <= _SCRATCH_KEPT
    ? _scratch = new Uint8Array(room)
    : new Uint8Array(room);
  sink(out.subarray(0, _write(raws, unsigned, mode, out)));
}

/** feedHeaderInput()'s buffer, kept between calls up to a size. */
let _scratch = new Uint8Array(4096);
const _SCRATCH_KEPT = 64 * 1024;

/** The most octets the header input of these fields can take. */
function _bound(
  raws: Uint8Array[],
  unsigned: Uint8Array,
  mode: CanonMode,
): number {
  let room = canonHeaderBound(unsigned.length, mode);
  for (const raw of raws) room += canonHeaderBound(raw.length, mode);
  return room;
}

/** Writes the header input into `out`; returns its length. */
function _write(
  raws: Uint8Array[],
  unsigned: Uint8Array,
  mode: CanonMode,
  out: Uint8Array,
): number {
  // One buffer for all of it: no copy per field, no concatenation.
  let n = 0;
  for (const raw of raws) n = canonHeaderInto(raw, mode, out, n);
  n = canonHeaderInto(unsigned, mode, out, n);
  return n - 2;
}
