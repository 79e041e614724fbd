/**
 * `dk dns records` (the records to publish, for BIND, tinydns or a provider's
 * form) and `dk dns check` (what the world sees) — cli.md, for DomainKeys,
 * DKIM or both (`--scheme`, dkim.md 5.4–5.5).
 *
 * Exit codes: records 0, or 2 for usage and unreadable keys; check 0 when
 * nothing is wrong, 1 when a problem was found, 75 when DNS could not be
 * asked (and nothing was found wrong), 2 for usage.
 *
 * @module
 */

import { describeError, fail, parseFlags } from "./io.ts";
import { isSelector, safeDomain, selectorOf } from "../dk/domain.ts";
import { minKeyBitsFromEnv } from "../dk/key_record.ts";
import { checkDomain } from "../dk/check.ts";
import { POLICY_LABEL, policyValue, selectorLabel } from "../dk/records.ts";
import { checkDkimSelector } from "../dkim/check.ts";
import {
  combineReports,
  dkimReport,
  dkReport,
  type SchemeReport,
} from "./dns_report.ts";
import { memoResolver } from "../dns/memo_resolver.ts";
import {
  publicHalf,
  type PublishedKey,
  readPublicKeyText,
  RECORD_SCHEMES,
  type RecordScheme,
  selectorRecordValue,
} from "../dkim/records.ts";
import { parseSigningKeyPem } from "../dkim/sign.ts";
import { readKeyFileText } from "../queue/key_file.ts";
import {
  type FetchedRecord,
  RECORD_FORMATS,
  type RecordFormat,
  renderRecord,
} from "../dns/txt_render.ts";
import { resolverFromOptions } from "../dns/select.ts";
import { err, ok, type Result } from "../result.ts";
import { CLI_EXIT } from "../status.ts";

const USAGE_RECORDS =
  'dk dns records --domain D [--selector S] (--key FILE | --public FILE) [--format bind|tinydns|value] [--policy "t=y; o=-"] [--scheme dk|dkim|both] [--testing]';
const USAGE_CHECK =
  "dk dns check DOMAIN [--selector S] [--key FILE] [--dns HOST[:PORT] | --zone FILE] [--json] [--scheme dk|dkim|both]";
const USAGE = `usage: ${USAGE_RECORDS}\n       ${USAGE_CHECK}`;

/** Runs `dk dns records|check`; resolves to the exit code. */
export async function run(args: string[], _argv0?: string): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === "records") return await records(rest);
  if (sub === "check") return await check(rest);
  if (sub === "--help" || sub === "help") {
    console.log(USAGE);
    return CLI_EXIT.ok;
  }
  fail(
    sub === undefined
      ? "Missing subcommand (records or check)"
      : `Unknown subcommand "${sub}" (records or check)`,
  );
  console.error(USAGE);
  return CLI_EXIT.usage;
}

/**
 * The public key from `--key` (an RSA or Ed25519 private key PEM) or
 * `--public` (a PEM public key, RSA or Ed25519, or the base64 of a raw
 * Ed25519 key), or a one-line error.
 */
async function _publicKey(
  keyFile?: string,
  publicFile?: string,
): Promise<Result<PublishedKey, string>> {
  if (keyFile !== undefined) {
    const read = readKeyFileText(keyFile);
    if (!read.ok) {
      return err(`Cannot read key file "${keyFile}": ${read.error.why}`);
    }
    const parsed = parseSigningKeyPem(read.value.text);
    if (!parsed.ok) {
      return err(`Cannot use key file "${keyFile}": ${parsed.error}`);
    }
    const half = await publicHalf(parsed.value);
    return half.ok
      ? half
      : err(`Cannot use key file "${keyFile}": ${half.error}`);
  }
  let text: string;
  let mode: number | null = null;
  try {
    text = new TextDecoder("latin1").decode(await Deno.readFile(publicFile!));
    mode = (await Deno.stat(publicFile!)).mode;
  } catch (e) {
    return err(
      `Cannot read public key file "${publicFile}": ${describeError(e)}`,
    );
  }
  const parsed = await readPublicKeyText(text);
  if (!parsed.ok) {
    return err(`Cannot use public key file "${publicFile}": ${parsed.error}`);
  }
  if (
    parsed.value.type === "ed25519" && !text.includes("-----") &&
    mode !== null && (mode & 0o077) === 0
  ) {
    // dknewkey's Ed25519 private key file (NAME.key, mode 0600) has this
    // very form: 32 bytes in base64. Only the permissions tell them apart.
    fail(
      `warning: "${publicFile}" is readable by its owner only, as private keys are: if it is dknewkey's NAME.key (the private seed), publish NAME.dns instead`,
    );
  }
  return parsed;
}

