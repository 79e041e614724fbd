import { assert, assertEquals } from "../../tests/helpers/assert.ts";
import {
  instantiate,
  placeBuffers,
  type WasmMemoryExports,
} from "./wasm_memory.ts";
import { CORE_WASM_BASE64 } from "../../wasm/core_wasm.ts";

function fakeModule(heapBase: number, pages: number) {
  return {
    memory: new WebAssembly.Memory({ initial: pages }),
    __heap_base: new WebAssembly.Global({ value: "i32" }, heapBase),
  };
}

Deno.test("placeBuffers() places buffers from the heap base up, each on a 64-byte boundary", () => {
  const { take } = placeBuffers(fakeModule(1000, 1));
  assertEquals(take(10), 1024);
  assertEquals(take(64), 1088);
  assertEquals(take(1), 1152);
  assertEquals(take(0), 1216);
  assertEquals(take(5), 1216);
});

Deno.test("placeBuffers().done() grows the memory to hold every buffer taken, and only then", () => {
  const x = fakeModule(0, 1);
  const placement = placeBuffers(x);
  placement.take(65536 + 1);
  assertEquals(x.memory.buffer.byteLength, 65536);
  const view = placement.done();
  assertEquals(x.memory.buffer.byteLength, 2 * 65536);
  assertEquals(view.length, 2 * 65536);
  const fits = placeBuffers(fakeModule(0, 1));
  fits.take(100);
  assertEquals(fits.done().length, 65536);
});

Deno.test("instantiate() starts dk's core with its memory and heap base", () => {
  const x = instantiate<WasmMemoryExports>(CORE_WASM_BASE64);
  assert(x.memory instanceof WebAssembly.Memory);
  assert((x.__heap_base.value as number) > 0);
});
