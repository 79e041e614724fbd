import { assertEquals } from "../../tests/helpers/assert.ts";
import { HeaderCollector, MAX_HEADER_BYTES } from "./header.ts";

const te = new TextEncoder();

function collect(text: string, chunk: number) {
  const c = new HeaderCollector();
  const bytes = te.encode(text);
  for (let i = 0; i < bytes.length; i += chunk) {
    const at = c.push(bytes.subarray(i, i + chunk));
    if (at >= 0) {
      return { header: new TextDecoder().decode(c.bytes()), body: i + at };
    }
  }
  return { header: new TextDecoder().decode(c.bytes()), body: -1 };
}

const CASES: [string, string, string, number][] = [
  ["LF", "A: 1\nB: 2\n\nbody\n", "A: 1\nB: 2\n", 11],
  ["CRLF", "A: 1\r\n\r\nbody", "A: 1\r\n", 8],
  ["mixed", "A: 1\r\nB: 2\n\r\nx", "A: 1\r\nB: 2\n", 13],
  ["empty first line", "\nbody", "", 1],
  ["no empty line", "A: 1\nB: 2\n", "A: 1\nB: 2\n", -1],
  ["lone CR is not an empty line", "A: 1\n\rX: 2\n\nb", "A: 1\n\rX: 2\n", 12],
];

for (const [name, text, header, body] of CASES) {
  Deno.test(`HeaderCollector finds the end of a ${name} header section in any chunking`, () => {
    for (const chunk of [1, 2, 3, 1000]) {
      assertEquals(collect(text, chunk), { header, body }, `chunk ${chunk}`);
    }
  });
}

Deno.test("HeaderCollector stops collecting past 1 MiB and says so", () => {
  const c = new HeaderCollector();
  const line = te.encode("X: " + "a".repeat(1000) + "\n");
  for (let i = 0; i < 1100; i++) c.push(line);
  assertEquals(c.overflow, true);
  assertEquals(c.bytes().length, MAX_HEADER_BYTES);
});
