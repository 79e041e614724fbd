/**
 * A {@link Resolver} answering from a zone file (`--zone FILE`): a BIND
 * master file or a tinydns `data` file, told apart by content. Pure: the
 * caller reads the file.
 *
 * @module
 */

import { err, ok, type Result } from "../result.ts";
import type { Resolver } from "./resolver.ts";
import { parseBindZone } from "./zone_bind.ts";
import { lookupTxt, type ZoneData } from "./zone_data.ts";
import { parseTinydnsData } from "./zone_tinydns.ts";

/** The two zone file formats. */
export type ZoneFormat = "bind" | "tinydns";

const TINYDNS_LINE = /^[.&=+@'^CZ:36\-%][^\s:]*:/;

/**
 * Guesses the format from the first line that is not blank or a comment: a
 * tinydns line is a leading type character, a name without blanks, then `:`;
 * anything else (a `$` directive, a name then blanks, a leading blank) is
 * BIND. A file of comments only is BIND (an empty zone).
 */
export function detectZoneFormat(bytes: Uint8Array): ZoneFormat {
  const text = new TextDecoder("latin1").decode(bytes.subarray(0, 65536));
  for (const line of text.split("\n")) {
    if (/^\s*$/.test(line) || line.startsWith(";") || line.startsWith("#")) {
      continue;
    }
    return TINYDNS_LINE.test(line) ? "tinydns" : "bind";
  }
  return "bind";
}

/** A resolver over parsed zone data (see {@link lookupTxt} for the answers). */
export function zoneDataResolver(zone: ZoneData): Resolver {
  return { txt: (name) => Promise.resolve(lookupTxt(zone, name)) };
}

/**
 * Parses `bytes` as a zone file of either format and returns a resolver over
 * it, or the parser's one-line `file:line` error. `origin` is the origin of
 * a BIND file before any `$ORIGIN` (ignored for tinydns).
 */
export function zoneResolver(
  bytes: Uint8Array,
  options: { file?: string; origin?: string } = {},
): Result<Resolver, string> {
  const parsed = detectZoneFormat(bytes) === "tinydns"
    ? parseTinydnsData(bytes, { file: options.file })
    : parseBindZone(bytes, options);
  return parsed.ok ? ok(zoneDataResolver(parsed.value)) : err(parsed.error);
}
