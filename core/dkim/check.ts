/**
 * `dk dns check --scheme dkim|both`'s judgement (dkim.md 5.5, 3.1–3.2),
 * beside DomainKeys' in `core/dk/check.ts`: fetch the selector record
 * through an injected {@link Resolver} and judge it by DKIM's rules, with
 * the same problem codes for the same situations plus the DKIM-only ones,
 * and notes that do not make the check fail. {@link combineReports} merges
 * it with DomainKeys' report for `--scheme both`. Pure apart from the
 * resolver. Record text is untrusted: everything quoted from it is escaped.
 *
 * @module
 */

import { isKeyCandidate, parseKeyRecord } from "./key_record.ts";
import { type PublishedKey, sameKey } from "./records.ts";
import { base64Value, listValue, parseTagList, plainValue } from "./tags.ts";
import { encodeBase64 } from "../crypto/base64.ts";
import { ed25519FromSpki } from "../crypto/ed25519.ts";
import { MAX_RSA_BITS, usableKey } from "../crypto/key_policy.ts";
import { parseRsaPublicKey, parseSpki } from "../crypto/keys.ts";
import type { Resolver } from "../dns/resolver.ts";
import {
  escapeDnsText,
  type FetchedRecord,
  fetchedRecord,
  presentation,
  recordText,
  shortened,
} from "../dns/txt_render.ts";
import { keyName } from "./records.ts";

/** The problem codes of the DKIM judgement, each with what it means. */
export const DKIM_PROBLEM_CODES = {
  "selector-nxdomain": "the selector record's name does not exist",
  "selector-no-txt": "the selector record's name exists but has no TXT record",
  "selector-no-key":
    "TXT records at the selector name, none a key record (or one without p=)",
  "selector-several": "several key records at the selector name",
  "selector-quotes": "quote characters inside the selector record",
  "selector-backslash": "backslashes inside the selector record",
  "selector-cut": "the selector record looks cut at 255 octets",
  "selector-syntax": "the selector record does not parse (DKIM tag rules)",
  "selector-testing": "the selector record says testing (t=y)",
  "selector-version": "v= is not DKIM1, or not the first tag",
  "selector-sha1-only": "h= allows no hash but SHA-1 (RFC 8301 forbids it)",
  "selector-not-email": "s= lacks email and *",
  "key-type": "k= is neither rsa nor ed25519",
  "key-revoked": "p= is empty: the key is revoked",
  "key-unparsable": "p= is not a key of the type k= names",
  "key-too-short": "the RSA key is shorter than max(1024, DK_MIN_KEY_BITS)",
  "key-unusable": "verifiers cannot use the key",
  "key-mismatch": "the published key is not the public half of --key",
  "key-ed25519-spki":
    "k=ed25519 with a SubjectPublicKeyInfo in p= instead of the 32 raw bytes",
} as const;

/** A problem code of the DKIM judgement. */
export type DkimProblemCode = keyof typeof DKIM_PROBLEM_CODES;

/** One problem found. */
export interface DkimProblem {
  code: DkimProblemCode;
  /** Plain words: what is wrong and what to do. */
  message: string;
}

/** The DKIM judgement of one selector record. */
export interface DkimCheckReport {
  /** True only with no problem and nothing left unchecked by DNS trouble. */
  ok: boolean;
  domain: string;
  selector: string;
  problems: DkimProblem[];
  /** One sentence per lookup that failed temporarily. */
  couldNotCheck: string[];
  /** Worth saying, not problems (dkim.md 5.5's notes). */
  notes: string[];
  selectorRecord: FetchedRecord;
  /** Size of the first usable RSA key, or null. */
  keyBits: number | null;
  /** Type of the first usable key, or null. */
  keyType: "rsa" | "ed25519" | null;
}

/** Inputs of {@link checkDkimSelector}. */
export interface DkimCheckOptions {
  /** The domain (already checked to be a host name). */
  domain: string;
  /** The selector (already checked to be DNS labels). */
  selector: string;
  /** The public half of the local private key (`--key`), RSA or Ed25519. */
  localKey?: PublishedKey;
  resolver: Resolver;
  /** DK_MIN_KEY_BITS; DKIM never goes under 1024 (RFC 8301). */
  minBits: number;
}

/** Largest character-string: a last string of exactly this size may be cut. */
const CUT_LENGTH = 255;
/** RFC 8301's floor. */
const DKIM_FLOOR_BITS = 1024;
/** Under this an RSA key is noted (2048 advised). */
const ADVISED_BITS = 2048;

/**
 * Fetches `SELECTOR._domainkey.DOMAIN` and judges it by DKIM's rules. Never
 * throws; DNS trouble lands in `couldNotCheck`, not in `problems`.
 */
