/**
 * `dk sign`: the message on stdin, the same message with signature fields on
 * top on stdout (cli.md; dkim.md 5.1). `--scheme dk` (the default) adds a
 * `DomainKey-Signature:` exactly as before; `--scheme dkim` (`--dkim`) one
 * `DKIM-Signature:` per `--key` (the second key's on top); `--scheme both`
 * the DomainKeys signature with the first RSA key, then the DKIM ones. Each
 * signature covers the message as it stands below it. The signing itself is
 * `core/dk/sign_message.ts` and `core/dkim/sign.ts`; this file reads flags
 * and keys and orders the output.
 *
 * Exit codes: 0 every requested signature written; 1 one could not be made
 * (no usable From/Sender, already signed, domain mismatch or not valid) —
 * with `dk` the message is then written unchanged only when it was already
 * signed, with `dkim`/`both` stdout holds the message under the signatures
 * that were made, or nothing when none was; 2 usage or an unusable key.
 *
 * @module
 */

import { fail, parseFlags, readAll, writeStdout } from "./io.ts";
import { loadPrivateKey } from "./key_file.ts";
import { loadSigningKey } from "./signing_key.ts";
import { type DkSignOutcome, signDomainKeys } from "../dk/sign_message.ts";
import { isSelector, safeDomain, selectorOf } from "../dk/domain.ts";
import { DkimSigner, type DkimSigningKey } from "../dkim/sign.ts";
import type { CanonMode } from "../dkim/canon_header.ts";
import { isHostName, toALabels } from "../dkim/domain_name.ts";
import { loadBackend } from "../crypto/load.ts";
import { lineEndOf } from "../message/line_end.ts";
import { CLI_EXIT } from "../status.ts";

const USAGE = "dk sign --key FILE [--key FILE] [--scheme dk|dkim|both] ...";

/** Runs `dk sign`; resolves to the exit code. */
export async function run(args: string[]): Promise<number> {
  const flags = parseFlags({
    args,
    options: {
      key: { type: "string", multiple: true },
      selector: { type: "string" },
      domain: { type: "string" },
      canon: { type: "string" },
      headers: { type: "string" },
      scheme: { type: "string" },
      dkim: { type: "boolean", default: false },
      identity: { type: "string" },
      expire: { type: "string" },
      at: { type: "string" },
    },
    strict: true,
    allowPositionals: false,
  }, USAGE);
  if (!flags) return CLI_EXIT.usage;
  const { values } = flags;
  const scheme = (values.scheme ?? (values.dkim ? "dkim" : "dk"))
    .toLowerCase();
  if (values.dkim && scheme !== "dkim") {
    fail(`--dkim means --scheme dkim: not with --scheme ${values.scheme}`);
    return CLI_EXIT.usage;
  }
  if (scheme !== "dk" && scheme !== "dkim" && scheme !== "both") {
    fail(`Unknown scheme "${values.scheme}": use dk, dkim or both`);
    return CLI_EXIT.usage;
  }
  const keys = values.key ?? [];
  if (keys.length === 0) {
    fail("Missing --key FILE (usage: dk sign --key FILE [--selector S] ...)");
    return CLI_EXIT.usage;
  }
  if (scheme === "dk") {
    for (const name of ["identity", "expire", "at"] as const) {
      if (values[name] !== undefined) {
        fail(`--${name} applies to DKIM only: add --scheme dkim or both`);
        return CLI_EXIT.usage;
      }
    }
    if (keys.length > 1) {
      fail("--scheme dk signs with one --key");
      return CLI_EXIT.usage;
    }
    return await signDk(values, keys[0]);
  }
  return await signDkim(values, keys, scheme === "both");
}

/** The parsed flag values. */
interface Values {
  selector?: string;
  domain?: string;
  canon?: string;
  headers?: string;
  identity?: string;
  expire?: string;
  at?: string;
}

/** Splits `--headers` into lowercase names; null when a name is not one. */
function headerList(text: string): string[] | null {
  const names = text.split(":").map((h) => h.trim().toLowerCase())
    .filter((h) => h !== "");
  return names.every((h) => /^[\x21-\x39\x3b-\x7e]+$/.test(h)) ? names : null;
}

