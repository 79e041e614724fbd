import { assertEquals } from "../../tests/helpers/assert.ts";
import { isAtOrBelow, isHostName, toALabels } from "./domain_name.ts";

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
