/**
 * Writes a cdb (https://cr.yp.to/cdb/cdb.txt) byte for byte as ucspi-tcp's
 * `cdb_make` does: a 2048-byte header of 256 (position, slot count) pairs,
 * the records in insertion order, then the 256 hash tables, each with twice
 * as many slots as entries, filled in insertion order with linear probing.
 * Pure: bytes in, bytes out.
 *
 * @module
 */

import { err, ok, type Result } from "../core/result.ts";
import { toBytes } from "./bytes.ts";

const _HEADER = 2048;
const _TABLES = 256;
const _MAX = 0xffffffff;
const _LIMIT = "the rules make a cdb larger than 4 GiB, the format's limit";

/**
 * Builds a cdb record by record. A record is written as `begin(size)`, then
 * its key and data bytes through `key*` and `data*` calls (key first), then
 * `end()`. `size` must be at least the key and data bytes written; the
 * appending calls do not check the room again.
 */
export class CdbWriter {
  #out: Uint8Array;
  #view: DataView;
  #pos = _HEADER;
  #hashes = new Uint32Array(1024);
  #positions = new Uint32Array(1024);
  #count = 0;
  #recordStart = 0;
  #keyLength = 0;
  #hash = 5381;
  #tooBig = false;

  /** `sizeHint`: expected size of the records, to allocate once. */
  constructor(sizeHint = 0) {
    this.#out = new Uint8Array(_HEADER + Math.max(sizeHint, 1024));
    this.#view = new DataView(this.#out.buffer);
  }

  #room(more: number): void {
    const need = this.#pos + more;
    if (need <= this.#out.length) return;
    if (need > _MAX) {
      this.#tooBig = true;
      throw new RangeError(_LIMIT);
    }
    const bigger = new Uint8Array(Math.max(need, this.#out.length * 2));
    bigger.set(this.#out.subarray(0, this.#pos));
    this.#out = bigger;
    this.#view = new DataView(bigger.buffer);
  }

  /** Starts a record of at most `size` key and data bytes. */
  begin(size: number): void {
    this.#room(8 + size);
    this.#recordStart = this.#pos;
    this.#pos += 8;
    this.#hash = 5381;
  }

  /** Appends key bytes `src[from, to)` to the current record. */
  keyBytes(src: Uint8Array, from: number, to: number): void {
    const out = this.#out;
    let h = this.#hash;
    let p = this.#pos;
    for (let i = from; i < to; i++) {
      const c = src[i];
      h = Math.imul(h, 33) ^ c;
      out[p++] = c;
    }
    this.#hash = h;
    this.#pos = p;
  }

  /** Appends the decimal digits of `n` to the current record's key. */
  keyNumber(n: number): void {
    const digits = String(n);
    for (let i = 0; i < digits.length; i++) {
      const c = digits.charCodeAt(i);
      this.#hash = Math.imul(this.#hash, 33) ^ c;
      this.#out[this.#pos++] = c;
    }
  }

  /** Ends the key: what is appended from now on is data. */
  keyDone(): void {
    this.#keyLength = this.#pos - this.#recordStart - 8;
  }

  /** Appends data bytes `src[from, to)` to the current record. */
  dataBytes(src: Uint8Array, from: number, to: number): void {
    const n = to - from;
    if (n > 64) {
      this.#out.set(src.subarray(from, to), this.#pos);
      this.#pos += n;
      return;
    }
    const out = this.#out;
    let p = this.#pos;
    for (let i = from; i < to; i++) out[p++] = src[i];
    this.#pos = p;
  }

  /** Appends one data byte. */
  dataByte(b: number): void {
    this.#out[this.#pos++] = b;
  }

  /** Finishes the current record. */
  end(): void {
    const view = this.#view;
    const at = this.#recordStart;
    view.setUint32(at, this.#keyLength, true);
    view.setUint32(at + 4, this.#pos - at - 8 - this.#keyLength, true);
    if (this.#count === this.#hashes.length) {
      const h = new Uint32Array(this.#count * 2);
      h.set(this.#hashes);
      this.#hashes = h;
      const p = new Uint32Array(this.#count * 2);
      p.set(this.#positions);
      this.#positions = p;
    }
    this.#hashes[this.#count] = this.#hash >>> 0;
    this.#positions[this.#count] = at;
    this.#count++;
  }

  /** Adds a whole record from byte strings. */
  add(key: string, data: string): void {
    const k = toBytes(key);
    const d = toBytes(data);
    this.begin(k.length + d.length);
    this.keyBytes(k, 0, k.length);
    this.keyDone();
    this.dataBytes(d, 0, d.length);
    this.end();
  }

  /**
   * Writes the hash tables and the header and returns the whole cdb. Returns
   * an error message when the file would pass the format's 4 GiB limit.
   */
  finish(): Result<Uint8Array, string> {
    const count = this.#count;
    if (this.#tooBig || this.#pos + count * 16 > _MAX) return err(_LIMIT);
    const hashes = this.#hashes;
    const positions = this.#positions;
    const perTable = new Uint32Array(_TABLES);
    for (let r = 0; r < count; r++) perTable[hashes[r] & 0xff]++;
    const start = new Uint32Array(_TABLES + 1);
    for (let t = 0; t < _TABLES; t++) start[t + 1] = start[t] + perTable[t];
    const fill = start.slice(0, _TABLES);
    const order = new Uint32Array(count);
    for (let r = 0; r < count; r++) order[fill[hashes[r] & 0xff]++] = r;

    const size = this.#pos + count * 16;
    this.#room(count * 16);
    const out = this.#out;
    const view = this.#view;
    let maxSlots = 0;
    for (let t = 0; t < _TABLES; t++) {
      maxSlots = Math.max(maxSlots, perTable[t] * 2);
    }
    const slotHash = new Uint32Array(maxSlots);
    const slotPos = new Uint32Array(maxSlots);
    let pos = this.#pos;
    for (let t = 0; t < _TABLES; t++) {
      const slots = perTable[t] * 2;
      view.setUint32(t * 8, pos, true);
      view.setUint32(t * 8 + 4, slots, true);
      slotHash.fill(0, 0, slots);
      slotPos.fill(0, 0, slots);
      for (let e = start[t]; e < start[t + 1]; e++) {
        const r = order[e];
        const h = hashes[r];
        let where = (h >>> 8) % slots;
        while (slotPos[where] !== 0) if (++where === slots) where = 0;
        slotHash[where] = h;
        slotPos[where] = positions[r];
      }
      for (let s = 0; s < slots; s++) {
        view.setUint32(pos, slotHash[s], true);
        view.setUint32(pos + 4, slotPos[s], true);
        pos += 8;
      }
    }
    this.#pos = size;
    return ok(out.subarray(0, size));
  }
}

/**
 * Builds the cdb holding `records` (byte-string key and data pairs, kept in
 * order; duplicate keys are all stored). Returns an error message when the
 * file would pass the format's 4 GiB limit.
 */
export function cdbMake(
  records: Iterable<readonly [string, string]>,
): Result<Uint8Array, string> {
  const writer = new CdbWriter();
  try {
    for (const [key, data] of records) writer.add(key, data);
  } catch (e) {
    if (e instanceof RangeError) return err(e.message);
    throw e;
  }
  return writer.finish();
}
