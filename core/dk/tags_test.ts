import { assertEquals } from "../../tests/helpers/assert.ts";
import { parseTagList } from "./tags.ts";
import { printable } from "../printable.ts";

Deno.test("parseTagList() reads pairs, drops whitespace in values, allows a trailing ;", () => {
  const r = parseTagList(" a=rsa-sha1; b=AB C\r\n\tDE ;c=nofws;");
  assertEquals(r.ok && [...r.value], [["a", "rsa-sha1"], ["b", "ABCDE"], [
    "c",
    "nofws",
  ]]);
});

Deno.test("parseTagList() keeps unknown tags and empty values", () => {
  const r = parseTagList("z=1; p=");
  assertEquals(r.ok && [...r.value], [["z", "1"], ["p", ""]]);
});

const BAD: [string, string][] = [
  ["a=1; a=2", 'tag "a" given twice'],
  ["A=1", 'bad tag name "A"'],
  ["ab=1", 'bad tag name "ab"'],
  ["=1", 'bad tag name ""'],
  ["a=1; b", 'tag without "=": "b"'],
];

for (const [text, error] of BAD) {
  Deno.test(`parseTagList() refuses ${JSON.stringify(text)}`, () => {
    assertEquals(parseTagList(text), { ok: false, error });
  });
}

Deno.test("printable() escapes control and non-ASCII characters and cuts long text", () => {
  assertEquals(printable("a\nb\x00\u00e9"), "a\\x0ab\\x00\\xe9");
  assertEquals(printable("x".repeat(100), 10), "xxxxxxxxxx...");
});
