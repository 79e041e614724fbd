/**
 * Picks a crypto backend by name, as `DK_CRYPTO` names it: `wasm` (the
 * default, dk's own core), `bigint` (plain TypeScript reference) or
 * `webcrypto` (the runtime's). Reads no environment itself: the caller
 * passes the value.
 *
 * @module
 */

import type { BackendName, CryptoBackend } from "./backend.ts";
import { bigintBackend } from "./bigint.ts";
import { wasmBackend } from "./wasm.ts";
import { webcryptoBackend } from "./webcrypto.ts";
import { err, ok, type Result } from "../result.ts";

/** Every backend name, the default first. */
export const BACKEND_NAMES: readonly BackendName[] = [
  "wasm",
  "bigint",
  "webcrypto",
];

/** The backend used when `DK_CRYPTO` is unset or empty. */
export const DEFAULT_BACKEND: BackendName = "wasm";

const _BACKENDS: Record<BackendName, CryptoBackend> = {
  wasm: wasmBackend,
  bigint: bigintBackend,
  webcrypto: webcryptoBackend,
};

/** The backend called `name`. The wasm core is instantiated on first use only. */
export function backendByName(name: BackendName): CryptoBackend {
  return _BACKENDS[name];
}

/** True when `name` is one of {@link BACKEND_NAMES}. */
export function isBackendName(name: string): name is BackendName {
  return (BACKEND_NAMES as readonly string[]).includes(name);
}

/**
 * The backend named by a `DK_CRYPTO` value: unset or empty gives the default
 * (`wasm`). An unknown name gives an error value such as
 * `Cannot use DK_CRYPTO "rust": expected wasm, bigint or webcrypto`.
 */
export function backendFromEnv(
  value?: string,
): Result<CryptoBackend, string> {
  if (value === undefined || value === "") {
    return ok(backendByName(DEFAULT_BACKEND));
  }
  if (!isBackendName(value)) {
    return err(
      `Cannot use DK_CRYPTO "${value}": expected wasm, bigint or webcrypto`,
    );
  }
  return ok(backendByName(value));
}
