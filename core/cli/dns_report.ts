/**
 * `dk dns check --scheme`: each scheme's judgement of a domain's records as
 * one report (`dk`, `dkim`, or `both` with each problem code once). The
 * schemes know nothing of each other; the command puts them side by side.
 *
 * @module
 */

import type { CheckReport } from "../dk/check.ts";
import type { DkimCheckReport } from "../dkim/check.ts";
import type { FetchedRecord } from "../dns/txt_render.ts";

/** A report of any scheme, as `dk dns check` prints it. */
export interface SchemeReport {
  scheme: "dk" | "dkim" | "both";
  ok: boolean;
  domain: string;
  selector: string | null;
  problems: { code: string; message: string }[];
  couldNotCheck: string[];
  notes: string[];
  /** The policy record; null for `dkim` (no policy lookup). */
  policy: FetchedRecord | null;
  selectorRecord: FetchedRecord | null;
  keyBits: number | null;
  keyType: "rsa" | "ed25519" | null;
}

/** DomainKeys' report as a {@link SchemeReport} (`--scheme dk`). */
export function dkReport(dk: CheckReport): SchemeReport {
  return {
    scheme: "dk",
    ...dk,
    keyType: dk.keyBits === null ? null : "rsa",
  };
}

/** The DKIM report as a {@link SchemeReport} (`--scheme dkim`). */
export function dkimReport(dkim: DkimCheckReport): SchemeReport {
  return { scheme: "dkim", ...dkim, policy: null };
}

/**
 * `--scheme both`: DomainKeys' report, then the DKIM problems whose code it
 * does not have (each code once), notes and "could not check" lines
 * without repeats. The records are DomainKeys' (the same lookups).
 */
export function combineReports(
  dk: CheckReport,
  dkim: DkimCheckReport,
): SchemeReport {
  const codes = new Set<string>(dk.problems.map((p) => p.code));
  const problems = [
    ...dk.problems,
    ...dkim.problems.filter((p) => !codes.has(p.code)),
  ];
  const couldNotCheck = [
    ...new Set([...dk.couldNotCheck, ...dkim.couldNotCheck]),
  ];
  return {
    scheme: "both",
    ok: problems.length === 0 && couldNotCheck.length === 0,
    domain: dk.domain,
    selector: dk.selector,
    problems,
    couldNotCheck,
    notes: [...new Set([...dk.notes, ...dkim.notes])],
    policy: dk.policy,
    selectorRecord: dk.selectorRecord ?? dkim.selectorRecord,
    keyBits: dk.keyBits ?? dkim.keyBits,
    keyType: dkim.keyType ?? (dk.keyBits === null ? null : "rsa"),
  };
}
