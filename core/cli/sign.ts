/**
 * `dk sign`: the message on stdin, the same message with a
 * `DomainKey-Signature:` header on top on stdout (cli.md).
 *
 * Exit codes: 0 signed; 1 the message cannot be signed (no usable
 * From/Sender, already signed, domain mismatch) — the message is then
 * written unchanged only when it was already signed; 2 usage or an unusable
 * key file.
 *
 * @module
 */

import { fail, parseFlags, readAll, writeStdout } from "./io.ts";
import { loadPrivateKey } from "./key_file.ts";
import { DkSigner } from "../dk/sign.ts";
import {
  domainMatches,
  isSelector,
  safeDomain,
  selectorOf,
} from "../dk/domain.ts";
import { CLI_EXIT } from "../status.ts";

/** Runs `dk sign`; resolves to the exit code. */
export async function run(args: string[]): Promise<number> {
  const flags = parseFlags({
    args,
    options: {
      key: { type: "string" },
      selector: { type: "string" },
      domain: { type: "string" },
      canon: { type: "string", default: "nofws" },
      headers: { type: "string" },
    },
    strict: true,
    allowPositionals: false,
  }, "dk sign --key FILE ...");
  if (!flags) return CLI_EXIT.usage;
  const { values } = flags;
  if (!values.key) {
    fail("Missing --key FILE (usage: dk sign --key FILE [--selector S] ...)");
    return CLI_EXIT.usage;
  }
  const canon = values.canon;
  if (canon !== "nofws" && canon !== "simple") {
    fail(`Unknown canonicalization "${canon}": use nofws or simple`);
    return CLI_EXIT.usage;
  }
  const selector = values.selector ?? selectorOf(values.key);
  if (!isSelector(selector)) {
    fail(
      `Selector "${selector}" is not a DNS label: name the key file after the selector or give --selector`,
    );
    return CLI_EXIT.usage;
  }
  const headers = values.headers?.split(":").map((h) => h.trim().toLowerCase())
    .filter((h) => h !== "");
  if (headers && headers.some((h) => !/^[\x21-\x39\x3b-\x7e]+$/.test(h))) {
    fail(`Bad header list "${values.headers}": names separated by ":"`);
    return CLI_EXIT.usage;
  }
  let wantDomain: string | undefined;
  if (values.domain !== undefined) {
    const d = safeDomain(values.domain);
    if (d === null) {
      fail(`Domain "${values.domain}" is not a valid domain name`);
      return CLI_EXIT.usage;
    }
    wantDomain = d;
  }
  const loaded = loadPrivateKey(values.key);
  if (!loaded.ok) {
    fail(loaded.error);
    return CLI_EXIT.usage;
  }
  if (loaded.value.warning) fail(`warning: ${loaded.value.warning}`);

  const message = await readAll(Deno.stdin.readable);
  const signer = new DkSigner({ canon, headers });
  signer.update(message);
  const plan = signer.end();
  if (!plan.ok) {
    fail(`Cannot sign the message: ${plan.error.reason}`);
    return CLI_EXIT.notGood;
  }
  if (plan.value.alreadySigned) {
    fail(
      "Not signed: the message already has a DomainKey-Signature and no Sender: above it",
    );
    await writeStdout(message);
    return CLI_EXIT.notGood;
  }
  const sending = safeDomain(plan.value.domain);
  if (sending === null) {
    fail(
      `Cannot sign the message: sending domain "${plan.value.domain}" is not a valid domain name`,
    );
    return CLI_EXIT.notGood;
  }
  const domain = wantDomain ?? sending;
  if (!domainMatches(sending, domain)) {
    fail(
      `Cannot sign for "${domain}": the sending domain is "${sending}" (d= must be it or a parent)`,
    );
    return CLI_EXIT.notGood;
  }
  const header = await signer.sign(
    loaded.value.key,
    selector,
    domain,
    plan.value.crlf ? "\r\n" : "\n",
  );
  if (!header.ok) {
    fail(`Cannot sign the message: ${header.error.reason}`);
    return CLI_EXIT.usage;
  }
  await writeStdout(new TextEncoder().encode(header.value));
  await writeStdout(message);
  return CLI_EXIT.ok;
}
