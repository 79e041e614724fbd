/**
 * Picks the crypto backend `DK_CRYPTO` names: `wasm` (the default, dk's own
 * core), `bigint` (plain TypeScript reference) or `webcrypto` (the
 * runtime's), and loads that one only, at run time: the `bigint` and
 * `webcrypto` backends hash through `node:crypto`, whose first import costs
 * about 50 ms in Deno, a per-message price queue mode must not pay for a
 * backend it does not use. The one backend selector of dk: commands, queue
 * mode, benchmarks and tests all come here. Reads no environment itself.
 *
 * @module
 */

import type { BackendName, CryptoBackend } from "./backend.ts";
import { err, ok, type Result } from "../result.ts";
import { importSource } from "../source.ts";

/** Every backend name, the default first. */
export const BACKEND_NAMES: readonly BackendName[] = [
  "wasm",
  "bigint",
  "webcrypto",
];

/** The backend used when `DK_CRYPTO` is unset or empty. */
export const DEFAULT_BACKEND: BackendName = "wasm";

/** Each backend's module and export. */
const MODULES: Record<BackendName, [path: string, name: string]> = {
  wasm: ["core/crypto/wasm.ts", "wasmBackend"],
  bigint: ["core/crypto/bigint.ts", "bigintBackend"],
  webcrypto: ["core/crypto/webcrypto.ts", "webcryptoBackend"],
};

/** True when `name` is one of {@link BACKEND_NAMES}. */
export function isBackendName(name: string): name is BackendName {
  return Object.hasOwn(MODULES, name);
}

/**
 * The backend named by a `DK_CRYPTO` value (unset or empty: `wasm`): taken
 * from `linked` when there (the queue bundle links the wasm one in),
 * otherwise loaded on first use. An unknown name gives an error value such
 * as `Cannot use DK_CRYPTO "rust": expected wasm, bigint or webcrypto`.
 */
export async function loadBackend(
  value?: string,
  linked: Partial<Record<BackendName, CryptoBackend>> = {},
): Promise<Result<CryptoBackend, string>> {
  const name = value === undefined || value === "" ? DEFAULT_BACKEND : value;
  if (!isBackendName(name)) {
    return err(
      `Cannot use DK_CRYPTO "${value}": expected ${
        BACKEND_NAMES.slice(0, -1).join(", ")
      } or ${BACKEND_NAMES.at(-1)}`,
    );
  }
  const ready = linked[name];
  if (ready) return ok(ready);
  const [path, exported] = MODULES[name];
  const module = await importSource<Record<string, CryptoBackend>>(path);
  return ok(module[exported]);
}
