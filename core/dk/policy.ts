/**
 * The DomainKeys policy record at `_domainkey.DOMAIN` (RFC 4870 section
 * 3.6.2, domainkeys.md 1.9).
 *
 * @module
 */

import { parseTagList } from "./tags.ts";
import { err, ok, type Result } from "../result.ts";

/** A parsed policy record. */
export interface Policy {
  /** `o=-`: all mail from the domain is signed; else some is (`~`). */
  allSigned: boolean;
  /** `t=y`: the domain is testing. */
  testing: boolean;
  /** `r=` report address, "" when absent (kept, never used). */
  report: string;
  /** `n=` notes, "" when absent. */
  notes: string;
}

/** The policy assumed without a record: some mail signed, not testing. */
export const DEFAULT_POLICY: Policy = {
  allSigned: false,
  testing: false,
  report: "",
  notes: "",
};

/**
 * Parses a policy record's text. Returns an error string for bad tag-list
 * syntax or an `o=` other than `~` or `-` (no usable policy).
 */
export function parsePolicy(text: string): Result<Policy, string> {
  const parsed = parseTagList(text);
  if (!parsed.ok) return err(parsed.error);
  const tags = parsed.value;
  const o = tags.get("o") ?? "~";
  if (o !== "~" && o !== "-") return err(`o=${o} is neither ~ nor -`);
  return ok({
    allSigned: o === "-",
    testing: (tags.get("t") ?? "").toLowerCase() === "y",
    report: tags.get("r") ?? "",
    notes: tags.get("n") ?? "",
  });
}
