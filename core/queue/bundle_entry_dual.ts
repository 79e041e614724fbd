/**
 * The dual queue bundle's entry (`dist/queue-dual.js`, built by
 * `scripts/dk --prepare`): what the launcher runs when DKIM is active and
 * DomainKeys signs or verifies in the same run (dkim.md 6.11), with both
 * linked; see `bundle_run.ts`.
 *
 * @module
 */

import { runBundle } from "./bundle_run.ts";
import { LINKED_DK } from "./linked_dk.ts";
import { runWithDkim } from "./run_dkim.ts";

if (import.meta.main) {
  Deno.exit(
    await runBundle({
      ...LINKED_DK,
      dkim: () => Promise.resolve({ runWithDkim }),
    }),
  );
}
