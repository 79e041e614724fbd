/**
 * `dk rules lint`, the queue-mode part: the mistakes in tcp.smtp's queue-mode
 * variables that silently break signing or verification (`domainkeys.md`
 * 2.1–2.4 and hazard 14), judged with queue mode's own rules (`plan.ts`). It
 * reads the file system only through the injected {@link LintHost}; `rules/`
 * gives it the parsed file and knows nothing of DomainKeys.
 *
 * @module
 */

import { isSelector, safeDomain, selectorOf } from "../dk/domain.ts";
import { isLetter } from "../status.ts";
import { type Account, permits } from "../../rules/accounts.ts";
import { quote, toText } from "../../rules/bytes.ts";
import type { Finding } from "../../rules/finding.ts";
import type { Rule, RuleFile } from "../../rules/parse.ts";
import { DEFAULT_KEY_TEMPLATE, QMAIL_HOME, QUEUE_NAMES } from "./plan.ts";
import { baseName, DKIM_VARIABLES, QMAIL_DKIM_NAME } from "./dkim_env.ts";

/** What lint needs to know about a path. */
export interface PathFacts {
  /** Regular file, directory, or anything else. */
  kind: "file" | "dir" | "other";
  /** Owner's user id. */
  uid: number;
  /** Group id. */
  gid: number;
  /** Permission bits. */
  mode: number;
}

/** The file system and accounts, as lint sees them (injected). */
export interface LintHost {
  /** Facts about `path` (following links), or null when it does not exist. */
  stat(path: string): PathFacts | null;
  /** Names in directory `dir`, or null when it cannot be listed. */
  list(dir: string): string[] | null;
  /** The user qmail-smtpd runs as, or null when unknown (check skipped). */
  user: Account | null;
  /** A group's name for messages. */
  groupName(gid: number): string;
}

/** The key qmail-dk signs with when RELAYCLIENT is set and DKSIGN is not (2.1). */
export const IMPLICIT_DKSIGN = `${QMAIL_HOME}/${DEFAULT_KEY_TEMPLATE}`;
/** Variables of later qmail-dk versions that neither qmail-dk 0.6 nor dk reads (2.4). */
const _IGNORED = ["DKSIGNOPTIONS", "DKEXCLUDEHEADERS"];
/** The names QMAILQUEUE may give dk's queue mode: qmail-dk, qmail-queue, qmail-dkim. */

/** Adds one finding about the rule (or file line) being linted. */
export type AddFinding = (code: string, message: string) => void;

/**
 * True when a rule's variables make it a DKIM rule (dkim.md 6.14): it sets
 * one of qmail-dkim's variables, or its QMAILQUEUE runs dk as `qmail-dkim`.
 */
export function isDkimRule(env: ReadonlyMap<string, string>): boolean {
  if (DKIM_VARIABLES.some((name) => env.has(name))) return true;
  const queue = env.get("QMAILQUEUE");
  return queue !== undefined && baseName(queue) === QMAIL_DKIM_NAME;
}

/**
 * The DomainKeys findings of every allow rule: DKSIGN key files (missing,
 * readable by everyone, unreadable by the qmail-smtpd user), DKSIGN and
 * RELAYCLIENT apart, DKVERIFY letters, QMAILQUEUE, ignored variables. A
 * DKIM rule ({@link isDkimRule}) is not asked for DKSIGN (dkim.md 6.14).
 * Never fails; file system trouble becomes findings.
 */
export function lintDomainKeys(file: RuleFile, host: LintHost): Finding[] {
  const findings: Finding[] = [];
  for (const rule of file.rules) {
    if (rule.action !== "allow") continue;
    const add = (code: string, message: string) =>
      findings.push({ line: rule.line, code, message });
    _ruleFindings(rule, host, add);
  }
  return findings;
}

