import { assertEquals } from "../../tests/helpers/assert.ts";
import { policyValue, selectorLabel, selectorValue } from "./records.ts";

Deno.test("selectorValue() and selectorLabel() give the selector record", () => {
  assertEquals(selectorValue("MIGf"), "k=rsa; p=MIGf");
  assertEquals(selectorLabel("s2048"), "s2048._domainkey");
});

Deno.test("policyValue() defaults to o=~ and accepts only o, t, r, n", () => {
  assertEquals(policyValue(), { ok: true, value: "o=~" });
  assertEquals(policyValue("t=y; o=-"), { ok: true, value: "t=y; o=-" });
  assertEquals(policyValue(" o = - ;r=postmaster@example.com;"), {
    ok: true,
    value: "o=-; r=postmaster@example.com",
  });
  const bad: [string, string][] = [
    ["o=+", "o= must be ~ or -"],
    ["t=n", "t= must be y (leave it out to end testing)"],
    ["g=x", "tag g= is not a policy tag (o, t, r, n)"],
    ["o=~; o=-", 'tag "o" given twice'],
    ["O=~", 'bad tag name "O"'],
    ["o", 'tag without "=": "o"'],
    ["", "no tags (the default is o=~)"],
    ['n="x"', "quotes and backslashes are not allowed"],
    ["n=\x1b[31m", "only printable ASCII is allowed"],
  ];
  for (const [text, why] of bad) {
    const r = policyValue(text);
    if (r.ok || !r.error.endsWith(`: ${why}`)) {
      throw new Error(`${text}: ${JSON.stringify(r)}`);
    }
  }
});
