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

/** Decodes bytes as latin1 (every byte one char, nothing lost). */
export function latin1(bytes: Uint8Array): string {
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
