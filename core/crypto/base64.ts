/**
 * Base64 (RFC 4648 section 4) for key records and signatures: strict decode,
 * plain encode.
 *
 * @module
 */

const ALPHABET = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * Decodes standard base64. Returns null for any character outside the
 * alphabet (whitespace included: strip it first), misplaced padding, or an
 * impossible length. Missing final padding is accepted.
 */
export function decodeBase64Strict(text: string): Uint8Array | null {
  if (!ALPHABET.test(text)) return null;
  const unpadded = text.replace(/=+$/, "");
  if (unpadded.length % 4 === 1) return null;
  if (text.length !== unpadded.length && text.length % 4 !== 0) return null;
  let binary: string;
  try {
    binary = atob(unpadded);
  } catch {
    return null;
  }
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

/** Encodes bytes as standard base64 with padding. */
export function encodeBase64(bytes: Uint8Array): string {
  let binary = "";
  const step = 0x8000;
  for (let i = 0; i < bytes.length; i += step) {
    binary += String.fromCharCode(...bytes.subarray(i, i + step));
  }
  return btoa(binary);
}
