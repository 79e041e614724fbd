/**
 * DomainKeys tag lists (RFC 4870 section 3.2, as libdomainkeys parses them):
 * `tag=value` pairs separated by `;`, used by the signature header, the key
 * record and the policy record.
 *
 * @module
 */

import { printable } from "../printable.ts";
import { err, ok, type Result } from "../result.ts";

/**
 * Parses a tag list. Tag names are exactly one lowercase ASCII letter; a tag
 * given twice, a name that is not one lowercase letter, or a pair without
 * `=` is an error. Every SP, HTAB, CR and LF inside a value is removed, as is
 * whitespace around names. Empty pairs (`;;`, a trailing `;`) are allowed.
 * Returns the tags in order, or an error string naming the fault.
 */
export function parseTagList(
  text: string,
): Result<Map<string, string>, string> {
  const tags = new Map<string, string>();
  for (const pair of text.split(";")) {
    if (/^[ \t\r\n]*$/.test(pair)) continue;
    const eq = pair.indexOf("=");
    if (eq < 0) return err(`tag without "=": "${printable(pair.trim())}"`);
    const name = pair.slice(0, eq).replace(/[ \t\r\n]+/g, "");
    if (!/^[a-z]$/.test(name)) {
      return err(`bad tag name "${printable(name)}"`);
    }
    if (tags.has(name)) return err(`tag "${name}" given twice`);
    tags.set(name, pair.slice(eq + 1).replace(/[ \t\r\n]+/g, ""));
  }
  return ok(tags);
}

/** Escapes untrusted text for printing (lives in `core/printable.ts`). */
export { printable };
