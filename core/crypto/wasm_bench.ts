/**
 * The plain CIOS baseline `dk bench` measures the wasm core against: a
 * textbook u32-digit Montgomery multiplication (no squaring shortcut, no
 * SIMD, `wasm/src/cios.rs`) that lives only in the bench module
 * (`wasm/dk_bench.wasm`, carried by the generated `wasm/bench_wasm.ts`),
 * never in the shipped core. Only `dk bench` (and tests) import this file,
 * so queue mode and `dk verify` never load the bench module. Nothing
 * verifies with it.
 *
 * @module
 */

import { BENCH_WASM_BASE64 } from "../../wasm/bench_wasm.ts";
import {
  instantiate,
  placeBuffers,
  type WasmMemoryExports,
} from "./wasm_memory.ts";
import type { RsaPublicKey } from "./backend.ts";
import { KeyCache } from "./key_cache.ts";
import { usableKey } from "./key_policy.ts";

/** The bench module's exports this file uses (`wasm/src/bench_exports.rs`). */
interface _Exports extends WasmMemoryExports {
  dk_bench_cios_key_size(): number;
  dk_bench_cios_key_init(
    key: number,
    n: number,
    nLen: number,
    e: number,
  ): number;
  dk_bench_cios_public(
    key: number,
    sig: number,
    sigLen: number,
    out: number,
  ): number;
}

/** Largest modulus and signature, in bytes (4096 bits). */
const _MAX_BYTES = 512;

interface _Bench {
  x: _Exports;
  mem: Uint8Array;
  modulus: number;
  sig: number;
  out: number;
  key: number;
  keySize: number;
  /** Prepared key bytes per key (null: refused). */
  prepared: KeyCache<Uint8Array | null>;
  /** The prepared key whose bytes are in the key slot now. */
  loaded: Uint8Array | null;
}

let _bench: _Bench | undefined;

function _instance(): _Bench {
  if (_bench !== undefined) return _bench;
  const x = instantiate<_Exports>(BENCH_WASM_BASE64);
  const { take, done } = placeBuffers(x);
  const keySize = x.dk_bench_cios_key_size();
  const layout = {
    modulus: take(_MAX_BYTES),
    sig: take(_MAX_BYTES),
    out: take(_MAX_BYTES),
    key: take(keySize),
  };
  _bench = {
    x,
    mem: done(),
    keySize,
    ...layout,
    prepared: new KeyCache(),
    loaded: null,
  };
  return _bench;
}

/**
 * `signature^e mod n` by the plain CIOS baseline of the bench module, as a
 * block of the modulus' length (the answer `wasmRsaPublic` gives, slower).
 * Returns null when the key is refused by the policy (`key_policy.ts`) or
 * beyond 4096 bits, the signature's length differs from the modulus' or its
 * value is not below n.
 */
export function wasmCiosRsaPublic(
  key: RsaPublicKey,
  signature: Uint8Array,
): Uint8Array | null {
  const bench = _instance();
  const prepared = bench.prepared.get(key, () => {
    const usable = usableKey(key);
    if (typeof usable === "string" || usable.n.length > _MAX_BYTES) {
      return null;
    }
    bench.mem.set(usable.n, bench.modulus);
    const ok = bench.x.dk_bench_cios_key_init(
      bench.key,
      bench.modulus,
      usable.n.length,
      usable.e,
    );
    if (ok !== 1) return null;
    const bytes = bench.mem.slice(bench.key, bench.key + bench.keySize);
    bench.loaded = bytes;
    return bytes;
  });
  if (prepared === null || signature.length > _MAX_BYTES) return null;
  if (bench.loaded !== prepared) {
    bench.mem.set(prepared, bench.key);
    bench.loaded = prepared;
  }
  bench.mem.set(signature, bench.sig);
  const ok = bench.x.dk_bench_cios_public(
    bench.key,
    bench.sig,
    signature.length,
    bench.out,
  );
  if (ok !== 1) return null;
  return bench.mem.slice(bench.out, bench.out + signature.length);
}
