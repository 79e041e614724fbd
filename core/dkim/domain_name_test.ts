import fc from "fast-check";
import { assertEquals } from "../../tests/helpers/assert.ts";
import {
  isALabelName,
  isAtOrBelow,
  isHostName,
  toALabels,
} from "./domain_name.ts";

const l1 = (s: string) => String.fromCharCode(...new TextEncoder().encode(s));

Deno.test("toALabels() lowercases ASCII and converts U-labels by IDNA", () => {
  assertEquals(toALabels("Example.COM."), "example.com");
  assertEquals(toALabels("example.com.", false), null);
  assertEquals(toALabels(l1("bücher.example")), "xn--bcher-kva.example");
  assertEquals(toALabels(l1("a\uff0eb")), "a.b"); // full-width dot
  assertEquals(toALabels("_dmarc.example"), "_dmarc.example");
  for (const bad of ["ü@evil.com", "ü b.com", "ü/x.com", "ü%41.com"]) {
    assertEquals(toALabels(l1(bad)), null, bad);
  }
  assertEquals(toALabels("b\xfccher.example"), null); // latin1, not UTF-8
  assertEquals(toALabels("a..b"), null);
  assertEquals(toALabels("a".repeat(64) + ".com"), null);
  assertEquals(toALabels("a.b c"), null);
});

Deno.test("isHostName() wants two labels of [a-z0-9-]; isAtOrBelow() labels", () => {
  assertEquals(isHostName("example.com"), true);
  assertEquals(isHostName("com"), false);
  assertEquals(isHostName("_x.example.com"), false);
  assertEquals(isHostName("-a.example.com"), false);
  assertEquals(isAtOrBelow("a.example.com", "example.com"), true);
  assertEquals(isAtOrBelow("badexample.com", "example.com"), false);
});

Deno.test("isALabelName() agrees with a label-by-label reading", () => {
  const reference = (name: string) =>
    name.length >= 1 && name.length <= 253 &&
    name.split(".").every((label) => /^[a-z0-9_-]{1,63}$/.test(label));
  const label = fc.oneof(
    fc.constantFrom("a", "b-c", "_x", "", "A", "é", " ", "\n"),
    fc.integer({ min: 60, max: 66 }).map((n) => "a".repeat(n)),
  );
  fc.assert(
    fc.property(
      fc.array(label, { maxLength: 6 }).map((l) => l.join(".")),
      (name) => assertEquals(isALabelName(name), reference(name), name),
    ),
    { numRuns: 2000 },
  );
  assertEquals(isALabelName("a.".repeat(126) + "a"), true);
  assertEquals(isALabelName("a.".repeat(127)), false);
  assertEquals(isALabelName("a\n"), false);
});
