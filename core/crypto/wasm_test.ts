import { createHash } from "node:crypto";
import { assertEquals } from "../../tests/helpers/assert.ts";
import {
  CORE_WASM_BASE64,
  CORE_WASM_SHA256,
  CORE_WASM_SIZE,
} from "../../wasm/core_wasm.ts";
import { wasmBackend, wasmVerifyDigest } from "./wasm.ts";

Deno.test("wasm/core_wasm.ts carries exactly the bytes of wasm/dk_core.wasm", async () => {
  const file = await Deno.readFile(
    new URL("../../wasm/dk_core.wasm", import.meta.url),
  );
  const carried = Uint8Array.from(
    atob(CORE_WASM_BASE64),
    (c) => c.charCodeAt(0),
  );
  assertEquals(carried.length, CORE_WASM_SIZE);
  assertEquals(carried, file);
  assertEquals(
    createHash("sha256").update(file).digest("hex"),
    CORE_WASM_SHA256,
  );
});

Deno.test("wasm: a 3 MB update and a byte-at-a-time tail hash like node:crypto", () => {
  const data = new Uint8Array(3 * 1024 * 1024 + 77).map((_, i) =>
    (i * 7 + (i >> 9)) & 0xff
  );
  for (const alg of ["sha1", "sha256"] as const) {
    const stream = wasmBackend.hash(alg);
    stream.update(data.subarray(0, 3 * 1024 * 1024));
    for (const byte of data.subarray(3 * 1024 * 1024)) {
      stream.update(Uint8Array.of(byte));
    }
    assertEquals(
      Array.from(stream.digest()),
      Array.from(createHash(alg).update(data).digest()),
    );
  }
});

Deno.test("wasmVerifyDigest() refuses a digest of the wrong length", () => {
  const key = {
    n: new Uint8Array(64).fill(0xff),
    e: Uint8Array.of(3),
    bits: 512,
  };
  const signature = new Uint8Array(64);
  signature[63] = 2;
  assertEquals(
    wasmVerifyDigest(key, "sha1", new Uint8Array(32), signature),
    false,
  );
  assertEquals(
    wasmVerifyDigest(key, "sha256", new Uint8Array(20), signature),
    false,
  );
});
