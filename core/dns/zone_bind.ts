/**
 * Reads a BIND master file (RFC 1035 5.1, as named-checkzone accepts it) into
 * {@link ZoneData}: `$ORIGIN`, `$TTL`, relative names and `@`, an owner left
 * blank (the previous one), parentheses over lines, quoted strings with `\"`,
 * `\\` and `\DDD` escapes, `;` comments outside quotes, several strings per
 * TXT record, TTL and class optional in either order, RFC 3597 `\#` TXT data.
 * Other record types are read only far enough to know their owner exists;
 * SOA owners are the zones the file answers for. Pure; bytes are kept as
 * bytes (8-bit data survives).
 *
 * Every loop moves its index forward on every pass (or ends): a file that
 * ends inside a token, an escape or a quoted string is an error, never a
 * loop that stands still. {@link BindOptions.step} lets tests count passes.
 *
 * @module
 */

import { err, ok, type Result } from "../result.ts";
import { latin1 } from "../bytes.ts";
import {
  addTxt,
  emptyZone,
  normalizeName,
  type ZoneData,
} from "./zone_data.ts";

/** Options of {@link parseBindZone}. */
export interface BindOptions {
  /** The origin before any `$ORIGIN` (as named-checkzone's zone argument). */
  origin?: string;
  /** File name for error messages. */
  file?: string;
  /**
   * Called once per pass of each loop that moves an index by more than a
   * plain `i++` (tests count the calls to bound the work by the input's
   * size; it may throw to stop the parse).
   */
  step?: () => void;
}

interface _Token {
  /** Raw text as written (escapes kept), for names and keywords. */
  raw: string;
  /** Bytes after escapes, for character-strings. */
  bytes: number[];
  quoted: boolean;
}

interface _Entry {
  tokens: _Token[];
  /** True when the line starts with a name (no leading blank). */
  ownerGiven: boolean;
  line: number;
}

const MAX_STRING_OCTETS = 255;
const TTL = /^(\d+|(\d+[wdhms])+)$/i;
const CLASSES = new Set(["in", "ch", "hs", "cs", "none", "any"]);
const TYPE = /^([a-z][a-z0-9-]*|type\d+)$/i;

/**
 * Parses a BIND zone file. Returns the zone, or a one-line error naming
 * `file:line` (unbalanced parentheses or quotes, a relative name with no
 * origin, a TXT string over 255 octets, `$INCLUDE`, a missing type…).
 */
export function parseBindZone(
  input: Uint8Array | string,
  options: BindOptions = {},
): Result<ZoneData, string> {
  const text = typeof input === "string" ? input : latin1(input);
  const where = (line: number) => `${options.file ?? "zone file"}:${line}`;
  const step = options.step ?? _noStep;
  const entries = _tokenize(text, step);
  if (!entries.ok) {
    return err(`${where(entries.error.line)}: ${entries.error.message}`);
  }
  const zone = emptyZone();
  let origin = options.origin === undefined
    ? null
    : normalizeName(options.origin);
  const origins = new Set<string>(origin === null ? [] : [origin]);
  const soaOwners = new Set<string>();
  let previousOwner: string | null = null;
  for (const entry of entries.value) {
    const fail = (message: string) => err(`${where(entry.line)}: ${message}`);
    const tokens = [...entry.tokens];
    const first = tokens[0];
    if (entry.ownerGiven && !first.quoted && first.raw.startsWith("$")) {
      const directive = first.raw.toUpperCase();
      if (directive === "$ORIGIN") {
        if (tokens.length < 2) return fail("$ORIGIN needs a name");
        const name = _absolute(tokens[1].raw, origin);
        if (name === null) {
          return fail(`relative $ORIGIN "${tokens[1].raw}" with no origin`);
        }
        origin = name;
        origins.add(name);
      } else if (directive === "$TTL") {
        if (tokens.length < 2 || !TTL.test(tokens[1].raw)) {
          return fail("$TTL needs a time");
        }
      } else return fail(`${first.raw} is not supported`);
      continue;
    }
    let owner: string | null = previousOwner;
    if (entry.ownerGiven) {
      tokens.shift();
      owner = _absolute(first.raw, origin);
      if (owner === null) {
        return fail(`relative name "${first.raw}" with no $ORIGIN`);
      }
    } else if (owner === null) return fail("record without an owner name");
    previousOwner = owner;
    let klass: string | null = null;
    let ttlSeen = false;
    while (tokens.length && !tokens[0].quoted) {
      step();
      const word = tokens[0].raw.toLowerCase();
      if (!ttlSeen && TTL.test(word)) ttlSeen = true;
      else if (klass === null && CLASSES.has(word)) klass = word;
      else break;
      tokens.shift();
    }
    const typeToken = tokens.shift();
    if (!typeToken || typeToken.quoted || !TYPE.test(typeToken.raw)) {
      return fail("missing record type");
    }
    const type = typeToken.raw.toUpperCase();
    zone.names.add(owner);
    if (klass !== null && klass !== "in") continue;
    if (type === "TXT" || type === "TYPE16") {
      const strings = _txtStrings(tokens, step);
      if (!strings.ok) return fail(strings.error);
      addTxt(zone, owner, strings.value);
    } else if (type === "CNAME") {
      const target = tokens[0] ? _absolute(tokens[0].raw, origin) : null;
      if (target === null) return fail("CNAME needs a target name");
      zone.cname.set(owner, target);
    } else if (type === "SOA") soaOwners.add(owner);
  }
  for (const apex of soaOwners.size ? soaOwners : origins) zone.zones.add(apex);
  return ok(zone);
}

