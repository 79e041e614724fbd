/**
 * Compiles a tcprules source file to the cdb `tcprules` writes for it, byte
 * for byte (`domainkeys.md` 4.3): each rule's keys (ranges expanded) with
 * data `D\0` for deny, then `+NAME=value\0` per variable. Pure and
 * allocation-light: the scanner's offsets go straight into the cdb writer.
 *
 * @module
 */

import { CdbWriter } from "./cdb_write.ts";
import { type ScanError, scanRules, type ScanWarning } from "./scan.ts";

/** A compiled file: the cdb bytes and what the scan warned about. */
export interface Compiled {
  /** The cdb, as tcprules writes it. */
  cdb: Uint8Array;
  /** Silently accepted mistakes (tcprules says nothing about them). */
  warnings: ScanWarning[];
  /** Number of rules compiled (lines, not keys). */
  rules: number;
  /** Number of cdb records (keys, after range expansion). */
  records: number;
}

const _D = 0x44;
const _PLUS = 0x2b;
const _EQUALS = 0x3d;

/**
 * Compiles source bytes. Returns the first refused line (plain words with
 * its number), or a {@link ScanError} with line 0 when the result would pass
 * cdb's 4 GiB limit.
 */
export function compileRules(
  src: Uint8Array,
): { ok: true; value: Compiled } | { ok: false; error: ScanError } {
  const writer = new CdbWriter(src.length + (src.length >> 2));
  let rules = 0;
  let records = 0;
  const addRecord = (
    s: Parameters<Parameters<typeof scanRules>[1]>[0],
    n: number,
  ) => {
    const vars = s.vars;
    // Room: the address (a range's number is at most as long as its text),
    // "D\0", and each variable's bytes plus "+", "=", NUL.
    let size = s.addrEnd - s.addrStart + 2;
    for (let v = 0; v < s.varCount * 4; v += 4) {
      size += vars[v + 1] - vars[v] + vars[v + 3] - vars[v + 2] + 3;
    }
    writer.begin(size + 20);
    if (s.left < 0) {
      writer.keyBytes(src, s.addrStart, s.addrEnd);
    } else {
      writer.keyBytes(src, s.addrStart, s.left);
      writer.keyNumber(n);
      writer.keyBytes(src, s.right, s.addrEnd);
    }
    writer.keyDone();
    if (s.deny) {
      writer.dataByte(_D);
      writer.dataByte(0);
    }
    for (let v = 0; v < s.varCount * 4; v += 4) {
      writer.dataByte(_PLUS);
      writer.dataBytes(src, vars[v], vars[v + 1]);
      writer.dataByte(_EQUALS);
      writer.dataBytes(src, vars[v + 2], vars[v + 3]);
      writer.dataByte(0);
    }
    writer.end();
    records++;
  };
  let scanned;
  try {
    scanned = scanRules(src, (s) => {
      rules++;
      if (s.left < 0) addRecord(s, 0);
      else for (let n = s.bot; n <= s.top; n++) addRecord(s, n);
    });
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    return { ok: false, error: { line: 0, message: e.message } };
  }
  if (!scanned.ok) return scanned;
  const cdb = writer.finish();
  if (!cdb.ok) return { ok: false, error: { line: 0, message: cdb.error } };
  return {
    ok: true,
    value: { cdb: cdb.value, warnings: scanned.value.warnings, rules, records },
  };
}
