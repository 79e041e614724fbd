/**
 * The DNS records a DomainKeys domain publishes (domainkeys.md 5.1): the
 * selector record `SELECTOR._domainkey` with the public key, and the policy
 * record `_domainkey`. Rendering them as zone-file lines is
 * `core/dns/txt_render.ts`'s job. Pure.
 *
 * @module
 */

import { parseTagList } from "./tags.ts";
import { err, ok, type Result } from "../result.ts";
import { printable } from "../printable.ts";

/** The name of the policy record below a domain. */
export const POLICY_LABEL = "_domainkey";

/** The policy published when none is asked for (domainkeys.md 5.1). */
export const DEFAULT_POLICY_VALUE = "o=~";

/** The label of a selector record: `SELECTOR._domainkey`. */
export function selectorLabel(selector: string): string {
  return `${selector}.${POLICY_LABEL}`;
}

/** The selector record's full name: `SELECTOR._domainkey.DOMAIN`. */
export function selectorName(selector: string, domain: string): string {
  return `${selectorLabel(selector)}.${domain}`;
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
    err(`Cannot use policy "${printable(policyOption, Infinity)}": ${why}`);
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