/** `--scheme`'s value (default dk), or null when it names no scheme. */
function _scheme(given: string | undefined): RecordScheme | null {
  const scheme = (given ?? "dk") as RecordScheme;
  return RECORD_SCHEMES.includes(scheme) ? scheme : null;
}

/** The selector: `--selector`, else the key file's basename (a public file loses `.pub`/`.pem`). */
function _selector(
  given: string | undefined,
  keyFile?: string,
  publicFile?: string,
): Result<string, string> {
  const selector = given ??
    (keyFile !== undefined
      ? selectorOf(keyFile)
      : selectorOf(publicFile!).replace(/\.(pub|pem)$/, ""));
  if (!isSelector(selector)) {
    return err(
      given !== undefined
        ? `Cannot use selector "${selector}": it must be DNS labels (letters, digits, hyphens)`
        : `Cannot use "${selector}" (the key file's name) as the selector: it must be DNS labels; give --selector`,
    );
  }
  return ok(selector);
}

async function records(args: string[]): Promise<number> {
  const parsed = parseFlags({
    args,
    options: {
      domain: { type: "string" },
      selector: { type: "string" },
      key: { type: "string" },
      public: { type: "string" },
      format: { type: "string", default: "bind" },
      policy: { type: "string" },
      scheme: { type: "string" },
      testing: { type: "boolean", default: false },
    },
    strict: true,
    allowPositionals: true,
  }, USAGE_RECORDS);
  if (!parsed) return CLI_EXIT.usage;
  const v = parsed.values;
  const usage = (message: string) => {
    fail(`${message} (usage: ${USAGE_RECORDS})`);
    return CLI_EXIT.usage;
  };
  if (parsed.positionals.length) {
    return usage(`Unexpected argument "${parsed.positionals[0]}"`);
  }
  if (v.domain === undefined) return usage("Missing --domain");
  const domain = safeDomain(v.domain);
  if (domain === null) {
    return usage(`Cannot use domain "${v.domain}": not a host name`);
  }
  if ((v.key === undefined) === (v.public === undefined)) {
    return usage("Give --key FILE or --public FILE (one of them)");
  }
  const format = v.format as RecordFormat;
  if (!RECORD_FORMATS.includes(format)) {
    return usage(`Unknown format "${v.format}" (bind, tinydns or value)`);
  }
  const scheme = _scheme(v.scheme);
  if (scheme === null) {
    return usage(`Unknown scheme "${v.scheme}" (dk, dkim or both)`);
  }
  if (scheme === "dkim" && v.policy !== undefined) {
    return usage(
      "--policy does not apply to --scheme dkim (DKIM publishes no policy record)",
    );
  }
  const selector = _selector(v.selector, v.key, v.public);
  if (!selector.ok) return usage(selector.error);
  const policy = policyValue(v.policy);
  if (!policy.ok) return usage(policy.error);
  const key = await _publicKey(v.key, v.public);
  if (!key.ok) {
    fail(key.error);
    return CLI_EXIT.usage;
  }
  const value = selectorRecordValue(scheme, key.value, v.testing);
  if (!value.ok) return usage(value.error);
  const published = [
    { label: selectorLabel(selector.value), value: value.value },
  ];
  if (scheme !== "dkim") {
    published.push({ label: POLICY_LABEL, value: policy.value });
  }
  const lines: string[] = [];
  for (const record of published) {
    const line = renderRecord(record, format, domain);
    if (!line.ok) return usage(line.error);
    lines.push(line.value);
  }
  console.log(lines.join("\n"));
  if (format === "value" && Deno.stderr.isTerminal()) {
    console.error(
      `(a panel that wants the full host name: ${
        published.map((r) => `${r.label}.${domain}`).join(" and ")
      })`,
    );
  }
  return CLI_EXIT.ok;
}