function _ruleFindings(rule: Rule, host: LintHost, add: AddFinding): void {
  const env = new Map<string, string>(rule.env);
  for (const name of _IGNORED) {
    if (env.has(name)) {
      add(
        "ignored-variable",
        `${name} is read only by later qmail-dk versions; neither this qmail-dk nor dk uses it: remove it`,
      );
    }
  }
  const relay = env.has("RELAYCLIENT");
  const dksign = env.get("DKSIGN");
  const dkverify = env.get("DKVERIFY");
  if (dksign !== undefined && dksign !== "") {
    if (!relay) {
      add(
        "dksign-without-relay",
        `DKSIGN is set but RELAYCLIENT is not, so qmail-dk ${
          dkverify === undefined
            ? "ignores DKSIGN"
            : "verifies instead of signing"
        } for these clients: add RELAYCLIENT="" to this rule, or remove DKSIGN`,
      );
    }
    keyFileFindings(dksign, host, add, DKSIGN_NAMING);
    selectorFinding(dksign, add, DKSIGN_NAMING);
  }
  const dkim = isDkimRule(env);
  if (relay && dksign === undefined && !dkim) {
    if (dkverify !== undefined) {
      add(
        "relay-without-dksign",
        `RELAYCLIENT is set without DKSIGN while DKVERIFY is set, so mail from these relay clients is verified, not signed: add DKSIGN="${IMPLICIT_DKSIGN}"`,
      );
    } else {
      add(
        "relay-without-dksign",
        `RELAYCLIENT is set without DKSIGN, so qmail-dk signs with the implicit ${IMPLICIT_DKSIGN}: write DKSIGN="${IMPLICIT_DKSIGN}" on this rule to say which key signs`,
      );
      keyFileFindings(IMPLICIT_DKSIGN, host, add, DKSIGN_NAMING);
    }
  }
  if (dkverify !== undefined) _verifyFindings(dkverify, add);
  const queue = env.get("QMAILQUEUE");
  if (queue !== undefined) {
    const base = baseName(queue);
    if (base === "dk") {
      add(
        "qmailqueue",
        `QMAILQUEUE runs ${
          quote(queue)
        }, which is dk without its queue command and will refuse every message: point it at a link named qmail-dk, such as /var/qmail/bin/qmail-dk`,
      );
    } else if (QUEUE_NAMES.includes(base)) {
      // dk's queue mode
    } else if (dksign !== undefined || dkverify !== undefined) {
      add(
        "qmailqueue",
        `QMAILQUEUE runs ${
          quote(queue)
        }, not qmail-dk, so DKSIGN and DKVERIFY take effect only if that program hands each message to qmail-dk: set QMAILQUEUE="/var/qmail/bin/qmail-dk" (and put the other program in DKQUEUE)`,
      );
    } else if (dkim) {
      add(
        "qmailqueue",
        `QMAILQUEUE runs ${
          quote(queue)
        }, not qmail-dkim, so the DKIM variables take effect only if that program hands each message to qmail-dkim: set QMAILQUEUE="/var/qmail/bin/qmail-dkim" (and put the other program in DKIMQUEUE)`,
      );
    }
  }
}

function _verifyFindings(dkverify: string, add: AddFinding): void {
  const unknown = [...new Set(dkverify)].filter((c) =>
    !isLetter(c.toUpperCase())
  );
  if (unknown.length > 0) {
    add(
      "dkverify-letters",
      `DKVERIFY ${quote(dkverify)} has ${
        quote(unknown.join(""))
      }, which qmail-dk ignores: use only the status letters A-L (uppercase rejects, lowercase defers), such as "DEGIJKfh"`,
    );
  }
  if (dkverify.includes("A") || dkverify.includes("a")) {
    add(
      "dkverify-good",
      `DKVERIFY ${quote(dkverify)} has A, which ${
        dkverify.includes("A") ? "rejects" : "defers"
      } every message with a good signature: remove the A`,
    );
  }
}

function _mode(mode: number): string {
  return "0" + (mode & 0o7777).toString(8).padStart(3, "0");
}

/** How the key-file findings name a key path and what its `%` means. */
export interface KeyNaming {
  /** The key file in messages: "the DKSIGN key file". */
  keyFile: string;
  /** The part before `%` in messages: "DKSIGN before the %". */
  beforePercent: string;
  /** Where the selector comes from: "the last part of DKSIGN". */
  selectorSource: string;
  /** The code of a key that is missing (`dksign-missing`, `dkimsign-missing`). */
  missingCode: string;
  /** True: every `%` is the domain (qmail-dkim); false: the first (qmail-dk). */
  everyPercent: boolean;
  /** The command that makes a key, before the path (`dk keygen`). */
  keygen: string;
  /** The domain `%` stands for, in plain words ("the sending domain"). */
  domainWords: string;
  /** A selector to suggest ("private"). */
  exampleSelector: string;
  /** Whose mail the key signs, after "every message from": "these clients". */
  from: string;
}

/** DKSIGN's naming (domainkeys.md 2.2). */
export const DKSIGN_NAMING: KeyNaming = {
  keyFile: "the DKSIGN key file",
  beforePercent: "DKSIGN before the %",
  selectorSource: "the last part of DKSIGN",
  missingCode: "dksign-missing",
  everyPercent: false,
  keygen: "dk keygen",
  domainWords: "the sending domain",
  exampleSelector: "private",
  from: "these clients",
};

/**
 * Reports `selector-name` when the selector a key path gives is not DNS
 * labels: the basename as written (qmail-dk), or after every `%` became a
 * domain (qmail-dkim, where a final `%` makes the domain the selector).
 */
export function selectorFinding(
  keyPath: string,
  add: AddFinding,
  naming: KeyNaming,
): void {
  const written = selectorOf(keyPath);
  const selector = naming.everyPercent
    ? written.replaceAll("%", "example.com")
    : written;
  if (isSelector(selector)) return;
  add(
    "selector-name",
    `the selector (${naming.selectorSource}, ${
      quote(written)
    }) is not a DNS name, so signing fails: name the key file like a DNS label, such as ${naming.exampleSelector}`,
  );
}

