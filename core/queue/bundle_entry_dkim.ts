/**
 * The DKIM queue bundle's entry (`dist/queue-dkim.js`, built by
 * `scripts/dk --prepare`): what the launcher runs when DKIM is active
 * (dkim.md 6.1, 6.15), with the DKIM run linked in; see `bundle_run.ts`.
 *
 * @module
 */

import { runBundle } from "./bundle_run.ts";
import { runWithDkim } from "./run_dkim.ts";

if (import.meta.main) {
  Deno.exit(await runBundle({ runWithDkim }));
}