async function check(args: string[]): Promise<number> {
  const parsed = parseFlags({
    args,
    options: {
      selector: { type: "string" },
      key: { type: "string" },
      dns: { type: "string" },
      zone: { type: "string" },
      json: { type: "boolean", default: false },
      scheme: { type: "string" },
    },
    strict: true,
    allowPositionals: true,
  }, USAGE_CHECK);
  if (!parsed) return CLI_EXIT.usage;
  const v = parsed.values;
  const usage = (message: string) => {
    fail(`${message} (usage: ${USAGE_CHECK})`);
    return CLI_EXIT.usage;
  };
  if (parsed.positionals.length !== 1) {
    return usage(
      parsed.positionals.length
        ? "Give one domain"
        : "Missing the domain to check",
    );
  }
  const domain = safeDomain(parsed.positionals[0]);
  if (domain === null) {
    return usage(
      `Cannot use domain "${parsed.positionals[0]}": not a host name`,
    );
  }
  const scheme = _scheme(v.scheme as string | undefined);
  if (scheme === null) {
    return usage(`Unknown scheme "${v.scheme}" (dk, dkim or both)`);
  }
  const keyFile = v.key as string | undefined;
  if (scheme !== "dk" && v.selector === undefined && keyFile === undefined) {
    return usage(
      `--scheme ${scheme} checks a selector record: give --selector S or --key FILE`,
    );
  }
  let selector: string | undefined;
  if (v.selector !== undefined || keyFile !== undefined) {
    const chosen = _selector(v.selector as string | undefined, keyFile);
    if (!chosen.ok) return usage(chosen.error);
    selector = chosen.value;
  }
  const minBits = minKeyBitsFromEnv(Deno.env.get("DK_MIN_KEY_BITS"));
  if (typeof minBits === "string") return usage(minBits);
  const resolver = resolverFromOptions({
    dns: v.dns as string | undefined,
    zone: v.zone as string | undefined,
    env: Deno.env.toObject(),
    origin: domain,
  });
  if (!resolver.ok) return usage(resolver.error);
  let localKey: PublishedKey | undefined;
  if (keyFile !== undefined) {
    const key = await _publicKey(keyFile);
    if (!key.ok) {
      fail(key.error);
      return CLI_EXIT.usage;
    }
    if (key.value.type === "ed25519" && scheme !== "dkim") {
      return usage(
        `Cannot use key file "${keyFile}" with --scheme ${scheme}: an Ed25519 key serves DKIM only (use --scheme dkim)`,
      );
    }
    localKey = key.value;
  }
  let report: SchemeReport;
  if (scheme === "dk") {
    report = dkReport(
      await checkDomain({
        domain,
        selector,
        localKey: localKey?.type === "rsa" ? localKey.rsa : undefined,
        resolver: resolver.value,
        minBits,
      }),
    );
  } else {
    const shared = memoResolver(resolver.value);
    const dkim = checkDkimSelector({
      domain,
      selector: selector!,
      localKey,
      resolver: shared,
      minBits,
    });
    report = scheme === "dkim" ? dkimReport(await dkim) : combineReports(
      await checkDomain({
        domain,
        selector,
        localKey: localKey?.type === "rsa" ? localKey.rsa : undefined,
        resolver: shared,
        minBits,
      }),
      await dkim,
    );
  }
  console.log(v.json ? JSON.stringify(_json(report)) : _text(report));
  if (report.problems.length) return CLI_EXIT.notGood;
  return report.couldNotCheck.length ? CLI_EXIT.tempFail : CLI_EXIT.ok;
}

function _json(report: SchemeReport) {
  return {
    ok: report.ok,
    domain: report.domain,
    selector: report.selector,
    problems: report.problems,
    could_not_check: report.couldNotCheck,
    notes: report.notes,
    key_bits: report.keyBits,
    records: { policy: report.policy, selector: report.selectorRecord },
    scheme: report.scheme,
    ...(report.scheme === "dk" ? {} : { key_type: report.keyType }),
  };
}

const ANSWER_WORDS: Record<FetchedRecord["answer"], string> = {
  records: "",
  nxdomain: "no such name (NXDOMAIN)",
  nodata: "no TXT record (NODATA)",
  tempfail: "no answer (DNS trouble)",
};

function _recordLines(
  what: string,
  record: FetchedRecord,
  size: string | null,
): string[] {
  if (record.answer !== "records") {
    return [`${what} ${record.name}: ${ANSWER_WORDS[record.answer]}`];
  }
  return record.values.map((value, i) => {
    const shown = value.length > 72 ? value.slice(0, 69) + "..." : value;
    const shownSize = size !== null && i === 0 ? ` (${size})` : "";
    return `${what} ${record.name}: ${shown}${shownSize}`;
  });
}

function _text(report: SchemeReport): string {
  const lines = report.policy
    ? _recordLines("policy  ", report.policy, null)
    : [];
  if (report.selectorRecord) {
    const size = report.keyBits !== null
      ? `${report.keyBits}-bit key`
      : report.keyType === "ed25519"
      ? "Ed25519 key"
      : null;
    lines.push(..._recordLines("selector", report.selectorRecord, size));
  }
  for (const p of report.problems) {
    lines.push(`problem ${p.code}: ${p.message}`);
  }
  for (const c of report.couldNotCheck) lines.push(`could not check: ${c}`);
  for (const n of report.notes) lines.push(`note: ${n}`);
  const count = report.problems.length;
  if (count) lines.push(`${count} problem${count === 1 ? "" : "s"} found`);
  else if (report.couldNotCheck.length) {
    lines.push("Could not check: DNS did not answer; try again later");
  } else lines.push("No problems found");
  return lines.join("\n");
}
