/**
 * Reads a cdb (https://cr.yp.to/cdb/cdb.txt) held in memory, as ucspi-tcp's
 * `cdb_find` does: the first record with the key wins. The structure is
 * checked when opened, so lookups never read out of bounds.
 *
 * @module
 */

import { err, ok, type Result } from "../core/result.ts";
import { fromBytes } from "./bytes.ts";
import { cdbHash } from "./cdb_hash.ts";

const _HEADER = 2048;
const _TABLES = 256;

/** An opened cdb. */
export interface Cdb {
  /** The data of the first record whose key is `key` (byte strings), or null. */
  find(key: string): string | null;
  /** Every record, in file order (byte strings). */
  entries(): Iterable<[string, string]>;
}

/**
 * Opens cdb bytes. Returns an error message (plain words) when the bytes are
 * not a well-formed cdb: too short, a table or record outside the file, or
 * records that do not tile the space between the header and the tables.
 */
export function cdbOpen(bytes: Uint8Array): Result<Cdb, string> {
  if (bytes.length < _HEADER) {
    return err(`it is ${bytes.length} bytes long, shorter than a cdb header`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let tablesStart = bytes.length;
  for (let t = 0; t < _TABLES; t++) {
    const tpos = view.getUint32(t * 8, true);
    const slots = view.getUint32(t * 8 + 4, true);
    if (tpos < _HEADER || tpos + slots * 8 > bytes.length) {
      return err(`hash table ${t} lies outside the file`);
    }
    tablesStart = Math.min(tablesStart, tpos);
  }
  // Walk the records: they must fill [2048, tablesStart) exactly.
  let pos = _HEADER;
  while (pos < tablesStart) {
    if (pos + 8 > tablesStart) return err(`record at byte ${pos} is cut short`);
    const klen = view.getUint32(pos, true);
    const dlen = view.getUint32(pos + 4, true);
    pos += 8 + klen + dlen;
    if (pos > tablesStart) return err(`record at byte ${pos} is cut short`);
  }
  const record = (at: number): [string, string] => {
    const klen = view.getUint32(at, true);
    const dlen = view.getUint32(at + 4, true);
    return [
      fromBytes(bytes.subarray(at + 8, at + 8 + klen)),
      fromBytes(bytes.subarray(at + 8 + klen, at + 8 + klen + dlen)),
    ];
  };
  const isRecord = (at: number): boolean => at >= _HEADER && at < tablesStart;
  return ok({
    find(key: string): string | null {
      const h = cdbHash(key);
      const t = h & 0xff;
      const tpos = view.getUint32(t * 8, true);
      const slots = view.getUint32(t * 8 + 4, true);
      if (slots === 0) return null;
      let slot = (h >>> 8) % slots;
      for (let tried = 0; tried < slots; tried++) {
        const at = tpos + slot * 8;
        const sh = view.getUint32(at, true);
        const sp = view.getUint32(at + 4, true);
        if (sp === 0) return null;
        if (sh === h && isRecord(sp)) {
          const klen = view.getUint32(sp, true);
          if (klen === key.length && sp + 8 + klen <= tablesStart) {
            const [k, d] = record(sp);
            if (k === key) return d;
          }
        }
        if (++slot === slots) slot = 0;
      }
      return null;
    },
    *entries(): Iterable<[string, string]> {
      let at = _HEADER;
      while (at < tablesStart) {
        const rec = record(at);
        yield rec;
        at += 8 + rec[0].length + rec[1].length;
      }
    },
  });
}
