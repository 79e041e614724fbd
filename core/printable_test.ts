import { assertEquals } from "../tests/helpers/assert.ts";
import { printable } from "./printable.ts";

Deno.test("printable() keeps printable ASCII and escapes everything else as \\xHH", () => {
  assertEquals(printable("a b~"), "a b~");
  assertEquals(printable("\x1b[31m\r\n\x7f"), "\\x1b[31m\\x0d\\x0a\\x7f");
  assertEquals(printable("é☺😀"), "\\xe9\\x263a\\x1f600");
});

Deno.test("printable() cuts at max characters with ..., 80 unless given", () => {
  assertEquals(printable("x".repeat(100)), "x".repeat(80) + "...");
  assertEquals(printable("x".repeat(100), Infinity), "x".repeat(100));
  assertEquals(printable("abcdef", 3), "abc...");
  assertEquals(printable("\x01\x02", 5), "\\x01\\...");
  assertEquals(printable("abc", 3), "abc");
});
