/**
 * `dk rules lint`, the DKIM part (dkim.md 6.14): the mistakes in tcp.smtp's
 * qmail-dkim variables, judged with queue mode's rules (6.1–6.7, 6.11), and
 * `CONTROLDIR/dkimkeys` when some rule may read it (`lint_dkimkeys.ts`).
 * Key paths are checked as `lint.ts` checks DKSIGN's (`lint_dkim_key.ts`),
 * options by `lint_dkim_options.ts`. Reads only through the injected
 * {@link DkimLintHost}; `rules/` gives it the parsed file.
 *
 * @module
 */

import { quote } from "../../rules/bytes.ts";
import type { Finding } from "../../rules/finding.ts";
import type { Rule, RuleFile } from "../../rules/parse.ts";
import {
  baseName,
  DKIM_IGNORED,
  DKIM_IGNORED_GENERIC,
  IMPLICIT_DKIMKEY,
} from "./dkim_env.ts";
import { type AddFinding, isDkimRule } from "./lint.ts";
import {
  dkimKeyFindings,
  type DkimLintHost,
  dkimNaming,
  type LintedKey,
  sameTypeFinding,
} from "./lint_dkim_key.ts";
import {
  excludeFinding,
  expireFinding,
  identityFinding,
  signOptionFindings,
} from "./lint_dkim_options.ts";
import { lintDkimKeysFile } from "./lint_dkimkeys.ts";
import { dkimActive } from "./dkim_plan.ts";

export type { DkimLintHost } from "./lint_dkim_key.ts";

/**
 * True when some allow rule may make queue mode read `dkimkeys`: a DKIM
 * rule (`isDkimRule`) without `NODKIMKEYS`.
 */
export function readsDkimKeys(file: RuleFile): boolean {
  return file.rules.some((rule) => {
    if (rule.action !== "allow") return false;
    const env = new Map<string, string>(rule.env);
    return isDkimRule(env) && !env.has("NODKIMKEYS");
  });
}

/**
 * The DKIM findings of every allow rule, then (when {@link readsDkimKeys})
 * those of `controlDir/dkimkeys`, which carry `file`. `controlDir` is where
 * relative key paths and `dkimkeys` are (lint's `--control-dir`). Never
 * fails; file system trouble becomes findings.
 */
export function lintDkim(
  file: RuleFile,
  host: DkimLintHost,
  controlDir: string,
): Finding[] {
  const keysFile = readsDkimKeys(file)
    ? lintDkimKeysFile(host, controlDir)
    : { findings: [], keys: null };
  const keyLines = keysFile.keys?.lines.length ?? 0;
  const findings: Finding[] = [];
  for (const rule of file.rules) {
    if (rule.action !== "allow") continue;
    const add: AddFinding = (code, message) =>
      findings.push({ line: rule.line, code, message });
    _ruleFindings(rule, { host, controlDir, keyLines }, add);
  }
  return [...findings, ...keysFile.findings];
}

interface _Context {
  host: DkimLintHost;
  controlDir: string;
  /** Usable `dkimkeys` lines (a matching one replaces the rule's key). */
  keyLines: number;
}

function _ruleFindings(rule: Rule, ctx: _Context, add: AddFinding): void {
  const env = new Map<string, string>(rule.env);
  const dkim = isDkimRule(env);
  for (const [name, why] of Object.entries(DKIM_IGNORED)) {
    if (!env.has(name) || (!dkim && DKIM_IGNORED_GENERIC.includes(name))) {
      continue;
    }
    add(
      "ignored-variable",
      `${name} is read by qmail-dkim, not by dk: ${why}: remove it`,
    );
  }
  _signFindings(env, ctx, add);
  const dkimverify = env.get("DKIMVERIFY");
  if (dkimverify !== undefined) {
    _verifyFindings(dkimverify, env.get("DKVERIFY"), add);
  }
  _environmentFindings(env, add);
}

/** DKIMSIGN without relay, the keys, their options. */
function _signFindings(
  env: Map<string, string>,
  ctx: _Context,
  add: AddFinding,
): void {
  const relay = env.has("RELAYCLIENT") || env.has("AUTHINFO");
  const dkimsign = env.get("DKIMSIGN");
  const dkimkey = env.get("DKIMKEY");
  const dkimverify = env.get("DKIMVERIFY");
  const key = (path: string, source: string) =>
    dkimKeyFindings(path, ctx.controlDir, ctx.host, add, dkimNaming(source));
  let main: LintedKey[] = [];
  let mainSource = "DKIMSIGN";
  if (dkimsign !== undefined && dkimsign !== "") {
    if (!relay) {
      add(
        "dkimsign-without-relay",
        `DKIMSIGN is set but neither RELAYCLIENT nor AUTHINFO is, so dk ${
          dkimverify === undefined ? "annotates" : "verifies"
        } mail from these clients instead of signing it (only clients that authenticate get signed): add RELAYCLIENT="" to this rule, or remove DKIMSIGN`,
      );
    }
    main = key(dkimsign, "DKIMSIGN");
  } else if (
    dkimsign === undefined && dkimkey !== undefined && dkimkey !== ""
  ) {
    mainSource = "DKIMKEY";
    main = key(dkimkey, "DKIMKEY");
  } else if (
    dkimsign === undefined && dkimverify === undefined && relay &&
    _active(env) && (ctx.keyLines === 0 || env.has("NODKIMKEYS"))
  ) {
    mainSource = "the default DKIM key path";
    main = key(IMPLICIT_DKIMKEY, mainSource);
  }
  const extraPath = env.get("DKIMSIGNEXTRA");
  const extra = extraPath === undefined || extraPath === ""
    ? []
    : key(extraPath, "DKIMSIGNEXTRA");
  sameTypeFinding(mainSource, main, extra, add);
  const options = env.get("DKIMSIGNOPTIONS");
  if (options !== undefined) {
    signOptionFindings("DKIMSIGNOPTIONS", options, main, add);
  }
  const extraOptions = env.get("DKIMSIGNOPTIONSEXTRA");
  if (extraOptions !== undefined) {
    signOptionFindings("DKIMSIGNOPTIONSEXTRA", extraOptions, extra, add);
  }
  const identity = env.get("DKIMIDENTITY");
  if (identity !== undefined) identityFinding(identity, add);
  const expire = env.get("DKIMEXPIRE");
  if (expire !== undefined) expireFinding(expire, add);
  const exclude = env.get("EXCLUDE_DKIMSIGN");
  if (exclude !== undefined) excludeFinding(exclude, add);
}

