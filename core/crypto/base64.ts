/**
 * Base64 (RFC 4648 section 4) for key records, signatures and the embedded
 * wasm core: strict decode, plain decode, encode. The runtime's native
 * `Uint8Array.fromBase64`/`toBase64` are used where present: `atob` costs
 * about 2 ms on its first call in Deno, which queue mode pays per message.
 *
 * @module
 */

import { latin1 } from "../bytes.ts";

const ALPHABET = /^[A-Za-z0-9+/]*={0,2}$/;

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
 * impossible length. Missing final padding is accepted.
 */
export function decodeBase64Strict(text: string): Uint8Array | null {
  if (!ALPHABET.test(text)) return null;
  const unpadded = text.replace(/=+$/, "");
  if (unpadded.length % 4 === 1) return null;
  if (text.length !== unpadded.length && text.length % 4 !== 0) return null;
  try {
    return decodeBase64(unpadded);
  } catch {
    return null;
  }
}

/** Encodes bytes as standard base64 with padding. */
export function encodeBase64(bytes: Uint8Array): string {
  const native = (bytes as unknown as { toBase64?: () => string }).toBase64;
  if (native) return native.call(bytes);
  return btoa(latin1(bytes));
}
