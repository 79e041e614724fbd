import fc from "fast-check";
import { assertEquals } from "../../tests/helpers/assert.ts";
import {
  decodeBase64,
  decodeBase64Strict,
  decodeBase64StrictBytes,
  encodeBase64,
} from "./base64.ts";

const te = new TextEncoder();

// RFC 4648 section 10 test vectors.
const VECTORS: [string, string][] = [
  ["", ""],
  ["f", "Zg=="],
  ["fo", "Zm8="],
  ["foo", "Zm9v"],
  ["foob", "Zm9vYg=="],
  ["fooba", "Zm9vYmE="],
  ["foobar", "Zm9vYmFy"],
];

Deno.test("encodeBase64() and decodeBase64Strict() follow the RFC 4648 vectors", () => {
  for (const [plain, coded] of VECTORS) {
    assertEquals(encodeBase64(te.encode(plain)), coded);
    assertEquals(decodeBase64Strict(coded), te.encode(plain));
    assertEquals(
      decodeBase64Strict(coded.replace(/=+$/, "")),
      te.encode(plain),
    );
  }
});

Deno.test("decodeBase64Strict() refuses whitespace, bad characters, bad padding and lengths", () => {
  for (
    const bad of [
      "Zm9v Yg==",
      "Zm9v\nYg==",
      "Zm9v!g==",
      "Zg=a",
      "Z",
      "Zm9vY",
      "Zg=",
      "=Zg=",
    ]
  ) {
    assertEquals(decodeBase64Strict(bad), null, JSON.stringify(bad));
  }
});

Deno.test("encodeBase64() and decodeBase64() round-trip every byte value", () => {
  const all = Uint8Array.from({ length: 256 * 3 }, (_, i) => i & 0xff);
  assertEquals(decodeBase64(encodeBase64(all)), all);
});

Deno.test("encodeBase64() without the runtime's toBase64 gives the same text", () => {
  for (const length of [0, 1, 2, 3, 100, 0x8000 + 5]) {
    const bytes = new Uint8Array(length).map((_, i) => (i * 37 + 11) & 0xff);
    const plain = bytes.slice();
    Object.defineProperty(plain, "toBase64", { value: undefined });
    assertEquals(encodeBase64(plain), encodeBase64(bytes), `length ${length}`);
  }
});

/** decodeBase64Strict() as it was written first: regular expressions, then the runtime's decoder. */
function referenceStrict(text: string): Uint8Array | null {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text)) return null;
  const unpadded = text.replace(/=+$/, "");
  if (unpadded.length % 4 === 1) return null;
  if (text.length !== unpadded.length && text.length % 4 !== 0) return null;
  try {
    return decodeBase64(unpadded);
  } catch {
    return null;
  }
}

Deno.test("decodeBase64Strict() and decodeBase64StrictBytes() agree with the regular-expression reference on any text", () => {
  const alphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  const near = [...alphabet, "=", "=", "=", " ", "\t", "\n", "-", "_", "*"];
  const text = fc.oneof(
    fc.string(),
    fc.array(fc.constantFrom(...near), { maxLength: 40 }).map((a) =>
      a.join("")
    ),
    fc.uint8Array({ maxLength: 40 }).map(encodeBase64),
    fc.tuple(fc.uint8Array({ maxLength: 40 }), fc.nat(3)).map(([b, cut]) =>
      encodeBase64(b).replace(/=+$/, "") + "=".repeat(cut)
    ),
    fc.fullUnicodeString(),
    fc.array(fc.integer({ min: 0, max: 255 })).map((codes) =>
      String.fromCharCode(...codes)
    ),
  );
  fc.assert(
    fc.property(text, (t) => {
      const want = referenceStrict(t);
      assertEquals(decodeBase64Strict(t), want, JSON.stringify(t));
      if ([...t].every((c) => c.charCodeAt(0) <= 0xff)) {
        const bytes = Uint8Array.from(t, (c) => c.charCodeAt(0));
        assertEquals(decodeBase64StrictBytes(bytes), want, JSON.stringify(t));
      }
    }),
    { numRuns: 3000 },
  );
});

Deno.test("decodeBase64Strict() ignores the bits past the last whole byte", () => {
  assertEquals(decodeBase64Strict("Zh"), new Uint8Array([0x66]));
  assertEquals(decodeBase64Strict("Zh=="), new Uint8Array([0x66]));
  assertEquals(decodeBase64Strict("Zm9"), te.encode("fo"));
  assertEquals(decodeBase64Strict("Zm9="), te.encode("fo"));
  assertEquals(decodeBase64Strict("Zm9v\u0100"), null);
});