/**
 * DKIM is active on the rule (6.1), as queue mode decides it: an activating
 * variable, or QMAILQUEUE runs dk under the name qmail-dkim.
 */
function _active(env: Map<string, string>): boolean {
  return dkimActive((name) => env.get(name), env.get("QMAILQUEUE") ?? "");
}

/** DKIMVERIFY's letters (6.7, hazard 16). */
function _verifyFindings(
  dkimverify: string,
  dkverify: string | undefined,
  add: AddFinding,
): void {
  const shown = quote(dkimverify);
  const unknown = [...new Set(dkimverify)].filter((c) => !/^[A-Ya-y]$/.test(c));
  if (unknown.length > 0) {
    add(
      "dkimverify-letters",
      `DKIMVERIFY ${shown} has ${
        quote(unknown.join(""))
      }, which dk ignores: use only the DKIM letters A-Y (uppercase rejects, lowercase defers)`,
    );
  }
  if (dkimverify.includes("P")) {
    add(
      "dkimverify-never",
      `DKIMVERIFY ${shown} has P, but dk never refuses mail for a temporary DNS failure (P counts as p, and the mail waits): write p`,
    );
  }
  if (/[Jj]/.test(dkimverify)) {
    add(
      "dkimverify-never",
      `DKIMVERIFY ${shown} has J, but a signature by a testing key (t=y) never rejects mail, as RFC 6376 says: remove the J`,
    );
  }
  if (/[Aa]/.test(dkimverify)) {
    add(
      "dkimverify-good",
      `DKIMVERIFY ${shown} has A, which ${
        dkimverify.includes("A") ? "rejects" : "defers"
      } every message with a good DKIM signature: remove the A`,
    );
  }
  if (dkverify !== undefined && dkverify !== "" && dkverify === dkimverify) {
    add(
      "dkimverify-copied",
      `DKIMVERIFY ${shown} is DKVERIFY's value, but DKIM letters mean other things (D is an rsa-sha1 signature, E a signature over part of the body, K an expired one): choose the DKIM letters to refuse from dk's DKIM letter table`,
    );
  }
}

/** DK_DKIM_SHA1, SELECTOR_DATA, and the queue programs (6.3, 6.11). */
function _environmentFindings(env: Map<string, string>, add: AddFinding): void {
  const sha1 = env.get("DK_DKIM_SHA1");
  if (sha1 !== undefined) {
    add(
      "dkim-sha1",
      sha1 === "accept"
        ? `DK_DKIM_SHA1="accept" lets rsa-sha1 signatures pass, which RFC 8301 forbids (SHA-1 collisions are practical): remove it`
        : `DK_DKIM_SHA1 ${
          quote(sha1)
        } means nothing to queue mode (only "accept" does, and it weakens verification): remove it`,
    );
  }
  if (env.has("SELECTOR_DATA")) {
    add(
      "selector-data",
      `SELECTOR_DATA is set, so every key record comes from its value instead of DNS (it is meant for tests): remove it`,
    );
  }
  const dkqueue = env.get("DKQUEUE");
  const dkimqueue = env.get("DKIMQUEUE");
  if (dkqueue && dkimqueue && dkqueue !== dkimqueue) {
    add(
      "queue-mismatch",
      `DKQUEUE ${quote(dkqueue)} and DKIMQUEUE ${
        quote(dkimqueue)
      } differ, but dk hands each message on once, to DKIMQUEUE (a DKQUEUE that runs qmail-dkim would verify twice): set both to the same program, or remove DKQUEUE`,
    );
  }
  if (dkimqueue && baseName(dkimqueue) === "cat") {
    add(
      "queue-filter",
      `DKIMQUEUE ${
        quote(dkimqueue)
      } runs cat, as under spawn-filter, but dk is a qmail-queue front end whose fd 1 is the envelope, so filter use is not supported: point DKIMQUEUE at qmail-queue, or remove it`,
    );
  }
}
