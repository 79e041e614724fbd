import { assertEquals } from "../../tests/helpers/assert.ts";
import { bigIntToBytes, bytesToBigInt, modPow } from "./bigint.ts";

Deno.test("modPow() computes known powers and answers 0n outside its domain", () => {
  assertEquals(modPow(4n, 13n, 497n), 445n);
  assertEquals(modPow(2n, 65537n, 1000000007n), 2n ** 65537n % 1000000007n);
  assertEquals(modPow(5n, 0n, 7n), 1n);
  assertEquals(modPow(5n, 3n, 1n), 0n);
  assertEquals(modPow(-5n, 3n, 7n), 0n);
  assertEquals(modPow(5n, -3n, 7n), 0n);
});

Deno.test("bytesToBigInt() and bigIntToBytes() round-trip big-endian values", () => {
  assertEquals(bytesToBigInt(new Uint8Array(0)), 0n);
  assertEquals(bytesToBigInt(Uint8Array.of(0, 1, 0)), 256n);
  assertEquals(bigIntToBytes(256n, 3), Uint8Array.of(0, 1, 0));
  assertEquals(bigIntToBytes(0n, 2), Uint8Array.of(0, 0));
  assertEquals(bigIntToBytes(65536n, 2), null);
  assertEquals(bigIntToBytes(-1n, 2), null);
  const random = crypto.getRandomValues(new Uint8Array(300));
  random[0] |= 1;
  assertEquals(bigIntToBytes(bytesToBigInt(random), 300), random);
});
