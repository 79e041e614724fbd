import { assertEquals } from "../../tests/helpers/assert.ts";
import { constantTimeEqual, emsaPkcs1v15 } from "./pkcs1.ts";
import { toHex } from "./_testing.ts";

Deno.test("emsaPkcs1v15() builds 00 01 FF…FF 00 DigestInfo digest (RFC 8017 9.2)", () => {
  const digest = new Uint8Array(20).fill(0xab);
  const block = emsaPkcs1v15("sha1", digest, 64)!;
  assertEquals(
    toHex(block),
    "0001" + "ff".repeat(26) + "00" + "3021300906052b0e03021a05000414" +
      "ab".repeat(20),
  );
  const block256 = emsaPkcs1v15("sha256", new Uint8Array(32).fill(1), 128)!;
  assertEquals(
    toHex(block256.subarray(128 - 51)),
    "3031300d060960864801650304020105000420" + "01".repeat(32),
  );
  assertEquals(block256[128 - 51 - 1], 0);
  assertEquals(block256[128 - 51 - 2], 0xff);
});

Deno.test("emsaPkcs1v15() returns null for a wrong digest length or fewer than 8 FF bytes", () => {
  assertEquals(emsaPkcs1v15("sha1", new Uint8Array(32), 128), null);
  assertEquals(emsaPkcs1v15("sha256", new Uint8Array(20), 128), null);
  assertEquals(emsaPkcs1v15("sha1", new Uint8Array(20), 45), null);
  assertEquals(emsaPkcs1v15("sha1", new Uint8Array(20), 46)?.length, 46);
});

Deno.test("constantTimeEqual() compares whole arrays and lengths", () => {
  assertEquals(
    constantTimeEqual(Uint8Array.of(1, 2, 3), Uint8Array.of(1, 2, 3)),
    true,
  );
  assertEquals(
    constantTimeEqual(Uint8Array.of(1, 2, 3), Uint8Array.of(1, 2, 4)),
    false,
  );
  assertEquals(
    constantTimeEqual(Uint8Array.of(9, 2, 3), Uint8Array.of(1, 2, 3)),
    false,
  );
  assertEquals(
    constantTimeEqual(Uint8Array.of(1, 2), Uint8Array.of(1, 2, 3)),
    false,
  );
  assertEquals(constantTimeEqual(new Uint8Array(0), new Uint8Array(0)), true);
});
