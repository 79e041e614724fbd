/**
 * The DomainKeys policy record at `_domainkey.DOMAIN` (RFC 4870 section
 * 3.6.2, domainkeys.md 1.9).
 *
 * @module
 */

import { parseTagList } from "./tags.ts";
import { POLICY_LABEL } from "./records.ts";
import { latin1 } from "../bytes.ts";
import { joinStrings, type TxtAnswer } from "../dns/resolver.ts";
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

/** The policy record's name: `_domainkey.DOMAIN`. */
export function policyName(domain: string): string {
  return `${POLICY_LABEL}.${domain}`;
}

/** What the answer at the policy name says (domainkeys.md 1.9). */
export type PolicyReading =
  /** DNS trouble: the policy is not known for now. */
  | { kind: "tempfail"; reason: string }
  /** NXDOMAIN or NODATA: no record, so the default policy (`o=~`) holds. */
  | { kind: "absent"; answer: "nxdomain" | "nodata"; policy: Policy }
  /** Several TXT records: receivers ignore them all as ambiguous. */
  | { kind: "ambiguous"; count: number }
  /** One record that does not parse (`text` one character per byte). */
  | { kind: "unusable"; text: string; error: string }
  /** One record that parses. */
  | { kind: "published"; text: string; policy: Policy };

/**
 * Reads a policy lookup's answer: the one rule for what a domain's policy
 * is, used by `dk verify` (for an unsigned message) and `dk dns check`.
 * Never fails: every answer is one of {@link PolicyReading}'s kinds.
 */
export function readPolicy(answer: TxtAnswer): PolicyReading {
  switch (answer.kind) {
    case "tempfail":
      return { kind: "tempfail", reason: answer.reason };
    case "nxdomain":
    case "nodata":
      return { kind: "absent", answer: answer.kind, policy: DEFAULT_POLICY };
  }
  if (answer.records.length !== 1) {
    return { kind: "ambiguous", count: answer.records.length };
  }
  const text = latin1(joinStrings(answer.records[0]));
  const policy = parsePolicy(text);
  return policy.ok
    ? { kind: "published", text, policy: policy.value }
    : { kind: "unusable", text, error: policy.error };
}
