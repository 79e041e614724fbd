/**
 * The scheme modules queue mode signs and verifies with (DomainKeys', and
 * the run where DKIM is active, which links DKIM's), behind one seam: loaded
 * on demand by computed URLs when dk runs from its source tree (a run that
 * only passes mail on never loads either), or linked in when it runs as the
 * queue bundle (`core/queue/bundle_entry.ts`).
 *
 * @module
 */

import type { DkSigner } from "../dk/sign.ts";
import type { finishSigning } from "../dk/sign_message.ts";
import type { parsePrivateKeyPem } from "../crypto/keys.ts";
import type { DkVerifier } from "../dk/verify.ts";
import type { resolverFromOptions } from "../dns/select.ts";
import type { CryptoBackend } from "../crypto/backend.ts";
import type { Result } from "../result.ts";
import type { runWithDkim } from "./run_dkim.ts";
import { importSource } from "../source.ts";

/** What signing a message takes. */
export interface SignModules {
  /** The DomainKeys signer. */
  DkSigner: typeof DkSigner;
  /** The DomainKeys signing sequence over a fed signer. */
  finishSigning: typeof finishSigning;
  /** Reads the key file's PEM. */
  parsePrivateKeyPem: typeof parsePrivateKeyPem;
}

/** What verifying a message takes. */
export interface VerifyModules {
  /** The DomainKeys verifier. */
  DkVerifier: typeof DkVerifier;
  /** The resolver from `DK_DNS`, `DK_DNS_TIMEOUT` and `DK_ZONE`. */
  resolverFromOptions: typeof resolverFromOptions;
  /** The crypto backend `DK_CRYPTO` names; an error value for an unknown one. */
  loadBackend(value?: string): Promise<Result<CryptoBackend, string>>;
}

/** The run where DKIM is active (dkim.md 6), with the DKIM code it links. */
export interface DkimModules {
  /** Runs queue mode with DKIM active; resolves to the exit code. */
  runWithDkim: typeof runWithDkim;
}

/** Where queue mode gets its signing and verifying code. */
export interface SchemeModules {
  /** The signing code; rejects only if it cannot be loaded. */
  sign(): Promise<SignModules>;
  /** The verifying code; rejects only if it cannot be loaded. */
  verify(): Promise<VerifyModules>;
  /** The DKIM run (only when DKIM is active); rejects only if it cannot be loaded. */
  dkim(): Promise<DkimModules>;
}

/** The code loaded on demand from the source tree. */
export const lazySchemeModules: SchemeModules = {
  async sign() {
    const [{ DkSigner }, { finishSigning }, { parsePrivateKeyPem }] =
      await Promise.all([
        importSource<typeof import("../dk/sign.ts")>("core/dk/sign.ts"),
        importSource<typeof import("../dk/sign_message.ts")>(
          "core/dk/sign_message.ts",
        ),
        importSource<typeof import("../crypto/keys.ts")>("core/crypto/keys.ts"),
      ]);
    return { DkSigner, finishSigning, parsePrivateKeyPem };
  },
  async verify() {
    const [{ DkVerifier }, { resolverFromOptions }, { loadBackend }] =
      await Promise.all([
        importSource<typeof import("../dk/verify.ts")>("core/dk/verify.ts"),
        importSource<typeof import("../dns/select.ts")>("core/dns/select.ts"),
        importSource<typeof import("../crypto/load.ts")>("core/crypto/load.ts"),
      ]);
    return { DkVerifier, resolverFromOptions, loadBackend };
  },
  async dkim() {
    const { runWithDkim } = await importSource<
      typeof import("./run_dkim.ts")
    >("core/queue/run_dkim.ts");
    return { runWithDkim };
  },
};
