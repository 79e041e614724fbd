/**
 * `scripts/test-wasm`'s runner for the wasm crate's test harness built for
 * `wasm32-wasi` with `simd128` (the code paths the shipped module runs):
 * `deno run --allow-read scripts/run_wasi.ts FILE.wasm [ARGS...]` runs the
 * module under `node:wasi` with no preopened folders and no environment,
 * passes ARGS to the harness, and exits with its exit code (1 when the
 * module traps, as a failed assertion does: wasm32 panics abort).
 *
 * @module
 */

import { WASI } from "node:wasi";

const [file, ...args] = Deno.args;
if (file === undefined) {
  console.error("usage: run_wasi.ts FILE.wasm [ARGS...]");
  Deno.exit(2);
}
const wasi = new WASI({
  version: "preview1",
  args: ["dk_core_tests", ...args],
  env: {},
  returnOnExit: true,
});
let code: number;
try {
  const module = new WebAssembly.Module(await Deno.readFile(file));
  const instance = new WebAssembly.Instance(
    module,
    wasi.getImportObject() as WebAssembly.Imports,
  );
  code = wasi.start(instance);
} catch (error) {
  console.error(
    `run_wasi: ${file} stopped: ${
      error instanceof Error ? error.message : error
    }`,
  );
  code = 1;
}
Deno.exit(code);
