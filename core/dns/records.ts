/**
 * The DNS records a DomainKeys domain publishes (domainkeys.md 5), rendered
 * for BIND zone files, tinydns-data `data` files, or a provider's web form.
 * Pure.
 *
 * @module
 */

import { parseTagList } from "../dk/tags.ts";
import { err, ok, type Result } from "../result.ts";

/** One record to publish: the name below the domain and the TXT value. */
export interface PublishedRecord {
  /** The name without the domain: `SELECTOR._domainkey` or `_domainkey`. */
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

/** The name of the policy record below a domain. */
export const POLICY_LABEL = "_domainkey";

/** The policy published when none is asked for (domainkeys.md 5.1). */
export const DEFAULT_POLICY_VALUE = "o=~";

/** The label of a selector record: `SELECTOR._domainkey`. */
export function selectorLabel(selector: string): string {
  return `${selector}.${POLICY_LABEL}`;
}

/** The selector record's value for a base64 SubjectPublicKeyInfo. */
export function selectorValue(spkiBase64: string): string {
  return `k=rsa; p=${spkiBase64}`;
}

const POLICY_TAGS = "otrn";

/**
 * The policy record's value from `--policy` (default `o=~`). The text must
 * be a tag list (domainkeys.md 1.2) of only `o` (`~` or `-`), `t` (`y`),
 * `r` and `n`, in printable ASCII. Returns the tags re-written as
 * `tag=value; tag=value` in the order given, or a one-line error.
 */
export function policyValue(policyOption?: string): Result<string, string> {
  if (policyOption === undefined) return ok(DEFAULT_POLICY_VALUE);
  const bad = (why: string) =>
    err(`Cannot use policy "${_shown(policyOption)}": ${why}`);
  if (!/^[\x20-\x7e]*$/.test(policyOption)) {
    return bad("only printable ASCII is allowed");
  }
  const parsed = parseTagList(policyOption);
  if (!parsed.ok) return bad(parsed.error);
  if (parsed.value.size === 0) return bad("no tags (the default is o=~)");
  const parts: string[] = [];
  for (const [tag, value] of parsed.value) {
    if (!POLICY_TAGS.includes(tag)) {
      return bad(`tag ${tag}= is not a policy tag (o, t, r, n)`);
    }
    if (tag === "o" && value !== "~" && value !== "-") {
      return bad("o= must be ~ or -");
    }
    if (tag === "t" && value !== "y") {
      return bad("t= must be y (leave it out to end testing)");
    }
    if (/["\\]/.test(value)) {
      return bad("quotes and backslashes are not allowed");
    }
    parts.push(`${tag}=${value}`);
  }
  return ok(parts.join("; "));
}

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
          `"${_bindEscape(bytes.subarray(at, at + MAX_STRING_OCTETS))}"`,
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

function _bindEscape(bytes: Uint8Array): string {
  let out = "";
  for (const b of bytes) {
    if (b === 0x22 || b === 0x5c) out += "\\" + String.fromCharCode(b);
    else if (b >= 0x20 && b <= 0x7e) out += String.fromCharCode(b);
    else out += "\\" + String(b).padStart(3, "0");
  }
  return out;
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

function _shown(text: string): string {
  return text.replace(
    /[^\x20-\x7e]/g,
    (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`,
  );
}
