/**
 * `dk rules lint`, `CONTROLDIR/dkimkeys` (dkim.md 6.4, 6.14): the file's own
 * problems (`dkimkeys.ts`), each line's key path and edits checked as a
 * rule's DKIM variables are, a `*` line that never signs because the host
 * has no recipient list, and a file the qmail-smtpd user cannot read. Every
 * finding carries the file's path. Reads only through the injected
 * {@link DkimLintHost}.
 *
 * @module
 */

import { permits } from "../../rules/accounts.ts";
import { quote, toText } from "../../rules/bytes.ts";
import type { Finding } from "../../rules/finding.ts";
import { inControlDir } from "./dkim_env.ts";
import {
  type DkimKeys,
  type DkimKeysLine,
  MAX_DKIMKEYS,
  parseDkimKeys,
} from "./dkimkeys.ts";
import type { AddFinding, KeyNaming } from "./lint.ts";
import {
  dkimKeyFindings,
  type DkimLintHost,
  dkimNaming,
  sameTypeFinding,
} from "./lint_dkim_key.ts";
import {
  expireFinding,
  identityFinding,
  signOptionFindings,
} from "./lint_dkim_options.ts";

/** A linted `dkimkeys` file: the findings and, when it was read, its lines. */
export interface DkimKeysLint {
  /** Findings, each with `file` set to the file's path. */
  findings: Finding[];
  /** The parsed file, or null when it does not exist or cannot be read. */
  keys: DkimKeys | null;
}

/** How messages name a path of a `dkimkeys` line (`source`: "the key path" or a variable). */
function _lineNaming(source: string, keyFile: string): KeyNaming {
  return {
    ...dkimNaming(source),
    keyFile,
    from: "this line's domain",
  };
}

/**
 * Lints `controlDir/dkimkeys`. A file that does not exist gives nothing; one
 * lint cannot read, or the qmail-smtpd user could not, gives
 * `dkimkeys-unreadable` (line 0: queue mode would fail temporarily on every
 * message it signs). Otherwise: `dkimkeys-syntax`, `dkimkeys-pattern`,
 * `dkimkeys-edit`; each line's key path and its `DKIMSIGNEXTRA` edit as
 * {@link dkimKeyFindings} checks them; its option, identity and expiry
 * edits; two keys of one type; and `dkimkeys-star-never` for the first `*`
 * line when `controlDir` has neither `rcpthosts` nor `morercpthosts.cdb`.
 * Never fails.
 */
export function lintDkimKeysFile(
  host: DkimLintHost,
  controlDir: string,
): DkimKeysLint {
  const file = inControlDir(controlDir, "dkimkeys");
  const findings: Finding[] = [];
  const at = (line: number): AddFinding => (code, message) =>
    findings.push({ file, line, code, message });
  const facts = host.stat(file);
  if (facts === null) return { findings, keys: null };
  const read = host.readFile(file, MAX_DKIMKEYS);
  if (!read.ok) {
    at(0)(
      "dkimkeys-unreadable",
      `cannot be read (${read.error.why}), so queue mode fails temporarily on every message it would sign: fix it or remove it`,
    );
    return { findings, keys: null };
  }
  const user = host.user;
  if (user !== null && !permits(user, facts, 4)) {
    at(0)(
      "dkimkeys-unreadable",
      `${user.name}, the user qmail-smtpd runs as, cannot read it, so queue mode fails temporarily on every message it would sign: chmod 644 it`,
    );
  }
  const keys = parseDkimKeys(new TextDecoder().decode(read.value.bytes));
  for (const problem of keys.problems) {
    at(problem.line)(problem.code, problem.message);
  }
  let starChecked = false;
  for (const line of keys.lines) {
    const add = at(line.line);
    _lineFindings(line, controlDir, host, add);
    if (line.domain === "*" && !starChecked) {
      starChecked = true;
      const lists = ["rcpthosts", "morercpthosts.cdb"].some((name) =>
        host.stat(inControlDir(controlDir, name)) !== null
      );
      if (!lists) {
        add(
          "dkimkeys-star-never",
          `this * line never signs: dk signs with it only for domains this host receives mail for, and ${
            quote(toText(controlDir), 200)
          } has neither rcpthosts nor morercpthosts.cdb: list those domains in rcpthosts`,
        );
      }
    }
  }
  return { findings, keys };
}

function _lineFindings(
  line: DkimKeysLine,
  controlDir: string,
  host: DkimLintHost,
  add: AddFinding,
): void {
  const main = dkimKeyFindings(
    line.keyPath,
    controlDir,
    host,
    add,
    _lineNaming("the key path", "the key file"),
  );
  const extraPath = line.edits.get("DKIMSIGNEXTRA");
  const extra = extraPath === undefined ? [] : dkimKeyFindings(
    extraPath,
    controlDir,
    host,
    add,
    _lineNaming("DKIMSIGNEXTRA", "the DKIMSIGNEXTRA key file"),
  );
  sameTypeFinding("the key path", main, extra, add);
  const options = line.edits.get("DKIMSIGNOPTIONS");
  if (options !== undefined) {
    signOptionFindings("DKIMSIGNOPTIONS", options, main, add);
  }
  const extraOptions = line.edits.get("DKIMSIGNOPTIONSEXTRA");
  if (extraOptions !== undefined) {
    signOptionFindings("DKIMSIGNOPTIONSEXTRA", extraOptions, extra, add);
  }
  const identity = line.edits.get("DKIMIDENTITY");
  if (identity !== undefined) identityFinding(identity, add);
  const expire = line.edits.get("DKIMEXPIRE");
  if (expire !== undefined) expireFinding(expire, add);
}
