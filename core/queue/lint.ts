/**
 * `dk rules lint`, the queue-mode part: the mistakes in tcp.smtp's queue-mode
 * variables that silently break signing or verification (`domainkeys.md`
 * 2.1–2.4 and hazard 14), judged with queue mode's own rules (`plan.ts`). It
 * reads the file system only through the injected {@link LintHost}; `rules/`
 * gives it the parsed file and knows nothing of DomainKeys.
 *
 * @module
 */

import { isSelector, selectorOf } from "../dk/domain.ts";
import { isLetter } from "../status.ts";
import { type Account, permits } from "../../rules/accounts.ts";
import { quote, toText } from "../../rules/bytes.ts";
import type { Finding } from "../../rules/finding.ts";
import type { Rule, RuleFile } from "../../rules/parse.ts";
import { DEFAULT_KEY_TEMPLATE, QMAIL_HOME, QUEUE_NAMES } from "./plan.ts";

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
/**
 * The DomainKeys findings of every allow rule: DKSIGN key files (missing,
 * readable by everyone, unreadable by the qmail-smtpd user), DKSIGN and
 * RELAYCLIENT apart, DKVERIFY letters, QMAILQUEUE, ignored variables.
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

function _ruleFindings(
  rule: Rule,
  host: LintHost,
  add: (code: string, message: string) => void,
): void {
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
    _keyFindings(dksign, host, add);
    const selector = selectorOf(dksign);
    if (!isSelector(selector)) {
      add(
        "selector-name",
        `the selector (the last part of DKSIGN, ${
          quote(selector)
        }) is not a DNS name, so signing fails: name the key file like a DNS label, such as private`,
      );
    }
  }
  if (relay && dksign === undefined) {
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
      _keyFindings(IMPLICIT_DKSIGN, host, add);
    }
  }
  if (dkverify !== undefined) _verifyFindings(dkverify, add);
  const queue = env.get("QMAILQUEUE");
  if (queue !== undefined) {
    const base = queue.slice(queue.lastIndexOf("/") + 1);
    if (base === "dk") {
      add(
        "qmailqueue",
        `QMAILQUEUE runs ${
          quote(queue)
        }, which is dk without its queue command and will refuse every message: point it at a link named qmail-dk, such as /var/qmail/bin/qmail-dk`,
      );
    } else if (
      !QUEUE_NAMES.includes(base) &&
      (dksign !== undefined || dkverify !== undefined)
    ) {
      add(
        "qmailqueue",
        `QMAILQUEUE runs ${
          quote(queue)
        }, not qmail-dk, so DKSIGN and DKVERIFY take effect only if that program hands each message to qmail-dk: set QMAILQUEUE="/var/qmail/bin/qmail-dk" (and put the other program in DKQUEUE)`,
      );
    }
  }
}

function _verifyFindings(
  dkverify: string,
  add: (code: string, message: string) => void,
): void {
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

/** Checks the key file(s) a DKSIGN value names. */
function _keyFindings(
  dksign: string,
  host: LintHost,
  add: (code: string, message: string) => void,
): void {
  const shown = (p: string) => quote(toText(p), 200);
  const percent = dksign.indexOf("%");
  if (percent < 0) {
    const facts = host.stat(dksign);
    if (facts === null) {
      add(
        "dksign-missing",
        `the DKSIGN key file ${
          shown(dksign)
        } does not exist, so every message from these clients fails temporarily: create it (dk keygen ${
          toText(dksign)
        }) or fix the path`,
      );
    } else if (facts.kind !== "file") {
      add(
        "dksign-missing",
        `the DKSIGN key file ${
          shown(dksign)
        } is not a regular file: fix the path`,
      );
    } else {
      _permissionFindings(dksign, facts, host, add);
    }
    return;
  }
  const slash = dksign.lastIndexOf("/", percent);
  const dir = slash <= 0 ? "/" : dksign.slice(0, slash);
  const facts = host.stat(dir);
  if (facts === null || facts.kind !== "dir") {
    add(
      "dksign-missing",
      `the key directory ${shown(dir)} (DKSIGN before the %) ${
        facts === null ? "does not exist" : "is not a directory"
      }, so no message is signed: create it and put each domain's key at ${
        toText(dksign)
      }, with the sending domain for %`,
    );
    return;
  }
  const wholePart = slash === percent - 1 &&
    (percent + 1 === dksign.length || dksign[percent + 1] === "/");
  if (!wholePart) return;
  const found: string[] = [];
  for (const domain of (host.list(dir) ?? []).sort()) {
    const path = dksign.slice(0, percent) + domain + dksign.slice(percent + 1);
    const key = host.stat(path);
    if (key === null || key.kind !== "file") continue;
    found.push(path);
    _permissionFindings(path, key, host, add);
  }
  if (found.length === 0) {
    add(
      "dksign-missing",
      `no domain has a key file ${
        shown(dksign)
      } (looked in every directory of ${
        shown(dir)
      }), so mail from these clients goes out unsigned: create one per domain with dk keygen`,
    );
  }
}

function _permissionFindings(
  path: string,
  facts: PathFacts,
  host: LintHost,
  add: (code: string, message: string) => void,
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
