/**
 * A small cache of per-key preparations (Montgomery constants, BigInts,
 * imported CryptoKeys), found by the key object first and by its bytes
 * next, so a caller that parses the same key record again for every message
 * still gets the prepared key. Holds at most a few keys by content.
 *
 * @module
 */

import type { RsaPublicKey } from "./backend.ts";

/** How many keys a cache remembers by content. */
const _BY_CONTENT = 16;

/** Per-key prepared values of type `T`. */
export class KeyCache<T> {
  #byObject = new WeakMap<RsaPublicKey, T>();
  #byContent = new Map<string, T>();

  /** The value prepared for `key`, making it with `make` the first time. */
  get(key: RsaPublicKey, make: () => T): T {
    const known = this.#byObject.get(key);
    if (known !== undefined) return known;
    const id = _contentId(key);
    let value = this.#byContent.get(id);
    if (value === undefined) {
      value = make();
      if (this.#byContent.size >= _BY_CONTENT) {
        const oldest = this.#byContent.keys().next().value;
        if (oldest !== undefined) this.#byContent.delete(oldest);
      }
      this.#byContent.set(id, value);
    }
    this.#byObject.set(key, value);
    return value;
  }
}

function _contentId(key: RsaPublicKey): string {
  let id = `${key.e.join(",")}:`;
  for (let i = 0; i < key.n.length; i += 4096) {
    id += String.fromCharCode(...key.n.subarray(i, i + 4096));
  }
  return id;
}
