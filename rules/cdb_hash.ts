/**
 * The cdb hash function (D. J. Bernstein's constant database format,
 * https://cr.yp.to/cdb/cdb.txt): h = 5381, then h = ((h << 5) + h) ^ byte,
 * modulo 2^32.
 *
 * @module
 */

/** The cdb hash of a byte string's bytes, as an unsigned 32-bit number. */
export function cdbHash(key: string): number {
  let h = 5381;
  for (let i = 0; i < key.length; i++) {
    h = Math.imul(h, 33) ^ (key.charCodeAt(i) & 0xff);
  }
  return h >>> 0;
}
