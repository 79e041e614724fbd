import { assertEquals } from "../../tests/helpers/assert.ts";
import { parsePolicy } from "./policy.ts";

Deno.test("parsePolicy() reads o=, t=, r= and n=", () => {
  assertEquals(parsePolicy("t=y; o=-; r=postmaster@example.com; n=hi"), {
    ok: true,
    value: {
      allSigned: true,
      testing: true,
      report: "postmaster@example.com",
      notes: "hi",
    },
  });
  const empty = parsePolicy("");
  assertEquals(empty.ok && [empty.value.allSigned, empty.value.testing], [
    false,
    false,
  ]);
});

Deno.test("parsePolicy() refuses bad syntax and unknown o= values", () => {
  assertEquals(parsePolicy("o=!").ok, false);
  assertEquals(parsePolicy("o=~; o=-").ok, false);
  assertEquals(parsePolicy('"o=~"').ok, false);
});
