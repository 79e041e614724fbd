/**
 * `dk dns check`'s judgement: fetch a domain's policy record and (given a
 * selector) its selector record through an injected {@link Resolver}, and
 * list every problem in plain words with a code (domainkeys.md 1.8, 1.9, 5,
 * 7). Pure apart from the resolver. Record text is untrusted: everything
 * quoted from it goes through `presentation()` (core/dns/txt_render.ts).
 *
 * @module
 */

import type { PublicKeyInfo } from "../crypto/keys.ts";
import { decodeBase64Strict, parseSpki } from "../crypto/keys.ts";
import { parseKeyRecord } from "./key_record.ts";
import { policyName, readPolicy } from "./policy.ts";
import { selectorName } from "./records.ts";
import { parseTagList } from "./tags.ts";
import type { Resolver, TxtAnswer } from "../dns/resolver.ts";
import {
  escapeDnsText,
  type FetchedRecord,
  fetchedRecord,
  presentation,
  recordText,
  shortened,
} from "../dns/txt_render.ts";

/** The problem codes, each with what it means. */
export const PROBLEM_CODES = {
  "policy-nxdomain": "the policy record's name does not exist",
  "policy-no-txt": "the policy record's name exists but has no TXT record",
  "policy-several": "several TXT records at the policy name",
  "policy-damaged": "quote characters or backslashes in the policy record",
  "policy-syntax": "the policy record does not parse",
  "policy-testing": "the policy record says testing (t=y)",
  "policy-all-signed-no-key": "o=- while no usable selector record answers",
  "selector-nxdomain": "the selector record's name does not exist",
  "selector-no-txt": "the selector record's name exists but has no TXT record",
  "selector-no-key": "TXT records at the selector name, none with p=",
  "selector-several": "several key records at the selector name",
  "selector-quotes": "quote characters inside the selector record",
  "selector-backslash": "backslashes inside the selector record",
  "selector-cut": "the selector record looks cut at 255 octets",
  "selector-syntax": "the selector record does not parse",
  "selector-testing": "the selector record says testing (t=y)",
  "key-type": "k= is not rsa",
  "key-revoked": "p= is empty: the key is revoked",
  "key-unparsable": "p= is not a base64 RSA public key",
  "key-too-short": "the key is shorter than DK_MIN_KEY_BITS",
  "key-unusable": "verifiers cannot use the key",
  "key-mismatch": "the published key is not the public half of --key",
} as const;

/** A problem code. */
export type ProblemCode = keyof typeof PROBLEM_CODES;

/** One problem found. */
export interface Problem {
  code: ProblemCode;
  /** Plain words: what is wrong and what to do. */
  message: string;
}

/** The whole judgement. */
export interface CheckReport {
  /** True only with no problem and nothing left unchecked by DNS trouble. */
  ok: boolean;
  domain: string;
  /** The selector checked, or null. */
  selector: string | null;
  problems: Problem[];
  /** One sentence per lookup that failed temporarily ("could not check"). */
  couldNotCheck: string[];
  /** Things worth saying that are not problems. */
  notes: string[];
  policy: FetchedRecord;
  selectorRecord: FetchedRecord | null;
  /** Size of the usable published key, or null. */
  keyBits: number | null;
}

/** Inputs of {@link checkDomain}. */
export interface CheckOptions {
  /** The domain (already checked to be a hostname). */
  domain: string;
  /** The selector; without it only the policy is checked. */
  selector?: string;
  /** The public half of the local private key (`--key`). */
  localKey?: PublicKeyInfo;
  resolver: Resolver;
  /** DK_MIN_KEY_BITS. */
  minBits: number;
}

/** Largest character-string: a value whose last string has exactly this many octets may be cut. */
const CUT_LENGTH = 255;

/**
 * Fetches and judges the records. Never throws (the resolver's errors are
 * values); DNS trouble lands in `couldNotCheck`, not in `problems`.
 */
