/**
 * The DomainKeys queue bundle's entry (`dist/queue.js`, built by
 * `scripts/dk --prepare`): what a host with only DomainKeys variables runs.
 * It links no DKIM code (dkim.md 6.1); see `bundle_run.ts`.
 *
 * @module
 */

import { runBundle } from "./bundle_run.ts";
import { LINKED_DK } from "./linked_dk.ts";
import { lazySchemeModules } from "./scheme_modules.ts";

if (import.meta.main) {
  Deno.exit(await runBundle({ ...LINKED_DK, dkim: lazySchemeModules.dkim }));
}