export async function checkDkimSelector(
  options: DkimCheckOptions,
): Promise<DkimCheckReport> {
  const { domain, selector } = options;
  const name = keyName(selector, domain);
  const answer = await options.resolver.txt(name);
  const problems: DkimProblem[] = [];
  const couldNotCheck: string[] = [];
  const notes: string[] = [];
  const add = (code: DkimProblemCode, message: string) =>
    problems.push({ code, message });
  let keyBits: number | null = null;
  let keyType: DkimCheckReport["keyType"] = null;
  switch (answer.kind) {
    case "tempfail":
      couldNotCheck.push(
        `Could not check the selector record ${name}: ${
          escapeDnsText(answer.reason)
        }`,
      );
      break;
    case "nxdomain":
      add(
        "selector-nxdomain",
        `No selector record: ${name} does not exist (NXDOMAIN)`,
      );
      break;
    case "nodata":
      add(
        "selector-no-txt",
        `No selector record: ${name} exists but has no TXT record`,
      );
      break;
    case "records": {
      const keys = answer.records.filter((r) => isKeyCandidate(recordText(r)));
      if (keys.length === 0) {
        add(
          "selector-no-key",
          `No selector record: the TXT records at ${name} have no p= tag and none starts with v=DKIM1 (none is a key record)`,
        );
      }
      if (keys.length > 1) {
        add(
          "selector-several",
          `${keys.length} key records at ${name}: verifiers try each and may pick any; remove the old one`,
        );
      }
      keys.forEach((strings, i) => {
        const which = keys.length > 1
          ? `Key record ${i + 1} of ${keys.length} at ${name}`
          : `The selector record at ${name}`;
        const key = _judgeKey(which, strings, options, add, notes);
        if (key !== null && keyType === null) {
          keyType = key.type;
          keyBits = key.bits;
        }
      });
    }
  }
  return {
    ok: problems.length === 0 && couldNotCheck.length === 0,
    domain,
    selector,
    problems,
    couldNotCheck,
    notes: [...new Set(notes)],
    selectorRecord: fetchedRecord(name, answer),
    keyBits,
    keyType,
  };
}

type _Add = (code: DkimProblemCode, message: string) => void;

/**
 * Judges one key candidate; returns its type and size (bits for RSA, else
 * null) when verifiers can use it, else null.
 */
