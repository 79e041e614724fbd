/**
 * `dk keygen`: dknewkey's job done safely (cli.md, domainkeys.md 6.2,
 * dkim.md 5.3): a new RSA key as PEM PKCS#1 (or, with `--type ed25519`, an
 * Ed25519 key as PEM PKCS#8), written to a temporary file with mode 0600
 * (0640 and a group with `--group`) and moved into place without replacing
 * an existing file unless `--force`; the selector record of the chosen
 * scheme (`--scheme dk|dkim|both`, `t=y` only with `--testing`) on stdout.
 *
 * Exit codes: 0 written; 2 usage errors, an existing file, or a file that
 * cannot be written.
 *
 * @module
 */

import { generateKeyPairSync } from "node:crypto";
import { describeError, fail, parseFlags } from "./io.ts";
import { parsePrivateKeyPem } from "../crypto/keys.ts";
import { ed25519Generate } from "../crypto/ed25519.ts";
import { safeDomain, selectorOf } from "../dk/domain.ts";
import {
  type PublishedKey,
  RECORD_SCHEMES,
  type RecordScheme,
  selectorRecordValue,
} from "../dkim/records.ts";
import { renderRecord } from "../dns/txt_render.ts";
import { err, ok, type Result } from "../result.ts";
import { CLI_EXIT } from "../status.ts";

/** Key sizes keygen accepts (domainkeys.md 6.2). */
export const KEY_BITS = { min: 1024, max: 4096, default: 2048 } as const;

const USAGE =
  "dk keygen [KEYFILE] [--type rsa|ed25519] [--scheme dk|dkim|both] [--testing] [--bits N] [--group NAME] [--domain D] [--format bind|tinydns|value] [--force]";

const LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

/** The group id of `name` from /etc/group, or null. */
function groupId(name: string): number | null {
  if (/^[0-9]+$/.test(name)) return Number(name);
  try {
    for (const line of Deno.readTextFileSync("/etc/group").split("\n")) {
      const [group, , gid] = line.split(":");
      if (group === name && /^[0-9]+$/.test(gid ?? "")) return Number(gid);
    }
  } catch { /* no /etc/group */ }
  return null;
}

/** Runs `dk keygen`; resolves to the exit code. */
export async function run(args: string[]): Promise<number> {
  const flags = parseFlags(
    {
      args,
      options: {
        bits: { type: "string" },
        group: { type: "string" },
        domain: { type: "string" },
        format: { type: "string", default: "bind" },
        force: { type: "boolean", default: false },
        type: { type: "string", default: "rsa" },
        scheme: { type: "string" },
        testing: { type: "boolean", default: false },
      },
      strict: true,
      allowPositionals: true,
    },
    USAGE,
  );
  if (!flags) return CLI_EXIT.usage;
  const { values, positionals } = flags;
  if (positionals.length > 1) {
    fail("Give one KEYFILE (usage: dk keygen [KEYFILE] [--bits N] ...)");
    return CLI_EXIT.usage;
  }
  const path = positionals[0] ?? "private";
  const selector = selectorOf(path);
  if (!LABEL.test(selector)) {
    fail(
      `Cannot use "${selector}" as a selector: the key file's name must be a DNS label (letters, digits, hyphens)`,
    );
    return CLI_EXIT.usage;
  }
  const type = values.type;
  if (type !== "rsa" && type !== "ed25519") {
    fail(`Unknown key type "${type}": use rsa or ed25519 (usage: ${USAGE})`);
    return CLI_EXIT.usage;
  }
  const scheme =
    (values.scheme ?? (type === "ed25519" ? "dkim" : "dk")) as RecordScheme;
  if (!RECORD_SCHEMES.includes(scheme)) {
    fail(`Unknown scheme "${values.scheme}": use dk, dkim or both`);
    return CLI_EXIT.usage;
  }
  if (type === "ed25519" && values.bits !== undefined) {
    fail(
      "--bits does not apply to --type ed25519 (an Ed25519 key has one size)",
    );
    return CLI_EXIT.usage;
  }
  if (type === "ed25519" && scheme !== "dkim") {
    fail(
      `--type ed25519 serves DKIM only: --scheme ${scheme} cannot publish it (use --scheme dkim, or leave --scheme out)`,
    );
    return CLI_EXIT.usage;
  }
  const bitsText = values.bits ?? String(KEY_BITS.default);
  const bits = /^[0-9]{1,5}$/.test(bitsText) ? Number(bitsText) : NaN;
  if (type === "rsa" && !(bits >= KEY_BITS.min && bits <= KEY_BITS.max)) {
    fail(
      `Cannot make a ${bitsText}-bit key: use ${KEY_BITS.min} to ${KEY_BITS.max} bits (2048 recommended)`,
    );
    return CLI_EXIT.usage;
  }
  const format = values.format;
  if (format !== "bind" && format !== "tinydns" && format !== "value") {
    fail(`Unknown format "${format}": use bind, tinydns or value`);
    return CLI_EXIT.usage;
  }
  let domain: string | undefined;
  if (values.domain !== undefined) {
    const d = safeDomain(values.domain);
    if (d === null) {
      fail(`Domain "${values.domain}" is not a valid domain name`);
      return CLI_EXIT.usage;
    }
    domain = d;
  }
  if (format === "tinydns" && domain === undefined) {
    fail("--format tinydns needs --domain (tinydns-data wants absolute names)");
    return CLI_EXIT.usage;
  }
  let gid: number | null = null;
  if (values.group !== undefined) {
    gid = groupId(values.group);
    if (gid === null) {
      fail(`Unknown group "${values.group}"`);
      return CLI_EXIT.usage;
    }
  }
  if (!values.force) {
    try {
      await Deno.lstat(path);
      fail(
        `Key file "${path}" exists: not replaced (use --force to replace it)`,
      );
      return CLI_EXIT.usage;
    } catch (e) {
      if (!(e instanceof Deno.errors.NotFound)) {
        fail(`Cannot check key file "${path}": ${describeError(e)}`);
        return CLI_EXIT.usage;
      }
    }
  }

  const made = await _newKey(type, bits);
  if (!made.ok) {
    fail(`Cannot make the key: ${made.error}`);
    return CLI_EXIT.usage;
  }
  const value = selectorRecordValue(scheme, made.value.key, values.testing);
  if (!value.ok) {
    fail(value.error);
    return CLI_EXIT.usage;
  }
  const record = renderRecord(
    { label: `${selector}._domainkey`, value: value.value },
    format,
    domain,
  );
  if (!record.ok) {
    fail(record.error);
    return CLI_EXIT.usage;
  }

  const written = await writeKeyFile(
    path,
    made.value.pem,
    gid,
    values.force,
  );
  if (written !== null) {
    fail(written);
    return CLI_EXIT.usage;
  }
  console.log(record.value);
  return CLI_EXIT.ok;
}

