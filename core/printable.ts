/**
 * Untrusted text made safe to print: the one escape dk uses before anything
 * from a message, a DNS answer, a key file or the command line reaches a
 * terminal or a log line.
 *
 * @module
 */

/**
 * `text` with every character outside printable ASCII (controls, DEL and
 * everything above 0x7E) written as `\\xHH` (its code point in hex), cut to
 * `max` characters (80 unless given; `Infinity` for none) with `...` when
 * longer. Never fails.
 */
export function printable(text: string, max = 80): string {
  let out = "";
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    out += code < 0x20 || code > 0x7e
      ? `\\x${code.toString(16).padStart(2, "0")}`
      : ch;
    if (out.length > max) return out.slice(0, max) + "...";
  }
  return out;
}
