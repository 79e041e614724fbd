/**
 * The DKIM queue bundle's entry (`dist/queue-dkim.js`, built by
 * `scripts/dk --prepare`): what the launcher runs when DKIM is active and
 * DomainKeys will not run (dkim.md 6.1, 6.15). It links the DKIM run and no
 * DomainKeys code, which it would load from the sources if asked; see
 * `bundle_run.ts`.
 *
 * @module
 */

import { runBundle } from "./bundle_run.ts";
import { runWithDkim } from "./run_dkim.ts";
import { lazySchemeModules } from "./scheme_modules.ts";

if (import.meta.main) {
  Deno.exit(
    await runBundle({
      sign: lazySchemeModules.sign,
      verify: lazySchemeModules.verify,
      dkim: () => Promise.resolve({ runWithDkim }),
    }),
  );
}