/** A key file found by {@link keyFileFindings}. */
export interface FoundKey {
  /** The file's path, `%` replaced. */
  path: string;
  /** The domain that replaced `%`, or null when the path has none. */
  domain: string | null;
}

/**
 * Checks the key file(s) a key path names, as queue mode will use them:
 * without `%`, the file must exist and be a regular file; with `%`, the
 * directory before the first `%` must exist and, when that `%` is a whole
 * path component, some name in it that can be a domain must give a key
 * file. Each key found is checked for permissions (readable by everyone,
 * not readable by the qmail-smtpd user). Returns the regular files found,
 * for further checks. Never fails; file system trouble becomes findings.
 */
export function keyFileFindings(
  keyPath: string,
  host: LintHost,
  add: AddFinding,
  naming: KeyNaming,
): FoundKey[] {
  const shown = (p: string) => quote(toText(p), 200);
  const percent = keyPath.indexOf("%");
  if (percent < 0) {
    const facts = host.stat(keyPath);
    if (facts === null) {
      add(
        naming.missingCode,
        `${naming.keyFile} ${
          shown(keyPath)
        } does not exist, so every message from ${naming.from} fails temporarily: create it (${naming.keygen} ${
          toText(keyPath)
        }) or fix the path`,
      );
    } else if (facts.kind !== "file") {
      add(
        naming.missingCode,
        `${naming.keyFile} ${
          shown(keyPath)
        } is not a regular file: fix the path`,
      );
    } else {
      _permissionFindings(keyPath, facts, host, add);
      return [{ path: keyPath, domain: null }];
    }
    return [];
  }
  const slash = keyPath.lastIndexOf("/", percent);
  const dir = slash <= 0 ? "/" : keyPath.slice(0, slash);
  const facts = host.stat(dir);
  if (facts === null || facts.kind !== "dir") {
    add(
      naming.missingCode,
      `the key directory ${shown(dir)} (${naming.beforePercent}) ${
        facts === null ? "does not exist" : "is not a directory"
      }, so no message is signed: create it and put each domain's key at ${
        toText(keyPath)
      }, with ${naming.domainWords} for %`,
    );
    return [];
  }
  const wholePart = slash === percent - 1 &&
    (percent + 1 === keyPath.length || keyPath[percent + 1] === "/");
  if (!wholePart) return [];
  const found: FoundKey[] = [];
  for (const name of (host.list(dir) ?? []).sort()) {
    // Only a validated domain is ever put in place of %.
    if (safeDomain(name) !== name) continue;
    const path = naming.everyPercent
      ? keyPath.replaceAll("%", name)
      : keyPath.slice(0, percent) + name + keyPath.slice(percent + 1);
    const key = host.stat(path);
    if (key === null || key.kind !== "file") continue;
    found.push({ path, domain: name });
    _permissionFindings(path, key, host, add);
  }
  if (found.length === 0) {
    add(
      naming.missingCode,
      `no domain has a key file ${
        shown(keyPath)
      } (looked in every directory of ${
        shown(dir)
      }), so mail from ${naming.from} goes out unsigned: create one per domain with ${naming.keygen}`,
    );
  }
  return found;
}

function _permissionFindings(
  path: string,
  facts: PathFacts,
  host: LintHost,
  add: AddFinding,
): void {
  const shown = quote(toText(path), 200);
  if ((facts.mode & 0o004) !== 0) {
    add(
      "key-world-readable",
      `the key file ${shown} (mode ${
        _mode(facts.mode)
      }) can be read by every user on this host: chmod 640 it and give it the group qmail-smtpd runs as`,
    );
  }
  const user = host.user;
  if (user === null) return;
  for (
    let end = path.indexOf("/", 1);
    end > 0;
    end = path.indexOf("/", end + 1)
  ) {
    const dir = path.slice(0, end);
    const d = host.stat(dir);
    if (d !== null && d.kind === "dir" && !permits(user, d, 1)) {
      add(
        "key-unreadable",
        `${user.name}, the user qmail-smtpd runs as, cannot enter ${
          quote(toText(dir), 200)
        } (mode ${
          _mode(d.mode)
        }), so it cannot read the key ${shown}: chmod o+x or g+x that directory`,
      );
      return;
    }
  }
  if (!permits(user, facts, 4)) {
    add(
      "key-unreadable",
      `the key file ${shown} (mode ${_mode(facts.mode)}, group ${
        host.groupName(facts.gid)
      }) cannot be read by ${user.name}, the user qmail-smtpd runs as, so signing fails: chgrp ${
        host.groupName(user.gids[0])
      } it and chmod 640 it`,
    );
  }
}
