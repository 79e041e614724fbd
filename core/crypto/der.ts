/**
 * A minimal, total DER reader and writer for the few ASN.1 shapes RSA keys
 * use (SEQUENCE, INTEGER, BIT STRING, OCTET STRING, OID, NULL). Reading never
 * throws: malformed input gives null.
 *
 * @module
 */

import { concat } from "../bytes.ts";

export { concat };

/** One DER element: its tag, its content bytes, and where it ended. */
export interface DerElement {
  /** The identifier octet (e.g. 0x30 SEQUENCE, 0x02 INTEGER). */
  tag: number;
  /** The content octets. */
  content: Uint8Array;
  /** Offset just past this element in the input. */
  end: number;
}

/** DER tags used by RSA key formats. */
export const TAG = {
  integer: 0x02,
  bitString: 0x03,
  octetString: 0x04,
  null: 0x05,
  oid: 0x06,
  sequence: 0x30,
} as const;

/**
 * Reads one element at `offset`. Returns null for a truncated element, a
 * high-tag-number form, an indefinite or non-minimal length.
 */
export function readElement(
  bytes: Uint8Array,
  offset = 0,
): DerElement | null {
  if (offset + 2 > bytes.length) return null;
  const tag = bytes[offset];
  if ((tag & 0x1f) === 0x1f) return null;
  let length = bytes[offset + 1];
  let at = offset + 2;
  if (length & 0x80) {
    const count = length & 0x7f;
    if (count === 0 || count > 4 || at + count > bytes.length) return null;
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + bytes[at + i];
    at += count;
    if (length < 0x80 || (count > 1 && bytes[at - count] === 0)) return null;
  }
  if (at + length > bytes.length) return null;
  return { tag, content: bytes.subarray(at, at + length), end: at + length };
}

/**
 * Reads all elements inside a constructed content (e.g. a SEQUENCE's
 * content). Returns null when any element is malformed.
 */
export function readChildren(content: Uint8Array): DerElement[] | null {
  const out: DerElement[] = [];
  let at = 0;
  while (at < content.length) {
    const element = readElement(content, at);
    if (element === null) return null;
    out.push(element);
    at = element.end;
  }
  return out;
}

/**
 * Reads a whole input that must be exactly one element with `tag`; returns
 * its children, or null on any mismatch or trailing bytes.
 */
export function readSequence(bytes: Uint8Array): DerElement[] | null {
  const element = readElement(bytes);
  if (element === null || element.tag !== TAG.sequence) return null;
  if (element.end !== bytes.length) return null;
  return readChildren(element.content);
}

/**
 * The unsigned value of a DER INTEGER, leading zero bytes removed. Returns
 * null for a negative integer or a non-INTEGER element.
 */
export function unsignedInteger(element: DerElement): Uint8Array | null {
  if (element.tag !== TAG.integer || element.content.length === 0) return null;
  let content = element.content;
  if (content[0] & 0x80) return null;
  let start = 0;
  while (start < content.length - 1 && content[start] === 0) start++;
  content = content.subarray(start);
  return content;
}

/** Encodes one DER element. */
export function encodeElement(
  tag: number,
  content: Uint8Array,
): Uint8Array<ArrayBuffer> {
  const length = content.length;
  let header: number[];
  if (length < 0x80) {
    header = [tag, length];
  } else {
    const octets: number[] = [];
    for (let l = length; l > 0; l = Math.floor(l / 256)) {
      octets.unshift(l % 256);
    }
    header = [tag, 0x80 | octets.length, ...octets];
  }
  const out = new Uint8Array(header.length + length);
  out.set(header);
  out.set(content, header.length);
  return out;
}

/**
 * Encodes an unsigned big-endian magnitude as a DER INTEGER (leading zero
 * bytes dropped; an empty or all-zero magnitude is INTEGER 0).
 */
export function encodeUnsigned(magnitude: Uint8Array): Uint8Array {
  let start = 0;
  while (start < magnitude.length - 1 && magnitude[start] === 0) start++;
  const trimmed = magnitude.length
    ? magnitude.subarray(start)
    : Uint8Array.of(0);
  const content = trimmed[0] & 0x80
    ? concat(new Uint8Array([0]), trimmed)
    : trimmed;
  return encodeElement(TAG.integer, content);
}
