import { assertEquals } from "../../tests/helpers/assert.ts";
import { lineEndOf, LineEndSniffer } from "./line_end.ts";

function sniff(...parts: string[]): string {
  const s = new LineEndSniffer();
  for (const p of parts) s.update(new TextEncoder().encode(p));
  return s.lineEnd;
}

Deno.test("LineEndSniffer takes the first line's end, across chunk boundaries", () => {
  assertEquals(sniff("From: a\n"), "\n");
  assertEquals(sniff("From: a\r\nX: b\n"), "\r\n");
  assertEquals(sniff("From: a\r", "\nX"), "\r\n");
  assertEquals(sniff("From: a", "\r", "", "\n"), "\r\n");
  assertEquals(sniff("From: a\r", "x\n"), "\n");
  assertEquals(sniff("From: a\n", "\r\n"), "\n");
  assertEquals(sniff(""), "\n");
  assertEquals(sniff("no line end"), "\n");
});

Deno.test("lineEndOf() takes the first line's end of a whole message", () => {
  const enc = (s: string) => new TextEncoder().encode(s);
  assertEquals(lineEndOf(enc("From: a\r\nX: b\n")), "\r\n");
  assertEquals(lineEndOf(enc("From: a\nX: b\r\n\r\nbody\r\n")), "\n");
  assertEquals(lineEndOf(enc("")), "\n");
});
