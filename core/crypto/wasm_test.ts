import { createHash, generateKeyPairSync, sign } from "node:crypto";
import { assertEquals } from "../../tests/helpers/assert.ts";
import {
  CORE_WASM_BASE64,
  CORE_WASM_SHA256,
  CORE_WASM_SIZE,
} from "../../wasm/core_wasm.ts";
import {
  BENCH_WASM_BASE64,
  BENCH_WASM_SHA256,
  BENCH_WASM_SIZE,
} from "../../wasm/bench_wasm.ts";
import { wasmBackend, wasmVerifyDigest } from "./wasm.ts";
import { keyFromJwk } from "./_testing.ts";

/** The functions `wasm/src/exports.rs` gives the shipped core, no more. */
const CORE_FUNCTIONS = [
  "dk_pkcs1_verify",
  "dk_rsa_key_init",
  "dk_rsa_key_size",
  "dk_rsa_public",
  "dk_sha1_final",
  "dk_sha1_init",
  "dk_sha1_size",
  "dk_sha1_update",
  "dk_sha256_final",
  "dk_sha256_init",
  "dk_sha256_size",
  "dk_sha256_update",
];

/** The functions a module exports, sorted (memory and globals left out). */
function exportedFunctions(base64: string): string[] {
  const module = new WebAssembly.Module(
    Uint8Array.from(atob(base64), (c) => c.charCodeAt(0)),
  );
  return WebAssembly.Module.exports(module)
    .filter((e) => e.kind === "function")
    .map((e) => e.name)
    .sort();
}

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

Deno.test("wasm/bench_wasm.ts carries exactly the bytes of wasm/dk_bench.wasm", async () => {
  const file = await Deno.readFile(
    new URL("../../wasm/dk_bench.wasm", import.meta.url),
  );
  const carried = Uint8Array.from(
    atob(BENCH_WASM_BASE64),
    (c) => c.charCodeAt(0),
  );
  assertEquals(carried.length, BENCH_WASM_SIZE);
  assertEquals(carried, file);
  assertEquals(
    createHash("sha256").update(file).digest("hex"),
    BENCH_WASM_SHA256,
  );
});

Deno.test("the shipped core exports no benchmark code; the bench module adds only the CIOS baseline", () => {
  assertEquals(exportedFunctions(CORE_WASM_BASE64), CORE_FUNCTIONS);
  assertEquals(
    exportedFunctions(BENCH_WASM_BASE64),
    [
      ...CORE_FUNCTIONS,
      "dk_bench_cios_key_init",
      "dk_bench_cios_key_size",
      "dk_bench_cios_public",
    ].sort(),
  );
});

Deno.test("the wasm backend's module graph holds the core, never the bench module", async () => {
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", new URL("./wasm.ts", import.meta.url).href],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assertEquals(code, 0, new TextDecoder().decode(stderr));
  const graph = JSON.parse(new TextDecoder().decode(stdout));
  const folder = new URL("../../wasm/", import.meta.url).href;
  const files = graph.modules
    .map((m: { specifier: string }) => m.specifier)
    .filter((s: string) => s.startsWith(folder))
    .map((s: string) => `wasm/${s.slice(folder.length)}`);
  assertEquals(files, ["wasm/core_wasm.ts"]);
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

Deno.test("wasm verifier: verify() again and again, other hashes finished between, judges the same bytes", async () => {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", {
    modulusLength: 1024,
  });
  const other = generateKeyPairSync("rsa", { modulusLength: 1024 }).publicKey;
  const data = new TextEncoder().encode("header input");
  const signature = new Uint8Array(sign("sha256", data, privateKey));
  const key = keyFromJwk(publicKey.export({ format: "jwk" }));
  const wrong = keyFromJwk(other.export({ format: "jwk" }));
  const verifier = wasmBackend.verifier("sha256");
  verifier.update(data);
  const answers = [];
  for (const k of [wrong, key, wrong, key]) {
    // Another stream's digest between calls overwrites the core's buffer.
    const stream = wasmBackend.hash("sha256");
    stream.update(new Uint8Array(100));
    stream.digest();
    answers.push(await verifier.verify(k, signature));
  }
  assertEquals(answers, [false, true, false, true]);
});