/** A new key of `type` (RSA of `bits`): its PEM file text and public half. */
async function _newKey(
  type: "rsa" | "ed25519",
  bits: number,
): Promise<Result<{ pem: string; key: PublishedKey }, string>> {
  if (type === "ed25519") {
    try {
      const made = await ed25519Generate();
      return ok({ pem: made.pem, key: { type, ed25519: made.publicKey } });
    } catch (e) {
      return err(`this runtime cannot make Ed25519 keys (${describeError(e)})`);
    }
  }
  const { privateKey } = generateKeyPairSync("rsa", {
    modulusLength: bits,
    publicExponent: 65537,
    publicKeyEncoding: { type: "spki", format: "pem" },
    privateKeyEncoding: { type: "pkcs1", format: "pem" },
  });
  const parsed = parsePrivateKeyPem(privateKey);
  if (!parsed.ok) return parsed;
  return ok({ pem: privateKey, key: { type, rsa: parsed.value.publicKey } });
}

/**
 * Writes `pem` to a new temporary file beside `path` (mode 0600, or 0640
 * with a group), syncs it, then links it into place (never replacing) or,
 * with `force`, renames it over. Returns null, or a one-line error.
 */
async function writeKeyFile(
  path: string,
  pem: string,
  gid: number | null,
  force: boolean,
): Promise<string | null> {
  const slash = path.lastIndexOf("/");
  const dir = slash >= 0 ? path.slice(0, slash + 1) : "";
  const random = crypto.getRandomValues(new Uint32Array(2)).join("");
  const temp = `${dir}.${path.slice(slash + 1)}.tmp-${random}`;
  let file: Deno.FsFile | null = null;
  try {
    file = await Deno.open(temp, { write: true, createNew: true, mode: 0o600 });
    await Deno.chmod(temp, 0o600);
    const bytes = new TextEncoder().encode(pem);
    let at = 0;
    while (at < bytes.length) at += await file.write(bytes.subarray(at));
    if (gid !== null) {
      await Deno.chown(temp, null, gid);
      await Deno.chmod(temp, 0o640);
    }
    await file.sync();
    file.close();
    file = null;
    if (force) {
      await Deno.rename(temp, path);
    } else {
      await Deno.link(temp, path);
      await Deno.remove(temp);
    }
    return null;
  } catch (e) {
    try {
      file?.close();
    } catch { /* already closed */ }
    await Deno.remove(temp).catch(() => {});
    if (e instanceof Deno.errors.AlreadyExists) {
      return `Key file "${path}" exists: not replaced (use --force to replace it)`;
    }
    return `Cannot write key file "${path}": ${describeError(e)}`;
  }
}