/** `--scheme dk`: exactly the DomainKeys command of cli.md. */
async function signDk(values: Values, keyPath: string): Promise<number> {
  const canon = values.canon ?? "nofws";
  if (canon !== "nofws" && canon !== "simple") {
    fail(`Unknown canonicalization "${canon}": use nofws or simple`);
    return CLI_EXIT.usage;
  }
  const selector = values.selector ?? selectorOf(keyPath);
  if (!isSelector(selector)) {
    fail(
      `Selector "${selector}" is not a DNS label: name the key file after the selector or give --selector`,
    );
    return CLI_EXIT.usage;
  }
  const headers = values.headers === undefined
    ? undefined
    : headerList(values.headers);
  if (headers === null) {
    fail(`Bad header list "${values.headers}": names separated by ":"`);
    return CLI_EXIT.usage;
  }
  const domain = dkDomain(values.domain);
  if (domain === null) return CLI_EXIT.usage;
  const loaded = loadPrivateKey(keyPath);
  if (!loaded.ok) {
    fail(loaded.error);
    return CLI_EXIT.usage;
  }
  if (loaded.value.warning) fail(`warning: ${loaded.value.warning}`);

  const message = await readAll(Deno.stdin.readable);
  const outcome = await signDomainKeys(message, {
    key: loaded.value.key,
    selector,
    domain,
    canon,
    headers,
  });
  if (outcome.kind !== "signed") {
    fail(outcome.message);
    if (outcome.kind === "key") return CLI_EXIT.usage;
    if (outcome.alreadySigned) await writeStdout(message);
    return CLI_EXIT.notGood;
  }
  await writeStdout(new TextEncoder().encode(outcome.header));
  await writeStdout(message);
  return CLI_EXIT.ok;
}

/** `--domain` for DomainKeys: undefined when absent, null (reported) when bad. */
function dkDomain(raw: string | undefined): string | undefined | null {
  if (raw === undefined) return undefined;
  const d = safeDomain(raw);
  if (d === null) fail(`Domain "${raw}" is not a valid domain name`);
  return d;
}

/** Text as the latin1 string of its UTF-8 bytes, as DKIM tags are read. */
function bytesOf(text: string): string {
  return String.fromCharCode(...new TextEncoder().encode(text));
}

/** `--canon` for DKIM (dkim.md 5.1), or null when it is not one. */
function dkimCanon(
  text: string | undefined,
): { header: CanonMode; body: CanonMode } | null {
  if (text === undefined) return { header: "relaxed", body: "relaxed" };
  const [header, body = "simple", ...rest] = text.toLowerCase().split("/");
  const mode = (m: string): m is CanonMode => m === "simple" || m === "relaxed";
  if (rest.length || !mode(header) || !mode(body)) return null;
  return { header, body };
}

/** One DKIM key ready to sign. */
interface DkimKeyUse {
  path: string;
  key: DkimSigningKey;
  selector: string;
}

