/**
 * INTERIM (to be replaced by the crypto engineer's backends): picks the
 * verify backend from DK_CRYPTO. Until the wasm, bigint and webcrypto
 * backends land, every name maps to node:crypto.
 *
 * @module
 */

import type { BackendName, CryptoBackend } from "./backend.ts";
import { nodeBackend } from "../../tests/helpers/node_backend.ts";

/** Returns the backend named by `value` (default wasm), or an error message. */
export function backendFromEnv(value?: string): CryptoBackend | string {
  const name = (value || "wasm") as BackendName;
  if (!["wasm", "bigint", "webcrypto"].includes(name)) {
    return `Unknown DK_CRYPTO "${value}": use wasm, bigint or webcrypto`;
  }
  return nodeBackend;
}