export async function checkDomain(options: CheckOptions): Promise<CheckReport> {
  const { domain, selector, resolver } = options;
  const problems: Problem[] = [];
  const couldNotCheck: string[] = [];
  const notes: string[] = [];
  const add = (code: ProblemCode, message: string) =>
    problems.push({ code, message });

  const policyAt = policyName(domain);
  const selectorAt = selector === undefined
    ? undefined
    : selectorName(selector, domain);
  // Both lookups at once: DNS trouble costs one timeout, not two.
  const policyLookup = resolver.txt(policyAt);
  const selectorLookup = selectorAt === undefined
    ? undefined
    : resolver.txt(selectorAt);
  const policyAnswer = await policyLookup;
  const policy = fetchedRecord(policyAt, policyAnswer);
  const allSigned = _judgePolicy(policyAt, policyAnswer, add, couldNotCheck);

  let selectorRecord: FetchedRecord | null = null;
  let keyBits: number | null = null;
  if (selector === undefined) {
    notes.push(
      "The selector record was not checked: give --selector S (or --key FILE named after the selector)",
    );
  } else {
    const name = selectorAt!;
    const answer = await selectorLookup!;
    selectorRecord = fetchedRecord(name, answer);
    const judged = _judgeSelector(name, answer, options, add, couldNotCheck);
    keyBits = judged.keyBits;
    if (allSigned && !judged.answered) {
      add(
        "policy-all-signed-no-key",
        `The policy record says all mail from ${domain} is signed (o=-), but no usable key answers at ${name}: receivers may treat your mail as forged; publish the key or use o=~`,
      );
    }
  }
  return {
    ok: problems.length === 0 && couldNotCheck.length === 0,
    domain,
    selector: selector ?? null,
    problems,
    couldNotCheck,
    notes,
    policy,
    selectorRecord,
    keyBits,
  };
}

type _Add = (code: ProblemCode, message: string) => void;

