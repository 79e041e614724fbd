import fc from "fast-check";
import { assertEquals } from "../tests/helpers/assert.ts";
import { concat, joinBytes, latin1 } from "./bytes.ts";

/** One char per byte, the plain way. */
function reference(bytes: Uint8Array): string {
  let out = "";
  for (const b of bytes) out += String.fromCharCode(b);
  return out;
}

Deno.test("latin1() gives one char per byte, short or long, ASCII or not", () => {
  const all = Uint8Array.from({ length: 256 }, (_, i) => i);
  assertEquals(latin1(all), reference(all));
  for (const length of [0, 1, 47, 48, 49, 200, 0x8000 + 3]) {
    const ascii = new Uint8Array(length).map((_, i) => (i * 7) & 0x7f);
    assertEquals(latin1(ascii), reference(ascii), `ASCII, ${length}`);
    if (length === 0) continue;
    for (const at of [0, length >> 1, length - 1]) {
      for (const high of [0x80, 0xa0, 0xef, 0xff]) {
        const mixed = ascii.slice();
        mixed[at] = high;
        assertEquals(
          latin1(mixed),
          reference(mixed),
          `${length} ${at} ${high}`,
        );
      }
    }
  }
  // A UTF-8 byte order mark and a UTF-8 sequence stay three bytes each.
  const bom = new Uint8Array([
    0xef,
    0xbb,
    0xbf,
    ...new Uint8Array(60).fill(97),
  ]);
  assertEquals(latin1(bom), reference(bom));
});

Deno.test("latin1() agrees with the plain decoding on any bytes", () => {
  fc.assert(
    fc.property(
      fc.oneof(
        fc.uint8Array({ maxLength: 300 }),
        fc.uint8Array({ maxLength: 300, max: 0x7f }),
      ),
      (bytes) => assertEquals(latin1(bytes), reference(bytes)),
    ),
    { numRuns: 500 },
  );
});

Deno.test("concat() and joinBytes() join in order into a new array", () => {
  const a = new Uint8Array([1, 2]);
  const b = new Uint8Array([3]);
  assertEquals(concat(a, b), new Uint8Array([1, 2, 3]));
  assertEquals(joinBytes([]), new Uint8Array());
});
