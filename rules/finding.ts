/**
 * A lint finding: one mistake on one line of a tcprules file (or of a file
 * it leads to, such as qmail-dkim's `dkimkeys`), in plain words that say
 * what to do.
 *
 * @module
 */

/** One mistake found by `dk rules lint`. */
export interface Finding {
  /** 1-based line number the finding is about. */
  line: number;
  /** Stable short name of the kind of mistake (for `--json` and tests). */
  code: string;
  /** Plain words: what is wrong and what to do (no line number). */
  message: string;
  /**
   * The file the finding is about when it is not the rule file (such as
   * `CONTROLDIR/dkimkeys`); its `line` is then a line of that file, or 0
   * for the whole file.
   */
  file?: string;
}

/**
 * Sorts findings: the rule file's first, then each other file's (in the
 * order the files first appear), each by line, keeping the order of
 * findings on one line.
 */
export function byLine(findings: Finding[]): Finding[] {
  const files = [...new Set(findings.map((f) => f.file ?? ""))];
  files.sort((a, b) => (a === "" ? 0 : 1) - (b === "" ? 0 : 1));
  const rank = new Map(files.map((file, i) => [file, i]));
  const rankOf = (f: Finding) => rank.get(f.file ?? "")!;
  return findings
    .map((f, i) => ({ f, i }))
    .sort((a, b) =>
      rankOf(a.f) - rankOf(b.f) || a.f.line - b.f.line || a.i - b.i
    )
    .map(({ f }) => f);
}