function _noStep(): void {}

/** An owner or target name made absolute; null when relative without origin. */
function _absolute(raw: string, origin: string | null): string | null {
  if (raw === "@") return origin;
  if (raw.endsWith(".") && !raw.endsWith("\\.")) return normalizeName(raw);
  if (origin === null) return null;
  const name = raw.replace(/[A-Z]/g, (c) => c.toLowerCase());
  return origin === "" ? name : `${name}.${origin}`;
}

function _txtStrings(
  tokens: _Token[],
  step: () => void,
): Result<Uint8Array[], string> {
  if (tokens.length === 0) return err("TXT record without text");
  if (!tokens[0].quoted && tokens[0].raw === "\\#") {
    const length = Number(tokens[1]?.raw);
    const hex = tokens.slice(2).map((t) => t.raw).join("");
    if (
      !Number.isInteger(length) || !/^([0-9a-f]{2})*$/i.test(hex) ||
      hex.length !== 2 * length
    ) {
      return err("bad \\# data in TXT record");
    }
    const rdata = hex.match(/../g)?.map((h) => parseInt(h, 16)) ?? [];
    const strings: Uint8Array[] = [];
    for (let at = 0; at < rdata.length;) {
      step();
      const n = rdata[at];
      if (at + 1 + n > rdata.length) return err("bad \\# data in TXT record");
      strings.push(new Uint8Array(rdata.slice(at + 1, at + 1 + n)));
      at += 1 + n;
    }
    if (strings.length === 0) return err("TXT record without text");
    return ok(strings);
  }
  const strings: Uint8Array[] = [];
  for (const token of tokens) {
    if (token.bytes.length > MAX_STRING_OCTETS) {
      return err(
        `TXT string of ${token.bytes.length} octets (at most 255; split it into several strings)`,
      );
    }
    strings.push(new Uint8Array(token.bytes));
  }
  return ok(strings);
}

/** Splits the text into entries (logical lines) of tokens. */
function _tokenize(
  text: string,
  step: () => void,
): Result<_Entry[], { line: number; message: string }> {
  const entries: _Entry[] = [];
  let line = 1;
  let depth = 0;
  let openedAt = 0;
  let entry: _Entry | null = null;
  let lineStart = true;
  let i = 0;
  const push = (token: _Token, at: number) => {
    entry ??= { tokens: [], ownerGiven: false, line: at };
    entry.tokens.push(token);
  };
  while (i < text.length) {
    step();
    const c = text[i];
    const startsLine = lineStart;
    lineStart = false;
    if (c === "\n") {
      line++;
      i++;
      lineStart = depth === 0;
      if (depth === 0 && entry) {
        entries.push(entry);
        entry = null;
      }
      continue;
    }
    if (c === " " || c === "\t" || c === "\r") {
      i++;
      continue;
    }
    if (c === ";") {
      while (i < text.length && text[i] !== "\n") i++;
      continue;
    }
    if (c === "(") {
      if (depth === 0) openedAt = line;
      depth++;
      i++;
      continue;
    }
    if (c === ")") {
      if (depth === 0) return err({ line, message: "unbalanced parentheses" });
      depth--;
      i++;
      continue;
    }
    const tokenLine = line;
    const bytes: number[] = [];
    let raw = "";
    const quoted = c === '"';
    if (quoted) i++;
    while (i < text.length) {
      step();
      const d = text[i];
      if (quoted ? d === '"' : ' \t\r\n;()"'.includes(d)) break;
      if (d === "\n") {
        return err({ line, message: "unterminated quoted string" });
      }
      if (d === "\\") {
        const digits = text.slice(i + 1, i + 4);
        if (/^\d{3}$/.test(digits)) {
          if (+digits > 255) {
            return err({ line, message: `bad escape \\${digits}` });
          }
          bytes.push(+digits);
          raw += "\\" + digits;
          i += 4;
          continue;
        }
        if (i + 1 >= text.length) {
          // A lone \ ends the file: named-checkzone's "unexpected end of
          // input". (Leaving the loop here would start the same token again.)
          return err({
            line,
            message: "unexpected end of input: the file ends in a lone \\",
          });
        }
        if (text[i + 1] === "\n") line++;
        bytes.push(text.charCodeAt(i + 1));
        raw += d + text[i + 1];
        i += 2;
        continue;
      }
      bytes.push(text.charCodeAt(i));
      raw += d;
      i++;
    }
    if (quoted) {
      if (i >= text.length) {
        return err({ line: tokenLine, message: "unterminated quoted string" });
      }
      i++; // closing quote
    }
    push({ raw, bytes, quoted }, tokenLine);
    if (startsLine && entry!.tokens.length === 1 && !quoted) {
      entry!.ownerGiven = true;
    }
  }
  if (depth > 0) {
    return err({ line: openedAt, message: "unbalanced parentheses" });
  }
  if (entry) entries.push(entry);
  return ok(entries);
}
