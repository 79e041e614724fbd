/**
 * Base64 (RFC 4648 section 4) for key records, signatures and the embedded
 * wasm core: strict decode, plain decode, encode. The runtime's native
 * `Uint8Array.fromBase64`/`toBase64` are used where present: `atob` costs
 * about 2 ms on its first call in Deno, which queue mode pays per message.
 *
 * @module
 */

import { latin1 } from "../bytes.ts";

const NATIVE = Uint8Array as unknown as {
  fromBase64?: (text: string) => Uint8Array<ArrayBuffer>;
};

/**
 * Decodes base64 with or without padding. Throws on characters outside the
 * alphabet; for untrusted text use {@link decodeBase64Strict}.
 */
export function decodeBase64(text: string): Uint8Array<ArrayBuffer> {
  if (NATIVE.fromBase64) return NATIVE.fromBase64(text);
  const binary = atob(text);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

/**
 * Decodes standard base64. Returns null for any character outside the
 * alphabet (whitespace included: strip it first), misplaced padding, or an
 * impossible length. Missing final padding is accepted; the bits past the
 * last whole byte are ignored, as the runtime's decoders ignore them.
 */
export function decodeBase64Strict(text: string): Uint8Array | null {
  // Decoded from bytes: a charCodeAt loop over a string is slower than
  // one native encodeInto() and a loop over bytes. A character above
  // U+007F becomes bytes above 0x7F, which are refused like any other.
  const room = text.length * 3;
  const buffer = room <= _SCRATCH_KEPT
    ? _scratch.length >= room ? _scratch : _scratch = new Uint8Array(room)
    : new Uint8Array(room);
  const { written } = _encoder.encodeInto(text, buffer);
  return _decodeStrict(buffer, written);
}

/**
 * {@link decodeBase64Strict} of base64 given as bytes (ASCII): the same
 * answer for the bytes as for their latin1 text.
 */
export function decodeBase64StrictBytes(bytes: Uint8Array): Uint8Array | null {
  return _decodeStrict(bytes, bytes.length);
}

const _encoder = new TextEncoder();
/** decodeBase64Strict()'s buffer for the text's bytes, kept up to a size. */
let _scratch = new Uint8Array(1024);
const _SCRATCH_KEPT = 64 * 1024;

const _PAD = 0x3d;
/** Value of each byte as a base64 character; -1 for the others. */
const _SEXTETS = (() => {
  const table = new Int8Array(256).fill(-1);
  const alphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  for (let i = 0; i < alphabet.length; i++) table[alphabet.charCodeAt(i)] = i;
  return table;
})();

/** The strict decoding of `bytes[0, length)`, or null. */
function _decodeStrict(bytes: Uint8Array, length: number): Uint8Array | null {
  let end = length;
  if (end > 0 && bytes[end - 1] === _PAD) {
    end--;
    if (end > 0 && bytes[end - 1] === _PAD) end--;
    if (length % 4 !== 0) return null;
  }
  if (end % 4 === 1) return null;
  const out = new Uint8Array((end * 3) >> 2);
  const t = _SEXTETS;
  const whole = end - (end % 4);
  let o = 0;
  for (let i = 0; i < whole; i += 4) {
    const v = (t[bytes[i]] << 18) | (t[bytes[i + 1]] << 12) |
      (t[bytes[i + 2]] << 6) | t[bytes[i + 3]];
    if (v < 0) return null; // some byte was -1 (the sign bit spreads)
    out[o++] = v >> 16;
    out[o++] = (v >> 8) & 0xff;
    out[o++] = v & 0xff;
  }
  if (end > whole) {
    const three = end - whole === 3;
    const v = (t[bytes[whole]] << 18) | (t[bytes[whole + 1]] << 12) |
      (three ? t[bytes[whole + 2]] << 6 : 0);
    if (v < 0) return null;
    out[o++] = v >> 16;
    if (three) out[o++] = (v >> 8) & 0xff;
  }
  return out;
}

/** Encodes bytes as standard base64 with padding. */
export function encodeBase64(bytes: Uint8Array): string {
  const native = (bytes as unknown as { toBase64?: () => string }).toBase64;
  if (native) return native.call(bytes);
  return btoa(latin1(bytes));
}
