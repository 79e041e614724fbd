/**
 * Byte strings: the tcprules language is bytes, not text. dk's rules code
 * holds file content, cdb keys and data as "byte strings": JavaScript strings
 * whose every char code is one byte (0–255), so nothing is lost or re-encoded
 * between the source file and the cdb.
 *
 * @module
 */

import { latin1 } from "../core/bytes.ts";

/**
 * Converts bytes to a byte string (char code = byte). Never fails; every byte
 * value maps to one char.
 */
export function fromBytes(bytes: Uint8Array): string {
  return latin1(bytes);
}

/**
 * Converts a byte string back to bytes. Chars above 0xFF (not a byte string)
 * keep only their low 8 bits.
 */
export function toBytes(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

/**
 * Encodes a Unicode string as UTF-8 and returns it as a byte string (for
 * command-line arguments such as a host name, compared with cdb keys).
 */
export function fromText(text: string): string {
  return fromBytes(new TextEncoder().encode(text));
}

/**
 * Decodes a byte string as UTF-8 for display or JSON; invalid sequences
 * become U+FFFD (never throws).
 */
export function toText(s: string): string {
  return new TextDecoder().decode(toBytes(s));
}

/**
 * Quotes a byte string for a message: wrapped in double quotes, with `"`,
 * `\`, control characters and bytes above 0x7E escaped (`\r`, `\t`, `\n`,
 * `\0`, `\xNN`), so no file content can forge a line or a terminal sequence.
 * Values longer than `max` bytes are cut and marked with `…`.
 */
export function quote(s: string, max = 80): string {
  let out = '"';
  const end = Math.min(s.length, max);
  for (let i = 0; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x22) out += '\\"';
    else if (c === 0x5c) out += "\\\\";
    else if (c === 0x0d) out += "\\r";
    else if (c === 0x0a) out += "\\n";
    else if (c === 0x09) out += "\\t";
    else if (c === 0) out += "\\0";
    else if (c < 0x20 || c > 0x7e) {
      out += "\\x" + c.toString(16).padStart(2, "0");
    } else out += s[i];
  }
  return out + (s.length > max ? '…"' : '"');
}
