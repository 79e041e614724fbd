/**
 * DomainKeys' signing and verifying code, linked: what the DomainKeys and
 * the dual queue bundles carry (`bundle_entry.ts`, `bundle_entry_dual.ts`),
 * in the shape of the `sign` and `verify` members of `SchemeModules`.
 *
 * @module
 */

import { DkSigner } from "../dk/sign.ts";
import { finishSigning } from "../dk/sign_message.ts";
import { parsePrivateKeyPem } from "../crypto/keys.ts";
import { DkVerifier } from "../dk/verify.ts";
import { resolverFromOptions } from "../dns/select.ts";
import { loadBackend } from "../crypto/load.ts";
import { wasmBackend } from "../crypto/wasm.ts";
import type { SchemeModules } from "./scheme_modules.ts";

/** DomainKeys' modules, linked in (the wasm backend with them). */
export const LINKED_DK: Pick<SchemeModules, "sign" | "verify"> = {
  sign: () => Promise.resolve({ DkSigner, finishSigning, parsePrivateKeyPem }),
  verify: () =>
    Promise.resolve({
      DkVerifier,
      resolverFromOptions,
      loadBackend: (value?: string) =>
        loadBackend(value, { wasm: wasmBackend }),
    }),
};
