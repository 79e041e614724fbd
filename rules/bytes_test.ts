import { assertEquals, assertStrictEquals } from "../tests/helpers/assert.ts";
import { fromBytes, fromText, quote, toBytes, toText } from "./bytes.ts";

Deno.test("fromBytes() and toBytes() round-trip every byte value", () => {
  const all = new Uint8Array(70000).map((_, i) => i % 256);
  const s = fromBytes(all);
  assertStrictEquals(s.length, all.length);
  assertStrictEquals(s.charCodeAt(255), 255);
  assertEquals(toBytes(s), all);
});

Deno.test("fromText() encodes UTF-8 and toText() decodes it", () => {
  assertStrictEquals(fromText("é"), "\xc3\xa9");
  assertStrictEquals(toText("\xc3\xa9"), "é");
});

Deno.test("quote() escapes quotes, control characters and high bytes", () => {
  assertStrictEquals(quote('a"b\\c'), '"a\\"b\\\\c"');
  assertStrictEquals(quote("x\r\n\t\0\x1b\xff"), '"x\\r\\n\\t\\0\\x1b\\xff"');
  assertStrictEquals(quote("abcdef", 3), '"abc…"');
});
