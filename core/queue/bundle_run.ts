/**
 * What the queue bundles run: `scripts/dk --prepare` bundles each entry
 * into one file, which the launcher runs in queue mode: `bundle_entry.ts` →
 * `dist/queue.js` (DomainKeys only), `bundle_entry_dkim.ts` →
 * `dist/queue-dkim.js` (DKIM only) and `bundle_entry_dual.ts` →
 * `dist/queue-dual.js` (both), so that a host loads only the code of the
 * schemes it runs (dkim.md 6.1, 6.15). Queue
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
import { importSource, SOURCE_ROOT } from "../source.ts";
import { QUEUE_EXIT } from "../status.ts";
import type { SchemeModules } from "./scheme_modules.ts";
import { parseManifest, stampsMatch } from "./bundle_manifest.ts";

/** The sources' manifest; `scripts/prepare.ts` replaces this placeholder. */
const MANIFEST: string = "@@DK_QUEUE_MANIFEST@@";

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
 * Runs queue mode from the bundle, with the code its entry `linked` (what
 * it did not link, it loads from the sources on demand), while its sources
 * are unchanged, else wholly from the sources; resolves to the exit code, a
 * temporary one when nothing can start.
 */
export async function runBundle(linked: SchemeModules): Promise<number> {
  try {
    const argv0 = Deno.env.get("DK_ARGV0") ?? "qmail-queue";
    if (fresh()) return await runQueueProcess(argv0, linked);
    const source = await importSource<typeof import("./entry.ts")>(
      "core/queue/entry.ts",
    );
    return await source.runQueueProcess(argv0);
  } catch {
    return QUEUE_EXIT.internalBug;
  }
}
