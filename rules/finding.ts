/**
 * A lint finding: one mistake on one line of a tcprules file, in plain
 * words that say what to do.
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
}

/** Sorts findings by line, keeping the order of findings on one line. */
export function byLine(findings: Finding[]): Finding[] {
  return findings
    .map((f, i) => ({ f, i }))
    .sort((a, b) => a.f.line - b.f.line || a.i - b.i)
    .map(({ f }) => f);
}