/** Judges the policy answer; returns true when it validly says o=- without t=y. */
function _judgePolicy(
  name: string,
  answer: TxtAnswer,
  add: _Add,
  couldNotCheck: string[],
): boolean {
  const reading = readPolicy(answer);
  switch (reading.kind) {
    case "tempfail":
      couldNotCheck.push(
        `Could not check the policy record ${name}: ${
          escapeDnsText(reading.reason)
        }`,
      );
      return false;
    case "absent":
      add(
        reading.answer === "nxdomain" ? "policy-nxdomain" : "policy-no-txt",
        reading.answer === "nxdomain"
          ? `No policy record: ${name} does not exist (NXDOMAIN); publish the one dk dns records prints`
          : `No policy record: ${name} exists but has no TXT record; publish the one dk dns records prints`,
      );
      return false;
    case "ambiguous":
      add(
        "policy-several",
        `${reading.count} TXT records at ${name}: receivers ignore them all as ambiguous; keep exactly one`,
      );
      return false;
  }
  if (answer.kind === "records" && /["\\]/.test(reading.text)) {
    add(
      "policy-damaged",
      `The policy record at ${name} contains quote characters or backslashes (${
        presentation(answer.records[0])
      }): the DNS provider's form was given quotes or escapes; enter the bare value`,
    );
    return false;
  }
  if (reading.kind === "unusable") {
    add(
      "policy-syntax",
      `The policy record at ${name} does not parse: ${
        escapeDnsText(reading.error)
      }`,
    );
    return false;
  }
  if (reading.policy.testing) {
    add(
      "policy-testing",
      `Testing mode is on in the policy record at ${name} (t=y): receivers must not act on results; drop t=y when testing is over`,
    );
  }
  return reading.policy.allSigned && !reading.policy.testing;
}

/** Judges the selector answer. */
function _judgeSelector(
  name: string,
  answer: TxtAnswer,
  options: CheckOptions,
  add: _Add,
  couldNotCheck: string[],
): { answered: boolean; keyBits: number | null } {
  const none = { answered: false, keyBits: null };
  switch (answer.kind) {
    case "tempfail":
      couldNotCheck.push(
        `Could not check the selector record ${name}: ${
          escapeDnsText(answer.reason)
        }`,
      );
      return { answered: true, keyBits: null }; // unknown: do not blame o=-
    case "nxdomain":
      add(
        "selector-nxdomain",
        `No selector record: ${name} does not exist (NXDOMAIN)`,
      );
      return none;
    case "nodata":
      add(
        "selector-no-txt",
        `No selector record: ${name} exists but has no TXT record`,
      );
      return none;
  }
  const keys = answer.records.filter((r) => recordText(r).includes("p="));
  if (keys.length === 0) {
    add(
      "selector-no-key",
      `No selector record: the TXT records at ${name} have no p= tag (none is a key record)`,
    );
    return none;
  }
  if (keys.length > 1) {
    add(
      "selector-several",
      `${keys.length} key records at ${name}: verifiers may pick any of them; remove the old one`,
    );
  }
  let answered = false;
  let keyBits: number | null = null;
  keys.forEach((strings, i) => {
    const which = keys.length > 1
      ? `Key record ${i + 1} of ${keys.length} at ${name}`
      : `The selector record at ${name}`;
    const bits = _judgeKey(which, strings, options, add);
    if (bits !== null) {
      answered = true;
      keyBits ??= bits;
    }
  });
  return { answered, keyBits };
}

/** Judges one key record; returns its size when verifiers can use it. */
function _judgeKey(
  which: string,
  strings: Uint8Array[],
  options: CheckOptions,
  add: _Add,
): number | null {
  const text = recordText(strings);
  const shown = presentation(strings);
  const tags = parseTagList(text);
  const p = tags.ok ? tags.value.get("p") : undefined;
  const spki = p ? decodeBase64Strict(p) : null;
  const key = spki ? parseSpki(spki) : null;
  const parses = key?.ok === true;
  let damaged = false;
  if (text.includes('"')) {
    damaged = true;
    add(
      "selector-quotes",
      `${which} contains quote characters (${
        shortened(shown)
      }): the DNS provider's form was given quotes; enter the bare value`,
    );
  }
  if (text.includes("\\")) {
    damaged = true;
    add(
      "selector-backslash",
      `${which} contains backslashes (${
        shortened(shown)
      }): the value was pasted with escapes (such as \\;); enter the bare value`,
    );
  }
  const last = strings[strings.length - 1];
  if (!parses && (last?.length === CUT_LENGTH || text.length === CUT_LENGTH)) {
    damaged = true;
    add(
      "selector-cut",
      `${which} is cut at 255 octets (${text.length} octets in ${strings.length} string${
        strings.length === 1 ? "" : "s"
      }) and its key does not parse: publish the whole value as several strings, or use a 1024-bit key where the provider cannot`,
    );
  }
  if (damaged) return null; // the damage explains whatever else fails
  if (!tags.ok) {
    add(
      "selector-syntax",
      `${which} does not parse: ${escapeDnsText(tags.error)}`,
    );
    return null;
  }
  const testing = (tags.value.get("t") ?? "").toLowerCase() === "y";
  if (testing) {
    add(
      "selector-testing",
      `Testing mode is on in ${
        which.replace(/^The/, "the")
      } (t=y); drop t=y when testing is over`,
    );
  }
  const k = tags.value.get("k") ?? "rsa";
  if (k.toLowerCase() !== "rsa") {
    add(
      "key-type",
      `${which} has k=${escapeDnsText(k)}: only rsa is used by DomainKeys`,
    );
    return null;
  }
  if (p === "") {
    add(
      "key-revoked",
      `${which} has an empty p=: the key is revoked and every signature with it fails`,
    );
    return null;
  }
  if (!key || !key.ok) {
    add(
      "key-unparsable",
      `${which} has a p= that is not ${
        spki
          ? `an RSA public key (${escapeDnsText(key ? key.error : "")})`
          : "valid base64"
      }: publish the value dk dns records prints`,
    );
    return null;
  }
  const bits = key.value.bits;
  if (bits < options.minBits) {
    add(
      "key-too-short",
      `${which} has a ${bits}-bit key, shorter than ${options.minBits} bits: verifiers reject it (RFC 8301); make a 2048-bit key with dk keygen`,
    );
    return null;
  }
  const verdict = parseKeyRecord(text, null, options.minBits);
  if (!verdict.ok) {
    add(
      "key-unusable",
      `${which} cannot be used by verifiers: ${
        escapeDnsText(verdict.error.reason)
      }`,
    );
    return null;
  }
  if (options.localKey && !_sameKey(options.localKey, key.value)) {
    add(
      "key-mismatch",
      `${which} is not the public half of the local private key: mail signed with it will fail (publish the record dk dns records --key prints)`,
    );
  }
  return bits;
}

function _sameKey(a: PublicKeyInfo, b: PublicKeyInfo): boolean {
  const same = (x: Uint8Array, y: Uint8Array) =>
    x.length === y.length && x.every((v, i) => v === y[i]);
  return same(a.n, b.n) && same(a.e, b.e);
}
