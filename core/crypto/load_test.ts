import { assertEquals } from "../../tests/helpers/assert.ts";
import { BACKEND_NAMES, loadBackend } from "./load.ts";
import { bigintBackend } from "./bigint.ts";
import { wasmBackend } from "./wasm.ts";
import { webcryptoBackend } from "./webcrypto.ts";

Deno.test("loadBackend() defaults to wasm when DK_CRYPTO is unset or empty", async () => {
  for (const value of [undefined, ""]) {
    const result = await loadBackend(value);
    assertEquals(result.ok && result.value, wasmBackend);
  }
});

Deno.test("loadBackend() loads each named backend", async () => {
  const expected = {
    wasm: wasmBackend,
    bigint: bigintBackend,
    webcrypto: webcryptoBackend,
  };
  assertEquals([...BACKEND_NAMES].sort(), Object.keys(expected).sort());
  for (const name of BACKEND_NAMES) {
    const result = await loadBackend(name);
    assertEquals(result.ok && result.value, expected[name]);
    assertEquals(result.ok && result.value.name, name);
  }
});

Deno.test("loadBackend() takes a linked backend before loading one", async () => {
  const linked = { ...wasmBackend };
  const result = await loadBackend("wasm", { wasm: linked });
  assertEquals(result.ok && result.value === linked, true);
});

Deno.test("loadBackend() answers an unknown name with an error value", async () => {
  for (const value of ["rust", "WASM", " wasm", "openssl", "toString"]) {
    const result = await loadBackend(value);
    assertEquals(result, {
      ok: false,
      error:
        `Cannot use DK_CRYPTO "${value}": expected wasm, bigint or webcrypto`,
    });
  }
});