function _judgeKey(
  which: string,
  strings: Uint8Array[],
  options: DkimCheckOptions,
  add: _Add,
  notes: string[],
): { type: "rsa" | "ed25519"; bits: number | null } | null {
  const text = recordText(strings);
  const shown = shortened(presentation(strings));
  const minBits = Math.max(DKIM_FLOOR_BITS, options.minBits);
  const verdict = parseKeyRecord(text, minBits);
  const the = which.replace(/^The/, "the");
  let damaged = false;
  if (text.includes('"')) {
    damaged = true;
    add(
      "selector-quotes",
      `${which} contains quote characters (${shown}): the DNS provider's form was given quotes; enter the bare value`,
    );
  }
  if (text.includes("\\")) {
    damaged = true;
    add(
      "selector-backslash",
      `${which} contains backslashes (${shown}): the value was pasted with escapes (such as \\;); enter the bare value`,
    );
  }
  const last = strings[strings.length - 1];
  if (
    !verdict.ok && (last?.length === CUT_LENGTH || text.length === CUT_LENGTH)
  ) {
    damaged = true;
    add(
      "selector-cut",
      `${which} is cut at 255 octets (${text.length} octets in ${strings.length} string${
        strings.length === 1 ? "" : "s"
      }) and its key does not parse: publish the whole value as several strings, or use an Ed25519 key (dk keygen --type ed25519) where the provider cannot`,
    );
  }
  if (damaged) return null; // the damage explains whatever else fails
  const parsed = parseTagList(text);
  if (!parsed.ok) {
    add(
      "selector-syntax",
      `${which} does not parse by DKIM's tag rules: ${
        escapeDnsText(parsed.error)
      }`,
    );
    return null;
  }
  const { tags, byName } = parsed.value;
  const get = (tag: string) => byName.get(tag)?.value;
  const v = byName.get("v");
  if (v !== undefined && (v.value !== "DKIM1" || tags[0] !== v)) {
    add(
      "selector-version",
      v.value !== "DKIM1"
        ? `${which} has v=${
          escapeDnsText(v.value)
        }: DKIM verifiers ignore a record whose v= is not DKIM1; write v=DKIM1 or leave v= out`
        : `${which} has v=DKIM1 after other tags: DKIM verifiers ignore it unless v= is the first tag; move it to the front`,
    );
    return null;
  }
  if (v === undefined) {
    notes.push(
      `${which} has no v=DKIM1: a DomainKeys-form record, which DKIM verifiers read too (valid for both schemes)`,
    );
  }
  if (get("g") !== undefined) {
    notes.push(`${which} has g=, which DKIM ignores (RFC 6376 dropped it)`);
  }
  const k = (plainValue(get("k") ?? "rsa") ?? "").toLowerCase();
  if (k !== "rsa" && k !== "ed25519") {
    add(
      "key-type",
      `${which} has k=${
        escapeDnsText(get("k")!)
      }: DKIM keys are rsa or ed25519`,
    );
    return null;
  }
  const services = listValue(get("s") ?? "*", ":");
  if (services === null) {
    add(
      "selector-syntax",
      `${which} has an s= that is not a list of services`,
    );
    return null;
  }
  if (!services.some((s) => s === "*" || s.toLowerCase() === "email")) {
    add(
      "selector-not-email",
      `${which} has s=${
        escapeDnsText(get("s")!)
      }: the key is not for email, so verifiers ignore it; write s=email or leave s= out`,
    );
    return null;
  }
  let usable = true;
  if (get("h") !== undefined) {
    const hashes = listValue(get("h")!, ":")?.map((h) => h.toLowerCase());
    if (hashes === undefined) {
      add("selector-syntax", `${which} has an h= that is not a list of hashes`);
      return null;
    }
    if (!hashes.includes("sha256")) {
      usable = false;
      add(
        hashes.includes("sha1") ? "selector-sha1-only" : "key-unusable",
        `${which} has h=${
          escapeDnsText(get("h")!)
        }: it allows no sha256, and RFC 8301 forbids sha1, so no signature can use this key; write h=sha256 or leave h= out`,
      );
    }
  }
  const flags = listValue(get("t") ?? "-", ":") ?? [];
  if (flags.includes("y")) {
    add(
      "selector-testing",
      `Testing mode is on in ${the} (t=y): receivers treat failures as passes; drop t=y when testing is over`,
    );
  }
  if (flags.includes("s")) {
    notes.push(
      `${which} has t=s: signatures must use i= in d= itself, not a subdomain`,
    );
  }
  const p = get("p");
  if (p === undefined) {
    add(
      "selector-no-key",
      `${which} has no p= tag: verifiers cannot use a key record without a key`,
    );
    return null;
  }
  const der = base64Value(p);
  if (der === null) {
    add(
      "key-unparsable",
      `${which} has a p= that is not valid base64: publish the value dk dns records prints`,
    );
    return null;
  }
  if (der.length === 0) {
    add(
      "key-revoked",
      `${which} has an empty p=: the key is revoked and every signature with it fails`,
    );
    return null;
  }
  let published: PublishedKey;
  let bits: number | null = null;
  if (k === "ed25519") {
    if (der.length !== 32) {
      const raw = ed25519FromSpki(der);
      add(
        raw !== null ? "key-ed25519-spki" : "key-unparsable",
        raw !== null
          ? `${which} has k=ed25519 with a ${der.length}-byte SubjectPublicKeyInfo in p=: DKIM wants the 32 raw bytes (RFC 8463), so publish p=${
            encodeBase64(raw)
          }`
          : `${which} has k=ed25519 but p= holds ${der.length} bytes, not the 32 raw bytes of an Ed25519 key`,
      );
      return null;
    }
    published = { type: "ed25519", ed25519: der };
  } else {
    let rsa = parseSpki(der);
    if (!rsa.ok) rsa = parseRsaPublicKey(der);
    if (!rsa.ok) {
      const ed = der.length === 32 || ed25519FromSpki(der) !== null;
      add(
        "key-unparsable",
        ed
          ? `${which} holds an Ed25519 key but no k=ed25519, so verifiers read it as RSA (the default) and fail: add k=ed25519`
          : `${which} has a p= that is not an RSA public key: publish the value dk dns records prints`,
      );
      return null;
    }
    const fit = usableKey(rsa.value);
    if (typeof fit === "string") {
      add("key-unusable", `${which} cannot be used by verifiers: ${fit}`);
      return null;
    }
    bits = fit.bits;
    if (bits < minBits) {
      add(
        "key-too-short",
        `${which} has a ${bits}-bit key, shorter than ${minBits} bits: verifiers reject it (RFC 8301); make a 2048-bit key with dk keygen`,
      );
      return null;
    }
    if (bits > MAX_RSA_BITS) {
      add(
        "key-unusable",
        `${which} has a ${bits}-bit key: verifiers accept at most ${MAX_RSA_BITS} bits`,
      );
      return null;
    }
    if (bits < ADVISED_BITS) {
      notes.push(
        `${which} has a ${bits}-bit RSA key: accepted, but 2048 bits are advised`,
      );
    }
    published = { type: "rsa", rsa: rsa.value };
  }
  if (!verdict.ok) {
    // Every refusal of the verifier's reading is named above; this is the
    // safety net that keeps check and verify from disagreeing.
    add(
      "key-unusable",
      `${which} cannot be used by verifiers: ${
        escapeDnsText(verdict.error.reason)
      }`,
    );
    return null;
  }
  if (options.localKey && !sameKey(options.localKey, published)) {
    add(
      "key-mismatch",
      `${which} is not the public half of the local private key: mail signed with it will fail (publish the record dk dns records --key prints)`,
    );
  }
  return usable ? { type: published.type, bits } : null;
}
