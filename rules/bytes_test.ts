import { deepStrictEqual, strictEqual } from "node:assert/strict";
import { fromBytes, fromText, quote, toBytes, toText } from "./bytes.ts";

Deno.test("fromBytes() and toBytes() round-trip every byte value", () => {
  const all = new Uint8Array(70000).map((_, i) => i % 256);
  const s = fromBytes(all);
  strictEqual(s.length, all.length);
  strictEqual(s.charCodeAt(255), 255);
  deepStrictEqual(toBytes(s), all);
});

Deno.test("fromText() encodes UTF-8 and toText() decodes it", () => {
  strictEqual(fromText("é"), "\xc3\xa9");
  strictEqual(toText("\xc3\xa9"), "é");
});

Deno.test("quote() escapes quotes, control characters and high bytes", () => {
  strictEqual(quote('a"b\\c'), '"a\\"b\\\\c"');
  strictEqual(quote("x\r\n\t\0\x1b\xff"), '"x\\r\\n\\t\\0\\x1b\\xff"');
  strictEqual(quote("abcdef", 3), '"abc…"');
});
