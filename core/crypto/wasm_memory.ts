/**
 * How dk's wasm modules (the core, `wasm/dk_core.wasm`, and the bench
 * module, `wasm/dk_bench.wasm`) are started and laid out: instantiated
 * from their base64 text with no imports, and their fixed buffers placed
 * one after the other above the module's heap base, each on a 64-byte
 * boundary, the memory grown once to hold them all.
 *
 * @module
 */

import { decodeBase64 } from "./base64.ts";

/** What every dk wasm module exports besides its functions. */
export interface WasmMemoryExports {
  memory: WebAssembly.Memory;
  __heap_base: WebAssembly.Global;
}

/** The module whose bytes `base64` holds, instantiated; its exports. */
export function instantiate<T extends WasmMemoryExports>(base64: string): T {
  const module = new WebAssembly.Module(decodeBase64(base64));
  return new WebAssembly.Instance(module, {}).exports as unknown as T;
}

/** Buffers placed in a module's memory (see {@link placeBuffers}). */
export interface Placement {
  /** The offset of a new buffer of `size` bytes. */
  take(size: number): number;
  /** Grows the memory to hold every buffer taken; a view of all of it. */
  done(): Uint8Array;
}

const ALIGN = 64;
const PAGE = 65536;

/** Places buffers in `x`'s memory from its heap base up. */
export function placeBuffers(x: WasmMemoryExports): Placement {
  const align = (n: number) => Math.ceil(n / ALIGN) * ALIGN;
  let at = align(x.__heap_base.value as number);
  return {
    take(size: number): number {
      const start = at;
      at = align(at + size);
      return start;
    },
    done(): Uint8Array {
      const missing = at - x.memory.buffer.byteLength;
      if (missing > 0) x.memory.grow(Math.ceil(missing / PAGE));
      return new Uint8Array(x.memory.buffer);
    },
  };
}
