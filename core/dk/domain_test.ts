import { assertEquals } from "../../tests/helpers/assert.ts";
import { domainMatches, isSelector, safeDomain } from "./domain.ts";

const DOMAINS: [string, string | null][] = [
  ["example.com", "example.com"],
  ["Example.COM", "example.com"],
  ["example.com.", "example.com"],
  ["mail-1.example.co.uk", "mail-1.example.co.uk"],
  ["localhost", null],
  ["../../etc", null],
  ["a/b.example", null],
  ["", null],
  ["exa mple.com", null],
  ["-bad.example", null],
  ["bad-.example", null],
  ["a..b", null],
  ["[192.0.2.1]", null],
  ["ex\u00e4mple.com", null],
  [`${"a".repeat(64)}.example`, null],
  [`${"a".repeat(60)}.`.repeat(5) + "com", null],
];

for (const [raw, expected] of DOMAINS) {
  Deno.test(`safeDomain(${JSON.stringify(raw.slice(0, 40))}) is ${expected}`, () => {
    assertEquals(safeDomain(raw), expected);
  });
}

Deno.test("isSelector() takes DNS labels of any case and refuses the rest", () => {
  assertEquals(
    ["private", "s2048", "Sel.sub", "a-b"].map(isSelector),
    [true, true, true, true],
  );
  assertEquals(
    ["", "a b", "a/b", "-a", "a..b", "ä"].map(isSelector),
    [false, false, false, false, false, false],
  );
});

Deno.test("domainMatches() accepts d= itself and parents, not children (RFC 4870 3.3)", () => {
  assertEquals(domainMatches("mail.example.com", "example.com"), true);
  assertEquals(domainMatches("EXAMPLE.com", "example.COM"), true);
  assertEquals(domainMatches("example.com", "mail.example.com"), false);
  assertEquals(domainMatches("badexample.com", "example.com"), false);
});

Deno.test("domainMatches() drops one trailing dot on either side, as signing does", () => {
  assertEquals(domainMatches("EXAMPLE.COM.", "example.com"), true);
  assertEquals(domainMatches("example.com", "example.com."), true);
  assertEquals(domainMatches("mail.example.com.", "Example.com"), true);
  assertEquals(domainMatches("example.com..", "example.com"), false);
  assertEquals(domainMatches("example.com", "."), false);
  assertEquals(
    domainMatches("example.com.", safeDomain("EXAMPLE.COM.")!),
    true,
  );
});
