/**
 * Reads a tinydns-data `data` file (djbdns 1.05 `tinydns-data.c`) into
 * {@link ZoneData}. `'fqdn:text:ttl` lines give TXT records, their text split
 * into 127-octet character-strings as tinydns-data splits it; generic
 * `:fqdn:16:rdata` lines give TXT records in their own wire form; `.` and `Z`
 * lines declare the zones answered; every other line type (`&`, `=`, `+`,
 * `@`, `^`, `C`, `3`, `6`, generic) makes its name exist. `\ooo` octal escapes
 * and `\X` work in names and text. Names outside every `.`/`Z` zone are not
 * answered by tinydns (no reply at all): the zone resolver calls them
 * `tempfail`. Pure. Every loop moves its index forward on every pass; the
 * `step` option lets tests count passes.
 *
 * @module
 */

import { err, ok, type Result } from "../result.ts";
import {
  addTxt,
  emptyZone,
  normalizeName,
  type ZoneData,
} from "./zone_data.ts";

/** tinydns-data cuts `'` text into character-strings of this many octets. */
export const TINYDNS_STRING_OCTETS = 127;
const TYPE_TXT = 16;
const TYPE_CNAME = 5;

/** Options of {@link parseTinydnsData}. */
export interface TinydnsOptions {
  /** File name for error messages. */
  file?: string;
  /**
   * Called once per pass of each loop that moves an index by more than a
   * plain `i++` (tests count the calls to bound the work by the input's
   * size; it may throw to stop the parse).
   */
  step?: () => void;
}

/**
 * Parses a tinydns `data` file. Returns the zone, or a one-line error naming
 * `file:line` for a line tinydns-data would reject (an unknown leading
 * character, a generic line with a bad type or malformed TXT data).
 */
export function parseTinydnsData(
  input: Uint8Array,
  options: TinydnsOptions = {},
): Result<ZoneData, string> {
  const step = options.step ?? _noStep;
  const zone = emptyZone();
  let start = 0;
  let lineNumber = 0;
  while (start < input.length) {
    step();
    lineNumber++;
    let end = input.indexOf(0x0a, start);
    if (end < 0) end = input.length;
    const line = _trimEnd(input.subarray(start, end));
    start = end + 1;
    const fail = (message: string) =>
      err(`${options.file ?? "data"}:${lineNumber}: ${message}`);
    if (line.length === 0) continue;
    const fields = _split(line.subarray(1));
    const kind = String.fromCharCode(line[0]);
    if (kind === "#" || kind === "-" || kind === "%") continue;
    if (!".&=+@'^CZ:36".includes(kind)) {
      return fail(`unrecognized leading character "${_printable(kind)}"`);
    }
    const name = _name(fields[0] ?? new Uint8Array(), step);
    zone.names.add(name);
    if (kind === "." || kind === "Z") zone.zones.add(name);
    else if (kind === "'") {
      addTxt(
        zone,
        name,
        _chunks(_unescape(fields[1] ?? new Uint8Array(), step)),
      );
    } else if (kind === "C") {
      zone.cname.set(name, _name(fields[1] ?? new Uint8Array(), step));
    } else if (kind === ":") {
      const typeText = new TextDecoder().decode(fields[1] ?? new Uint8Array());
      const type = Number(typeText);
      if (!/^\d+$/.test(typeText) || type < 1 || type > 65535) {
        return fail(`bad record type "${_printable(typeText)}"`);
      }
      if (type === TYPE_TXT) {
        const strings = _wireStrings(
          _unescape(fields[2] ?? new Uint8Array(), step),
          step,
        );
        if (!strings) return fail("malformed TXT data in generic record");
        addTxt(zone, name, strings);
      }
      if (type === TYPE_CNAME) {
        return fail("generic CNAME lines are not supported (use C)");
      }
    }
  }
  return ok(zone);
}

/** Removes trailing spaces, tabs and CRs, as tinydns-data does. */
function _trimEnd(line: Uint8Array): Uint8Array {
  let n = line.length;
  while (
    n > 0 &&
    (line[n - 1] === 0x20 || line[n - 1] === 0x09 || line[n - 1] === 0x0d)
  ) n--;
  return line.subarray(0, n);
}

/** Splits at every `:` (escapes do not protect a `:`: write `\072`). */
function _split(text: Uint8Array): Uint8Array[] {
  const fields: Uint8Array[] = [];
  let from = 0;
  for (let i = 0; i <= text.length; i++) {
    if (i === text.length || text[i] === 0x3a) {
      fields.push(text.subarray(from, i));
      from = i + 1;
    }
  }
  return fields;
}

/** tinydns-data's txtparse(): `\` + 1–3 octal digits is a byte, `\X` is X. */
function _unescape(field: Uint8Array, step: () => void): Uint8Array {
  const out: number[] = [];
  const isOctal = (b: number | undefined) =>
    b !== undefined && b >= 0x30 && b <= 0x37;
  for (let i = 0; i < field.length;) {
    step();
    let b = field[i++];
    if (b === 0x5c) {
      if (i >= field.length) break;
      b = field[i++];
      if (isOctal(b)) {
        b -= 0x30;
        for (let k = 0; k < 2 && isOctal(field[i]); k++) {
          b = ((b << 3) + field[i++] - 0x30) & 0xff;
        }
      }
    }
    out.push(b);
  }
  return new Uint8Array(out);
}

function _chunks(text: Uint8Array): Uint8Array[] {
  const strings: Uint8Array[] = [];
  for (let i = 0; i < text.length; i += TINYDNS_STRING_OCTETS) {
    strings.push(text.slice(i, i + TINYDNS_STRING_OCTETS));
  }
  return strings;
}

function _wireStrings(
  rdata: Uint8Array,
  step: () => void,
): Uint8Array[] | null {
  const strings: Uint8Array[] = [];
  for (let at = 0; at < rdata.length;) {
    step();
    const n = rdata[at];
    if (at + 1 + n > rdata.length) return null;
    strings.push(rdata.slice(at + 1, at + 1 + n));
    at += 1 + n;
  }
  return strings.length ? strings : null;
}

function _name(field: Uint8Array, step: () => void): string {
  let out = "";
  for (const b of _unescape(field, step)) {
    out += b > 0x20 && b < 0x7f
      ? String.fromCharCode(b)
      : "\\" + String(b).padStart(3, "0");
  }
  return normalizeName(out);
}

function _noStep(): void {}

function _printable(text: string): string {
  return text.replace(
    /[^\x20-\x7e]/g,
    (c) => `\\${c.charCodeAt(0).toString(8).padStart(3, "0")}`,
  );
}
