/**
 * TXT records as text, for any scheme: rendered for BIND zone files,
 * tinydns-data `data` files or a provider's web form (domainkeys.md 5.3–5.5),
 * and shown as dig shows them. Knows no scheme: the records themselves come
 * from `core/dk/records.ts` (and DKIM's beside it). Pure.
 *
 * @module
 */

import { err, ok, type Result } from "../result.ts";
import { latin1 } from "../bytes.ts";
import { joinStrings, type TxtAnswer } from "./resolver.ts";

/** One record to publish: the name below the domain and the TXT value. */
export interface PublishedRecord {
  /** The name below the domain, such as `SELECTOR._domainkey`. */
  label: string;
  /** The TXT value (ASCII; longer than 255 octets is fine). */
  value: string;
}

/** The output formats of `dk dns records` and `dk keygen --format`. */
export type RecordFormat = "bind" | "tinydns" | "value";

/** The formats, in the order usage messages list them. */
export const RECORD_FORMATS: readonly RecordFormat[] = [
  "bind",
  "tinydns",
  "value",
];

/** Longest character-string in a TXT record (RFC 1035 3.3). */
export const MAX_STRING_OCTETS = 255;

/**
 * Renders one record:
 * - `bind`: one zone-file line, `NAME<TAB>IN<TAB>TXT<TAB>"…" "…"`, strings cut
 *   every 255 octets, `"` and `\` escaped, other bytes outside 0x20–0x7E as
 *   `\DDD`; NAME is relative (`s._domainkey`) without `domain`, absolute
 *   with a final dot with it;
 * - `tinydns`: `'FQDN:TEXT` with `:`, `\` and bytes outside 0x20–0x7E as
 *   three-digit octal, no TTL (needs `domain`);
 * - `value`: the host field (`label`), a tab, the bare value.
 *
 * Returns an error for tinydns without a domain, or a value containing a
 * newline in `value` format (it could not be pasted as one line).
 */
export function renderRecord(
  record: PublishedRecord,
  format: RecordFormat,
  domain?: string,
): Result<string, string> {
  const bytes = new TextEncoder().encode(record.value);
  const fqdn = domain === undefined
    ? undefined
    : `${record.label}.${domain.replace(/\.$/, "")}`;
  switch (format) {
    case "bind": {
      const strings: string[] = [];
      for (let at = 0; at < bytes.length || at === 0; at += MAX_STRING_OCTETS) {
        strings.push(
          _quoted(bytes.subarray(at, at + MAX_STRING_OCTETS)),
        );
      }
      return ok(
        `${fqdn === undefined ? record.label : fqdn + "."}\tIN\tTXT\t${
          strings.join(" ")
        }`,
      );
    }
    case "tinydns":
      if (fqdn === undefined) {
        return err("The tinydns format needs the domain (--domain)");
      }
      return ok(
        `'${_tinydnsEscape(new TextEncoder().encode(fqdn))}:${
          _tinydnsEscape(bytes)
        }`,
      );
    case "value":
      if (/[\r\n]/.test(record.value)) {
        return err("A value with a line break cannot be shown as one line");
      }
      return ok(`${record.label}\t${record.value}`);
  }
}

/**
 * A TXT record as dig prints it: each string in quotes, `"` and `\\` escaped
 * with `\\`, bytes outside 0x20–0x7E as `\\DDD`. Safe for a terminal.
 */
export function presentation(strings: Uint8Array[]): string {
  return strings.map(_quoted).join(" ");
}

/** One character-string in quotes, escaped as in a zone file (RFC 1035 5.1). */
function _quoted(bytes: Uint8Array): string {
  let out = '"';
  for (const b of bytes) {
    if (b === 0x22 || b === 0x5c) out += "\\" + String.fromCharCode(b);
    else if (b >= 0x20 && b <= 0x7e) out += String.fromCharCode(b);
    else out += "\\" + String(b).padStart(3, "0");
  }
  return out + '"';
}

function _tinydnsEscape(bytes: Uint8Array): string {
  let out = "";
  for (const b of bytes) {
    if (b === 0x3a || b === 0x5c || b < 0x20 || b > 0x7e) {
      out += "\\" + b.toString(8).padStart(3, "0");
    } else out += String.fromCharCode(b);
  }
  return out;
}

/** What was fetched at one name, as `dk dns check` shows it. */
export interface FetchedRecord {
  /** The name asked for. */
  name: string;
  /** The answer's kind. */
  answer: TxtAnswer["kind"];
  /** Each TXT record in presentation form (`"…" "…"`, escaped). */
  values: string[];
}

/** The answer at `name` as a {@link FetchedRecord}. */
export function fetchedRecord(name: string, answer: TxtAnswer): FetchedRecord {
  return {
    name,
    answer: answer.kind,
    values: answer.kind === "records" ? answer.records.map(presentation) : [],
  };
}

/** A record's character-strings joined, as text of one character per byte. */
export function recordText(strings: Uint8Array[]): string {
  return latin1(joinStrings(strings));
}

/**
 * Text that came from DNS (or a resolver's error) made safe to print:
 * control and 8-bit characters as `\\DDD`, as dig writes them.
 */
export function escapeDnsText(text: string): string {
  return text.replace(
    /[^\x20-\x7e]/g,
    (c) => "\\" + String(c.charCodeAt(0) & 0xff).padStart(3, "0"),
  );
}

/** `text` cut to `max` characters, ending in `...` when cut. */
export function shortened(text: string, max = 60): string {
  return text.length <= max ? text : text.slice(0, max - 3) + "...";
}
