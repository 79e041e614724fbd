import { assert, assertStrictEquals } from "../../tests/helpers/assert.ts";
import {
  baseName,
  DKIM_ACTIVATING,
  DKIM_IGNORED,
  DKIM_IGNORED_GENERIC,
  DKIM_VARIABLES,
  inControlDir,
} from "./dkim_env.ts";

Deno.test("inControlDir() keeps absolute paths and puts relative ones under CONTROLDIR", () => {
  assertStrictEquals(
    inControlDir("/var/qmail/control", "domainkeys/%/default"),
    "/var/qmail/control/domainkeys/%/default",
  );
  assertStrictEquals(inControlDir("/c/", "k"), "/c/k");
  assertStrictEquals(inControlDir("/", "k"), "/k");
  assertStrictEquals(inControlDir("/c", "/etc/k"), "/etc/k");
  assertStrictEquals(inControlDir("/c", ""), "");
});

Deno.test("baseName() is the part after the last slash", () => {
  assertStrictEquals(baseName("/var/qmail/bin/qmail-dkim"), "qmail-dkim");
  assertStrictEquals(baseName("cat"), "cat");
  assertStrictEquals(baseName("/bin/"), "");
});

Deno.test("the DKIM variable lists hold 6.1's switches, and no ignored name is read", () => {
  for (const name of DKIM_ACTIVATING) assert(DKIM_VARIABLES.includes(name));
  for (const name of Object.keys(DKIM_IGNORED)) {
    assert(!DKIM_VARIABLES.includes(name), name);
  }
  for (const name of DKIM_IGNORED_GENERIC) {
    assert(Object.hasOwn(DKIM_IGNORED, name), name);
  }
});
