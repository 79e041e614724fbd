import { assertEquals } from "../../tests/helpers/assert.ts";
import { decodeBase64, decodeBase64Strict, encodeBase64 } from "./base64.ts";

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
