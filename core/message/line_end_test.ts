import { assertEquals } from "../../tests/helpers/assert.ts";
import { lineEndOf, LineEndSniffer, writeCrlfField } from "./line_end.ts";

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

Deno.test("writeCrlfField() makes every line end CRLF and ends the field with exactly one", () => {
  const enc = (s: string) => new TextEncoder().encode(s);
  const write = (s: string) => {
    const out = new Uint8Array(2 * s.length + 2);
    return new TextDecoder().decode(
      out.subarray(0, writeCrlfField(enc(s), out, 0)),
    );
  };
  assertEquals(write("Subject: a\n b\n"), "Subject: a\r\n b\r\n");
  assertEquals(write("Subject: a\r\n b\r\n"), "Subject: a\r\n b\r\n");
  assertEquals(write("Subject: a"), "Subject: a\r\n");
  assertEquals(write("X: a\rb\n"), "X: a\rb\r\n");
});
