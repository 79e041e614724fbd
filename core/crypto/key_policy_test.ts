import { assertEquals } from "../../tests/helpers/assert.ts";
import {
  DEFAULT_MIN_KEY_BITS,
  minKeyBitsFromEnv,
  usableKey,
} from "./key_policy.ts";

/** A modulus of all-one bits: odd, exactly 8 × bytes bits. */
const odd = (bytes: number) => new Uint8Array(bytes).fill(0xff);

Deno.test("usableKey() accepts 512–8192-bit odd moduli with odd e ≥ 3, dropping leading zeros", () => {
  const result = usableKey({
    n: Uint8Array.of(0, 0, ...odd(64)),
    e: Uint8Array.of(0, 1, 0, 1),
    bits: 0,
  });
  assertEquals(
    typeof result === "string"
      ? result
      : [result.bits, result.e, result.n.length],
    [512, 65537, 64],
  );
  const big = usableKey({ n: odd(1024), e: Uint8Array.of(3), bits: 8192 });
  assertEquals(typeof big === "string" ? big : big.bits, 8192);
});

Deno.test("usableKey() names what is wrong with a refused key", () => {
  const cases: [Uint8Array, Uint8Array, string][] = [
    [
      new Uint8Array(64),
      Uint8Array.of(3),
      "Cannot use RSA key: modulus is zero",
    ],
    [
      Uint8Array.of(0x7f, ...odd(63)),
      Uint8Array.of(3),
      "Cannot use RSA key: modulus of 511 bits is outside 512–8192",
    ],
    [
      Uint8Array.of(1, ...odd(1024)),
      Uint8Array.of(3),
      "Cannot use RSA key: modulus of 8193 bits is outside 512–8192",
    ],
    [
      new Uint8Array(64).fill(0xfe),
      Uint8Array.of(3),
      "Cannot use RSA key: modulus is even",
    ],
    [
      odd(64),
      Uint8Array.of(1),
      "Cannot use RSA key: public exponent 1 is not odd and at least 3",
    ],
    [
      odd(64),
      Uint8Array.of(4),
      "Cannot use RSA key: public exponent 4 is not odd and at least 3",
    ],
    [
      odd(64),
      Uint8Array.of(1, 0, 0, 0, 1),
      "Cannot use RSA key: public exponent above 2^32",
    ],
  ];
  for (const [n, e, reason] of cases) {
    assertEquals(usableKey({ n, e, bits: 0 }), reason);
  }
});

Deno.test("minKeyBitsFromEnv(): 1024 when unset or empty, the number when one, an error otherwise", () => {
  assertEquals(minKeyBitsFromEnv(undefined), DEFAULT_MIN_KEY_BITS);
  assertEquals(minKeyBitsFromEnv(""), 1024);
  assertEquals(minKeyBitsFromEnv("2048"), 2048);
  for (const bad of ["abc", "-1", "123456", " 2048", "2e3"]) {
    assertEquals(
      minKeyBitsFromEnv(bad),
      `DK_MIN_KEY_BITS="${bad}" is not a number of bits`,
    );
  }
});
