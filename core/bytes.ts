/**
 * Byte-array helpers shared by every layer.
 *
 * @module
 */

/** Concatenates byte arrays into a new one. */
export function concat(...parts: Uint8Array[]): Uint8Array<ArrayBuffer> {
  return joinBytes(parts);
}

/**
 * Concatenates a list of byte arrays into a new one: {@link concat} for a
 * list of any length (thousands of stream chunks would be too many
 * arguments to spread).
 */
export function joinBytes(
  parts: readonly Uint8Array[],
): Uint8Array<ArrayBuffer> {
  let length = 0;
  for (const p of parts) length += p.length;
  const out = new Uint8Array(length);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Decodes ASCII bytes (UTF-8 and latin1 agree on them), natively. */
const _ascii = new TextDecoder();
/** From this length on, an ASCII check and one native decode are faster. */
const _NATIVE_FROM = 48;

/** Decodes bytes as latin1 (every byte one char, nothing lost). */
export function latin1(bytes: Uint8Array): string {
  if (bytes.length >= _NATIVE_FROM && _isAscii(bytes)) {
    return _ascii.decode(bytes);
  }
  let out = "";
  const step = 0x8000;
  for (let i = 0; i < bytes.length; i += step) {
    // apply() takes the typed array as it is (a spread would iterate it).
    out += String.fromCharCode.apply(
      null,
      bytes.subarray(i, i + step) as unknown as number[],
    );
  }
  return out;
}

function _isAscii(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) if (bytes[i] > 0x7f) return false;
  return true;
}
