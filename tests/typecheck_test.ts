/**
 * The type check reaches every file: `scripts/check-types` (which
 * `scripts/test` runs) must name each `.ts` file a walk of the tree finds,
 * including the commands that `main.ts` imports only by computed URL.
 */

import { assertEquals } from "./helpers/assert.ts";
import { ROOT } from "./helpers/mail_dkim.ts";
import { allModules } from "./helpers/modules.ts";

Deno.test("scripts/check-types checks every TypeScript file in the tree", async () => {
  const result = await new Deno.Command(`${ROOT}/scripts/check-types`, {
    args: ["--list"],
    stdout: "piped",
  }).output();
  assertEquals(result.code, 0);
  const listed = new TextDecoder().decode(result.stdout).trim().split("\n")
    .sort();
  assertEquals(listed, await allModules());
});

Deno.test("scripts/test runs scripts/check-types", async () => {
  const test = await Deno.readTextFile(`${ROOT}/scripts/test`);
  assertEquals(/^step scripts\/check-types$/m.test(test), true);
});
