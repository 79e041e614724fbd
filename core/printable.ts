/**
 * Untrusted text made safe to print: shared by every scheme and command.
 *
 * @module
 */

/**
 * Escapes control and non-ASCII characters (as `\xNN`, by code point) so
 * untrusted text is safe to print; cuts it at about `max` characters with
 * `...`. Never throws.
 */
export function printable(text: string, max = 80): string {
  let out = "";
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    out += code < 0x20 || code === 0x7f || code > 0x7e
      ? `\\x${code.toString(16).padStart(2, "0")}`
      : ch;
    if (out.length > max) return out.slice(0, max) + "...";
  }
  return out;
}
