import { assertEquals } from "../../tests/helpers/assert.ts";
import {
  addressValue,
  isToken,
  propertyValue,
  quotedString,
  readQuoted,
  reasonText,
  skipCfws,
} from "./ar_syntax.ts";

Deno.test("isToken() takes printable ASCII without space and RFC 2045's tspecials", () => {
  const cases: [string, boolean][] = [
    ["rsa-sha256", true],
    ["Ak9x+3mQ", true],
    ["s_2026.x", true],
    ["9/dsDChY", false],
    ["abc=", false],
    ["a b", false],
    ["a;b", false],
    ["@example.com", false],
    ["", false],
    ["caf\xe9", false],
    ["tab\there", false],
  ];
  for (const [text, want] of cases) assertEquals(isToken(text), want, text);
});

Deno.test("quotedString() escapes quote and backslash, refuses what a quoted string cannot carry", () => {
  assertEquals(quotedString('a"b\\c d'), '"a\\"b\\\\c d"');
  assertEquals(quotedString(""), '""');
  assertEquals(quotedString("caf\xe9"), null);
  assertEquals(quotedString("line\nend"), null);
});

Deno.test("propertyValue() writes tokens bare, quotes the rest, drops empty and 8-bit values", () => {
  assertEquals(propertyValue("football.example.com"), "football.example.com");
  assertEquals(propertyValue("9/dsDChY"), '"9/dsDChY"');
  assertEquals(propertyValue("ab=="), '"ab=="');
  assertEquals(propertyValue(""), null);
  assertEquals(propertyValue("s\x01"), null);
});

Deno.test("addressValue() writes dot-atom@domain-name bare and quotes every other address whole", () => {
  const cases: [string, string, string | null][] = [
    ["", "example.com", "@example.com"],
    ["joe.q", "example.com", "joe.q@example.com"],
    ["joe+tag", "mail.example.com", "joe+tag@mail.example.com"],
    ["joe q", "example.com", '"joe q@example.com"'],
    ['a"b', "example.com", '"a\\"b@example.com"'],
    ["joe..q", "example.com", '"joe..q@example.com"'],
    ["joe", "localhost", '"joe@localhost"'],
    ["joe", "ex_ample.com", '"joe@ex_ample.com"'],
    ["j\xf6e", "example.com", null],
  ];
  for (const [local, domain, want] of cases) {
    assertEquals(addressValue(local, domain), want, `${local}@${domain}`);
  }
});

Deno.test("reasonText() drops quotes and backslashes, blanks line ends, marks 8-bit, cuts at 60", () => {
  assertEquals(
    reasonText('key "x" \\ bad\tstuff\r\n caf\xe9  end '),
    "key x bad stuff caf? end",
  );
  assertEquals(reasonText("x".repeat(70)), "x".repeat(60));
  assertEquals(reasonText("a".repeat(59) + " b"), "a".repeat(59));
  assertEquals(reasonText(' "\\" '), "");
  assertEquals(reasonText("abcdef", 3), "abc");
});

Deno.test("skipCfws() passes whitespace and nested comments, -1 for an open comment", () => {
  assertEquals(skipCfws("  (a (b) \\) c)\t x", 0), 16);
  assertEquals(skipCfws("x", 0), 0);
  assertEquals(skipCfws(" ( ", 0), -1);
  assertEquals(skipCfws(" \r\n ", 0), 4);
});

Deno.test("readQuoted() undoes quoted pairs and needs the closing quote", () => {
  assertEquals(readQuoted('"a\\"b" rest', 0), { value: 'a"b', end: 6 });
  assertEquals(readQuoted('"open', 0), null);
  assertEquals(readQuoted('"ends in \\', 0), null);
});
