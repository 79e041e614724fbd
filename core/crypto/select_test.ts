import { assertEquals } from "../../tests/helpers/assert.ts";
import { BACKEND_NAMES, backendByName, backendFromEnv } from "./select.ts";

Deno.test("backendFromEnv() defaults to wasm when DK_CRYPTO is unset or empty", () => {
  for (const value of [undefined, ""]) {
    const result = backendFromEnv(value);
    assertEquals(result.ok && result.value.name, "wasm");
  }
});

Deno.test("backendFromEnv() picks each named backend", () => {
  for (const name of BACKEND_NAMES) {
    const result = backendFromEnv(name);
    assertEquals(result.ok && result.value, backendByName(name));
    assertEquals(backendByName(name).name, name);
  }
});

Deno.test("backendFromEnv() answers an unknown name with an error value", () => {
  for (const value of ["rust", "WASM", " wasm", "openssl"]) {
    const result = backendFromEnv(value);
    assertEquals(result, {
      ok: false,
      error:
        `Cannot use DK_CRYPTO "${value}": expected wasm, bigint or webcrypto`,
    });
  }
});
