/**
 * `CONTROLDIR/dkimkeys` (dkim.md 6.4): which key signs for a domain, and
 * which signing variables change with it. One entry per line,
 * `domain:keypath[:edits]`, edits `NAME=value,NAME=value`. Pure: the file's
 * text in, lines and problems out; reading the file is the caller's.
 *
 * @module
 */

import { isALabelName } from "../dkim/domain_name.ts";
import { printable } from "../printable.ts";

/** The largest `dkimkeys` file worth reading (1 MiB: some ten thousand lines). */
export const MAX_DKIMKEYS = 1024 * 1024;

/** The variables a `dkimkeys` line may set or unset (6.4). */
export const DKIMKEYS_EDITABLE: readonly string[] = [
  "DKIMSIGNOPTIONS",
  "DKIMSIGNEXTRA",
  "DKIMSIGNOPTIONSEXTRA",
  "DKIMIDENTITY",
  "DKIMEXPIRE",
];

/** One usable line. */
export interface DkimKeysLine {
  /** 1-based line number. */
  line: number;
  /** The domain, lowercased, one trailing dot dropped; or `*`. */
  domain: string;
  /** The key path as written (absolute, or relative to CONTROLDIR; `%` allowed). */
  keyPath: string;
  /** Editable variables only, in the order written; undefined = `NAME=` unsets it. */
  edits: Map<string, string | undefined>;
}

/** A line (or part of one) that does not do what it seems to. */
export interface DkimKeysProblem {
  /** 1-based line number. */
  line: number;
  /** `dkimkeys-syntax` (line skipped), `dkimkeys-pattern` (never matches), `dkimkeys-edit` (edit ignored). */
  code: "dkimkeys-syntax" | "dkimkeys-pattern" | "dkimkeys-edit";
  /** Plain words: what is wrong and what to do. */
  message: string;
}

/** A parsed `dkimkeys` file. */
export interface DkimKeys {
  /** The lines that take part in matching, in file order. */
  lines: DkimKeysLine[];
  /** Every problem found, in file order. */
  problems: DkimKeysProblem[];
}

const _q = (s: string) => `"${printable(s, 60)}"`;

/**
 * Parses the text of a `dkimkeys` file. Empty lines and lines starting with
 * `#` are skipped; trailing SP, HTAB and CR are removed. A line without `:`,
 * or with an empty domain or key path, is skipped with a `dkimkeys-syntax`
 * problem. A domain that is neither `*` nor DNS labels (a glob such as
 * `*.example.com`, a regular expression, a U-label) is kept out of matching
 * with a `dkimkeys-pattern` problem. An edit whose name is not in
 * {@link DKIMKEYS_EDITABLE}, or that has no `=`, is ignored with a
 * `dkimkeys-edit` problem. Never fails.
 */
export function parseDkimKeys(text: string): DkimKeys {
  const keys: DkimKeys = { lines: [], problems: [] };
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const number = i + 1;
    const line = lines[i].replace(/[ \t\r]+$/, "");
    if (line === "" || line.startsWith("#")) continue;
    const problem = (code: DkimKeysProblem["code"], message: string) =>
      keys.problems.push({ line: number, code, message });
    const colon = line.indexOf(":");
    if (colon < 0) {
      problem(
        "dkimkeys-syntax",
        `${
          _q(line)
        } has no ":", so it is skipped: write domain:keypath, such as example.com:domainkeys/example.com/default`,
      );
      continue;
    }
    const rawDomain = line.slice(0, colon);
    const rest = line.slice(colon + 1);
    const second = rest.indexOf(":");
    const keyPath = second < 0 ? rest : rest.slice(0, second);
    if (rawDomain === "" || keyPath === "") {
      problem(
        "dkimkeys-syntax",
        `the ${
          rawDomain === "" ? "domain" : "key path"
        } is empty, so the line is skipped: write domain:keypath`,
      );
      continue;
    }
    const domain = _domain(rawDomain);
    if (domain === null) {
      problem(
        "dkimkeys-pattern",
        `${
          _q(rawDomain)
        } is neither a domain name nor *, so this line never matches (patterns and regular expressions are not read): write one line per domain, in ASCII (xn--), or * for the rest`,
      );
      continue;
    }
    const edits = new Map<string, string | undefined>();
    if (second >= 0) _edits(rest.slice(second + 1), edits, problem);
    keys.lines.push({ line: number, domain, keyPath, edits });
  }
  return keys;
}

/** `*`, or the domain lowercased without one trailing dot when it is DNS labels; else null. */
function _domain(raw: string): string | null {
  if (raw === "*") return raw;
  let domain = raw.toLowerCase();
  if (domain.endsWith(".")) domain = domain.slice(0, -1);
  return isALabelName(domain) ? domain : null;
}

function _edits(
  text: string,
  edits: Map<string, string | undefined>,
  problem: (code: DkimKeysProblem["code"], message: string) => void,
): void {
  for (const edit of text.split(",")) {
    if (edit === "") continue;
    const eq = edit.indexOf("=");
    if (eq < 0) {
      problem(
        "dkimkeys-edit",
        `the edit ${
          _q(edit)
        } has no "=", so it is ignored: write NAME=value, or NAME= to unset`,
      );
      continue;
    }
    const name = edit.slice(0, eq);
    if (!DKIMKEYS_EDITABLE.includes(name)) {
      problem(
        "dkimkeys-edit",
        `${_q(name)} cannot be changed here, so the edit is ignored: only ${
          DKIMKEYS_EDITABLE.join(", ")
        } can`,
      );
      continue;
    }
    const value = edit.slice(eq + 1);
    edits.set(name, value === "" ? undefined : value);
  }
}

/**
 * The line for `domain` (compared lowercased, one trailing dot dropped):
 * the first line naming it exactly, else the first `*` line, else null.
 * A `*` line signs only for domains this host receives mail for
 * (`rcpthosts.ts`); that check is the caller's.
 */
export function matchDkimKeys(
  keys: DkimKeys,
  domain: string,
): DkimKeysLine | null {
  let wanted = domain.toLowerCase();
  if (wanted.endsWith(".")) wanted = wanted.slice(0, -1);
  let star: DkimKeysLine | null = null;
  for (const line of keys.lines) {
    if (line.domain === wanted && wanted !== "*") return line;
    if (line.domain === "*" && star === null) star = line;
  }
  return star;
}
