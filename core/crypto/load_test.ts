import { assertEquals } from "../../tests/helpers/assert.ts";
import { loadBackend } from "./load.ts";
import { BACKEND_NAMES, backendByName, backendFromEnv } from "./select.ts";

Deno.test("loadBackend() gives the same backends and errors as backendFromEnv()", async () => {
  for (const value of [undefined, "", ...BACKEND_NAMES, "rust", "WASM"]) {
    const loaded = await loadBackend(value);
    const selected = backendFromEnv(value);
    assertEquals(loaded, selected, String(value));
  }
  const wasm = await loadBackend();
  assertEquals(wasm.ok && wasm.value, backendByName("wasm"));
});
