/**
 * Rule objects for reading and reasoning (check, lint): each rule of a
 * tcprules file with its line number, address, action, variables, the cdb
 * keys it adds (ranges expanded) and its cdb data, as byte strings (see
 * `bytes.ts`). Built on `scan.ts`, so it accepts and refuses exactly what
 * `compile.ts` does (`domainkeys.md` 4.1–4.3).
 *
 * @module
 */

import { err, ok, type Result } from "../core/result.ts";
import { fromBytes } from "./bytes.ts";
import { type ScanError, scanRules, type ScanWarning } from "./scan.ts";

/** One rule line of a tcprules file. */
export interface Rule {
  /** 1-based line number in the source file. */
  line: number;
  /** The address: everything before the first `:`, byte for byte. */
  address: string;
  /** `allow` or `deny`. */
  action: "allow" | "deny";
  /** The `NAME=value` assignments, in order (names and values as written). */
  env: [string, string][];
  /** The cdb keys this rule adds: the address, or one per value of a range. */
  keys: string[];
  /** The cdb data: `D\0` for deny, then `+NAME=value\0` per assignment. */
  data: string;
}

/** A parsed file: its rules in file order, warnings, and its line count. */
export interface RuleFile {
  /** The rules, in file order. */
  rules: Rule[];
  /** Silently accepted mistakes, in line order. */
  warnings: ScanWarning[];
  /** Number of lines read (a last line without LF counts). */
  lines: number;
}

/**
 * Parses a tcprules source file's bytes into rules. Returns the first line
 * tcprules would refuse as a {@link ScanError} (plain words with the line
 * number). `step`, when given, is called once per pass of the loops that
 * move by more than a plain `i++` (see {@link scanRules}; a range adds at
 * most 256 keys), so tests can count the work.
 */
export function parseRules(
  src: Uint8Array,
  step?: () => void,
): Result<RuleFile, ScanError> {
  const rules: Rule[] = [];
  const scanned = scanRules(src, (s) => {
    const text = (from: number, to: number) =>
      fromBytes(src.subarray(from, to));
    const address = text(s.addrStart, s.addrEnd);
    const env: [string, string][] = [];
    let data = s.deny ? "D\0" : "";
    for (let v = 0; v < s.varCount * 4; v += 4) {
      const name = text(s.vars[v], s.vars[v + 1]);
      const value = text(s.vars[v + 2], s.vars[v + 3]);
      env.push([name, value]);
      data += "+" + name + "=" + value + "\0";
    }
    let keys = [address];
    if (s.left >= 0) {
      const before = text(s.addrStart, s.left);
      const after = text(s.right, s.addrEnd);
      keys = [];
      for (let n = s.bot; n <= s.top; n++) {
        step?.();
        keys.push(before + n + after);
      }
    }
    rules.push({
      line: s.line,
      address,
      action: s.deny ? "deny" : "allow",
      env,
      keys,
      data,
    });
  }, step);
  if (!scanned.ok) return err(scanned.error);
  return ok({ rules, ...scanned.value });
}

/** Every cdb record of a parsed file, in file order: `[key, data]` pairs. */
export function* records(file: RuleFile): Iterable<[string, string]> {
  for (const rule of file.rules) {
    for (const key of rule.keys) yield [key, rule.data];
  }
}
