/**
 * Loads the one crypto backend `DK_CRYPTO` names, and only that one, at run
 * time. `select.ts` imports all three statically (benchmarks, tests); the
 * `bigint` and `webcrypto` backends hash through `node:crypto`, whose first
 * import costs about 50 ms in Deno: a per-message price queue mode must not
 * pay for a backend it does not use.
 *
 * @module
 */

import type { BackendName, CryptoBackend } from "./backend.ts";
import { err, ok, type Result } from "../result.ts";
import { importSource } from "../source.ts";

/** Each backend's module and export. */
const MODULES: Record<BackendName, [path: string, name: string]> = {
  wasm: ["core/crypto/wasm.ts", "wasmBackend"],
  bigint: ["core/crypto/bigint.ts", "bigintBackend"],
  webcrypto: ["core/crypto/webcrypto.ts", "webcryptoBackend"],
};

/**
 * The backend named by a `DK_CRYPTO` value (unset or empty: `wasm`): taken
 * from `linked` when there (the queue bundle links the wasm one in),
 * otherwise loaded on first use. An unknown name gives an error value, as
 * `select.ts`'s `backendFromEnv` does.
 */
export async function loadBackend(
  value?: string,
  linked: Partial<Record<BackendName, CryptoBackend>> = {},
): Promise<Result<CryptoBackend, string>> {
  const name = value === undefined || value === "" ? "wasm" : value;
  if (!Object.hasOwn(MODULES, name)) {
    return err(
      `Cannot use DK_CRYPTO "${value}": expected wasm, bigint or webcrypto`,
    );
  }
  const ready = linked[name as BackendName];
  if (ready) return ok(ready);
  const [path, exported] = MODULES[name as BackendName];
  const module = await importSource<Record<string, CryptoBackend>>(path);
  return ok(module[exported]);
}
