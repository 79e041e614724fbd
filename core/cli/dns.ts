/**
 * `dk dns records` (the records to publish, for BIND, tinydns or a provider's
 * form) and `dk dns check` (what the world sees) — cli.md.
 *
 * Exit codes: records 0, or 2 for usage and unreadable keys; check 0 when
 * nothing is wrong, 1 when a problem was found, 75 when DNS could not be
 * asked (and nothing was found wrong), 2 for usage.
 *
 * @module
 */

import { describeError, fail, parseFlags } from "./io.ts";
import { loadPrivateKey } from "./key_file.ts";
import {
  encodeBase64,
  parsePublicKeyPem,
  type PublicKeyInfo,
} from "../crypto/keys.ts";
import { isSelector, safeDomain, selectorOf } from "../dk/domain.ts";
import { minKeyBitsFromEnv } from "../dk/key_record.ts";
import {
  checkDomain,
  type CheckReport,
  type FetchedRecord,
} from "../dk/check.ts";
import {
  POLICY_LABEL,
  policyValue,
  selectorLabel,
  selectorValue,
} from "../dk/records.ts";
import {
  RECORD_FORMATS,
  type RecordFormat,
  renderRecord,
} from "../dns/txt_render.ts";
import { resolverFromOptions } from "../dns/select.ts";
import { err, ok, type Result } from "../result.ts";
import { CLI_EXIT } from "../status.ts";

const USAGE_RECORDS =
  'dk dns records --domain D [--selector S] (--key FILE | --public FILE) [--format bind|tinydns|value] [--policy "t=y; o=-"]';
const USAGE_CHECK =
  "dk dns check DOMAIN [--selector S] [--key FILE] [--dns HOST[:PORT] | --zone FILE] [--json]";
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

/** The public key from `--key` (private PEM) or `--public` (SPKI PEM). */
async function _publicKey(
  keyFile?: string,
  publicFile?: string,
): Promise<Result<PublicKeyInfo, string>> {
  if (keyFile !== undefined) {
    const loaded = loadPrivateKey(keyFile);
    return loaded.ok ? ok(loaded.value.key.publicKey) : loaded;
  }
  let text: string;
  try {
    text = new TextDecoder("latin1").decode(await Deno.readFile(publicFile!));
  } catch (e) {
    return err(
      `Cannot read public key file "${publicFile}": ${describeError(e)}`,
    );
  }
  const parsed = parsePublicKeyPem(text);
  return parsed.ok
    ? parsed
    : err(`Cannot use public key file "${publicFile}": ${parsed.error}`);
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
  const selector = _selector(v.selector, v.key, v.public);
  if (!selector.ok) return usage(selector.error);
  const policy = policyValue(v.policy);
  if (!policy.ok) return usage(policy.error);
  const key = await _publicKey(v.key, v.public);
  if (!key.ok) {
    fail(key.error);
    return CLI_EXIT.usage;
  }
  const lines: string[] = [];
  for (
    const record of [
      {
        label: selectorLabel(selector.value),
        value: selectorValue(encodeBase64(key.value.spki)),
      },
      { label: POLICY_LABEL, value: policy.value },
    ]
  ) {
    const line = renderRecord(record, format, domain);
    if (!line.ok) return usage(line.error);
    lines.push(line.value);
  }
  console.log(lines.join("\n"));
  if (format === "value" && Deno.stderr.isTerminal()) {
    console.error(
      `(a panel that wants the full host name: ${
        selectorLabel(selector.value)
      }.${domain} and ${POLICY_LABEL}.${domain})`,
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
  const keyFile = v.key as string | undefined;
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
  let localKey: PublicKeyInfo | undefined;
  if (keyFile !== undefined) {
    const key = await _publicKey(keyFile);
    if (!key.ok) {
      fail(key.error);
      return CLI_EXIT.usage;
    }
    localKey = key.value;
  }
  const report = await checkDomain({
    domain,
    selector,
    localKey,
    resolver: resolver.value,
    minBits,
  });
  console.log(v.json ? JSON.stringify(_json(report)) : _text(report));
  if (report.problems.length) return CLI_EXIT.notGood;
  return report.couldNotCheck.length ? CLI_EXIT.tempFail : CLI_EXIT.ok;
}

function _json(report: CheckReport) {
  return {
    ok: report.ok,
    domain: report.domain,
    selector: report.selector,
    problems: report.problems,
    could_not_check: report.couldNotCheck,
    notes: report.notes,
    key_bits: report.keyBits,
    records: { policy: report.policy, selector: report.selectorRecord },
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
  bits: number | null,
): string[] {
  if (record.answer !== "records") {
    return [`${what} ${record.name}: ${ANSWER_WORDS[record.answer]}`];
  }
  return record.values.map((value, i) => {
    const shown = value.length > 72 ? value.slice(0, 69) + "..." : value;
    const size = what.startsWith("selector") && bits !== null && i === 0
      ? ` (${bits}-bit key)`
      : "";
    return `${what} ${record.name}: ${shown}${size}`;
  });
}

function _text(report: CheckReport): string {
  const lines = [..._recordLines("policy  ", report.policy, null)];
  if (report.selectorRecord) {
    lines.push(
      ..._recordLines("selector", report.selectorRecord, report.keyBits),
    );
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
