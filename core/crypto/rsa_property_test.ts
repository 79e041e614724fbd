import fc from "fast-check";
import { createSign, generateKeyPairSync } from "node:crypto";
import { assertEquals } from "../../tests/helpers/assert.ts";
import type { RsaPublicKey } from "./backend.ts";
import { bigintBackend } from "./bigint.ts";
import { wasmCiosRsaPublic } from "./wasm_bench.ts";
import { ALL_BACKENDS, keyFromJwk, verifyAll } from "./_testing.ts";
import { webcryptoVerify } from "./webcrypto.ts";

interface Pair {
  key: RsaPublicKey;
  sign(alg: "sha1" | "sha256", data: Uint8Array): Uint8Array;
}

function pair(bits: number, publicExponent = 65537): Pair {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", {
    modulusLength: bits,
    publicExponent,
  });
  return {
    key: keyFromJwk(publicKey.export({ format: "jwk" })),
    sign: (alg, data) =>
      new Uint8Array(
        createSign(alg === "sha1" ? "RSA-SHA1" : "RSA-SHA256").update(data)
          .sign(privateKey),
      ),
  };
}

const PAIRS = [pair(512), pair(1024), pair(1024, 3), pair(1536), pair(2048)];

Deno.test("every backend agrees with WebCrypto on random keys, messages and tampered signatures", async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.nat({ max: PAIRS.length - 1 }),
      fc.constantFrom("sha1" as const, "sha256" as const),
      fc.uint8Array({ maxLength: 3000 }),
      fc.integer({ min: 1, max: 700 }),
      fc.option(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), {
        freq: 2,
      }),
      async (which, alg, data, chunk, tamper) => {
        const { key, sign } = PAIRS[which];
        const signature = sign(alg, data);
        if (tamper !== null) {
          const [at, xor] = tamper;
          signature[at % signature.length] ^= xor;
        }
        const want = await webcryptoVerify(key, alg, data, signature);
        assertEquals(want, tamper === null);
        const got = await verifyAll(alg, key, data, signature, chunk);
        assertEquals(got, { wasm: want, bigint: want, webcrypto: want });
      },
    ),
    { numRuns: 150 },
  );
});

Deno.test("rsaPublic() of the wasm core, its CIOS baseline and BigInt agree on random values below and above n", () => {
  const wasm = ALL_BACKENDS[0];
  fc.assert(
    fc.property(
      fc.nat({ max: PAIRS.length - 1 }),
      fc.uint8Array({ minLength: 256, maxLength: 256 }),
      (which, random) => {
        const { key } = PAIRS[which];
        const value = random.subarray(0, key.n.length);
        const want = bigintBackend.rsaPublic!(key, value);
        assertEquals(wasm.rsaPublic!(key, value), want);
        assertEquals(wasmCiosRsaPublic(key, value), want);
      },
    ),
    { numRuns: 300 },
  );
});
