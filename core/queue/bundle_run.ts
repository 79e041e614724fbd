/**
 * What the queue bundles run: `scripts/dk --prepare` bundles each entry
 * (`bundle_entry.ts` → `dist/queue.js`, DomainKeys only; `bundle_entry_dkim.ts`
 * → `dist/queue-dkim.js`, with DKIM) into one file, which the launcher runs
 * in queue mode (the DKIM one only when DKIM is active, dkim.md 6.15). Queue
 * mode then loads one file instead of some forty modules, with the signing,
 * verifying and wasm code linked in; the `bigint` and `webcrypto` backends
 * (which load `node:crypto`) stay on demand.
 *
 * The bundle carries the list of its sources (`bundle_manifest.ts`), put in
 * place of {@link MANIFEST} when it is built. It runs its linked code only
 * while every source is unchanged; otherwise, and when run from the source
 * tree, queue mode runs from the sources. Either way the exit code is queue
 * mode's; a failure to start is a temporary one.
 *
 * @module
 */

import { runQueueProcess } from "./entry.ts";
import { DkSigner } from "../dk/sign.ts";
import { finishSigning } from "../dk/sign_message.ts";
import { parsePrivateKeyPem } from "../crypto/keys.ts";
import { DkVerifier } from "../dk/verify.ts";
import { resolverFromOptions } from "../dns/select.ts";
import { loadBackend } from "../crypto/load.ts";
import { wasmBackend } from "../crypto/wasm.ts";
import { importSource, SOURCE_ROOT } from "../source.ts";
import { QUEUE_EXIT } from "../status.ts";
import type { DkimModules, SchemeModules } from "./scheme_modules.ts";
import { lazySchemeModules } from "./scheme_modules.ts";
import { parseManifest, stampsMatch } from "./bundle_manifest.ts";

/** The sources' manifest; `scripts/prepare.ts` replaces this placeholder. */
const MANIFEST: string = "@@DK_QUEUE_MANIFEST@@";

/**
 * The linked code: DomainKeys' signing and verifying, and `dkim` when the
 * entry links the DKIM run (else it is loaded from the sources on demand).
 */
function linked(dkim?: DkimModules): SchemeModules {
  return {
    sign: () =>
      Promise.resolve({ DkSigner, finishSigning, parsePrivateKeyPem }),
    verify: () =>
      Promise.resolve({
        DkVerifier,
        resolverFromOptions,
        loadBackend: (value?: string) =>
          loadBackend(value, { wasm: wasmBackend }),
      }),
    dkim: dkim ? () => Promise.resolve(dkim) : lazySchemeModules.dkim,
  };
}

/**
 * True when this is a built bundle whose sources are all unchanged. One
 * synchronous stat per source, by path (a URL costs twice as much): about
 * 25 µs each.
 */
function fresh(): boolean {
  if (MANIFEST.charAt(0) !== "{") return false;
  const stamps = parseManifest(MANIFEST);
  const root = decodeURIComponent(SOURCE_ROOT.pathname);
  return stamps !== null && stampsMatch(stamps, (path) => {
    try {
      const info = Deno.statSync(root + path);
      return { size: info.size, mtime: info.mtime?.getTime() ?? NaN };
    } catch {
      return null;
    }
  });
}

/**
 * Runs queue mode from the bundle (with the linked code, `dkim` included
 * when given) while its sources are unchanged, else from the sources;
 * resolves to the exit code, a temporary one when nothing can start.
 */
export async function runBundle(dkim?: DkimModules): Promise<number> {
  try {
    const argv0 = Deno.env.get("DK_ARGV0") ?? "qmail-queue";
    if (fresh()) return await runQueueProcess(argv0, linked(dkim));
    const source = await importSource<typeof import("./entry.ts")>(
      "core/queue/entry.ts",
    );
    return await source.runQueueProcess(argv0);
  } catch {
    return QUEUE_EXIT.internalBug;
  }
}