/** `--scheme dkim` and `--scheme both` (dkim.md 5.1). */
async function signDkim(
  values: Values,
  keyPaths: string[],
  both: boolean,
): Promise<number> {
  if (keyPaths.length > 2) {
    fail("--key may be given at most twice (an RSA and an Ed25519 key)");
    return CLI_EXIT.usage;
  }
  if (values.selector !== undefined && keyPaths.length > 1) {
    fail(
      "--selector works with one --key: with two, each key file is named after its selector",
    );
    return CLI_EXIT.usage;
  }
  const canon = dkimCanon(values.canon);
  if (canon === null) {
    fail(
      `Unknown DKIM canonicalization "${values.canon}": use simple, relaxed or HEADER/BODY of those`,
    );
    return CLI_EXIT.usage;
  }
  let headers: string[] | undefined;
  if (values.headers !== undefined) {
    const names = headerList(values.headers);
    if (names === null || names.length === 0) {
      fail(`Bad header list "${values.headers}": names separated by ":"`);
      return CLI_EXIT.usage;
    }
    if (!names.includes("from")) {
      fail(`Bad header list "${values.headers}": DKIM must sign from`);
      return CLI_EXIT.usage;
    }
    headers = names;
  }
  let domain: string | undefined;
  if (values.domain !== undefined) {
    const d = toALabels(bytesOf(values.domain));
    if (d === null || !isHostName(d)) {
      fail(`Domain "${values.domain}" is not a valid domain name`);
      return CLI_EXIT.usage;
    }
    domain = d;
  }
  if (values.identity !== undefined) {
    const at = values.identity.lastIndexOf("@");
    if (at < 0 || toALabels(bytesOf(values.identity.slice(at + 1))) === null) {
      fail(`Bad --identity "${values.identity}": give [local]@domain`);
      return CLI_EXIT.usage;
    }
  }
  let expireSeconds: number | undefined;
  if (values.expire !== undefined) {
    if (!/^[0-9]{1,12}$/.test(values.expire) || Number(values.expire) < 1) {
      fail(
        `Bad --expire "${values.expire}": give a positive number of seconds`,
      );
      return CLI_EXIT.usage;
    }
    expireSeconds = Number(values.expire);
  }
  let time = Math.floor(Date.now() / 1000);
  if (values.at !== undefined) {
    if (!/^[0-9]{1,12}$/.test(values.at)) {
      fail(`Bad --at "${values.at}": give seconds since the epoch`);
      return CLI_EXIT.usage;
    }
    time = Number(values.at);
  }
  const uses: DkimKeyUse[] = [];
  for (const path of keyPaths) {
    const given = values.selector ?? selectorOf(path);
    const selector = toALabels(bytesOf(given), false);
    if (selector === null) {
      fail(
        `Selector "${given}" is not made of DNS labels: name the key file after the selector or give --selector`,
      );
      return CLI_EXIT.usage;
    }
    const loaded = loadSigningKey(path);
    if (!loaded.ok) {
      fail(loaded.error);
      return CLI_EXIT.usage;
    }
    if (loaded.value.warning) fail(`warning: ${loaded.value.warning}`);
    uses.push({ path, key: loaded.value.key, selector });
  }
  let dk: { key: DkimKeyUse; domain: string | undefined } | undefined;
  if (both) {
    const rsa = uses.find((u) => u.key.type === "rsa");
    if (!rsa) {
      fail("--scheme both needs an RSA --key for the DomainKeys signature");
      return CLI_EXIT.usage;
    }
    if (!isSelector(rsa.selector)) {
      fail(
        `Selector "${rsa.selector}" is not a DNS label, as DomainKeys needs`,
      );
      return CLI_EXIT.usage;
    }
    const d = dkDomain(values.domain);
    if (d === null) return CLI_EXIT.usage;
    dk = { key: rsa, domain: d };
  }
  const backend = await loadBackend(Deno.env.get("DK_CRYPTO"));
  if (!backend.ok) {
    fail(backend.error);
    return CLI_EXIT.usage;
  }

  const message = await readAll(Deno.stdin.readable);
  const lineEnd = lineEndOf(message);
  const encoder = new TextEncoder();
  let above = ""; // the fields made so far, topmost first
  let refused = false;
  if (dk) {
    const key = dk.key.key;
    const outcome: DkSignOutcome = key.type === "rsa"
      ? await signDomainKeys(message, {
        key: key.rsa,
        selector: dk.key.selector,
        domain: dk.domain,
        canon: "nofws",
        lineEnd,
      })
      : { kind: "key", message: "not an RSA key" };
    if (outcome.kind === "key") {
      fail(outcome.message);
      return CLI_EXIT.usage;
    }
    if (outcome.kind === "refused") {
      fail(`No DomainKey-Signature: ${outcome.message}`);
      refused = true;
    } else {
      above = outcome.header;
    }
  }
  for (const use of uses) {
    const signer = new DkimSigner({
      key: use.key,
      selector: use.selector,
      domain,
      canon,
      headers,
      identity: values.identity,
      time,
      expireSeconds,
    });
    signer.update(encoder.encode(above));
    signer.update(message);
    const field = await signer.sign(lineEnd);
    if (!field.ok) {
      fail(
        `No DKIM-Signature with key "${use.path}": ${field.error.reason}`,
      );
      if (field.error.letter === "R") return CLI_EXIT.usage;
      refused = true;
      continue;
    }
    above = field.value + above;
  }
  if (above !== "") {
    await writeStdout(encoder.encode(above));
    await writeStdout(message);
  }
  return refused ? CLI_EXIT.notGood : CLI_EXIT.ok;
}
