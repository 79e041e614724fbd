import { assertEquals } from "../../tests/helpers/assert.ts";
import { LineBuffer } from "./line_buffer.ts";

const td = new TextDecoder();

function recorder() {
  const writes: string[] = [];
  return { writes, write: (b: Uint8Array) => writes.push(td.decode(b)) };
}

Deno.test("LineBuffer writes lines with their newlines together once the limit is reached, and on flush()", () => {
  const r = recorder();
  const out = new LineBuffer(10, r.write);
  out.push("abc");
  out.push("déf");
  assertEquals(r.writes, []);
  out.push("ghij"); // 4 + 5 + 5 bytes: past 10
  assertEquals(r.writes, ["abc\ndéf\nghij\n"]);
  out.push("k");
  out.flush();
  out.flush();
  assertEquals(r.writes, ["abc\ndéf\nghij\n", "k\n"]);
});

Deno.test("LineBuffer writes each line at once with limit 0, and a line longer than its room alone, in order", () => {
  const r = recorder();
  const now = new LineBuffer(0, r.write);
  now.push("a");
  now.push("");
  assertEquals(r.writes, ["a\n", "\n"]);
  const s = recorder();
  const out = new LineBuffer(16, s.write);
  out.push("x");
  const long = "€".repeat(5000);
  out.push(long);
  out.push("y");
  out.flush();
  assertEquals(s.writes, ["x\n", `${long}\n`, "y\n"]);
});

Deno.test("LineBuffer encodes as TextEncoder does: a lone surrogate is U+FFFD", () => {
  const r = recorder();
  const out = new LineBuffer(1024, r.write);
  out.push("a\ud800b");
  out.flush();
  assertEquals(r.writes, ["a\ufffdb\n"]);
});
