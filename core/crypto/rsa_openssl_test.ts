import { createPrivateKey } from "node:crypto";
import { assertEquals } from "../../tests/helpers/assert.ts";
import {
  ALL_BACKENDS,
  everyBackend,
  keyFromJwk,
  openssl,
  verifyAll,
} from "./_testing.ts";
import { WASM_MAX_BITS } from "./wasm.ts";

const decoder = new TextDecoder();

// 4608 bits: past the wasm core's 4096, handed to the BigInt reference.
for (const bits of [1024, 2048, 3072, 4096, 4608]) {
  Deno.test(`verify() accepts openssl's RSA-SHA1 and RSA-SHA256 signatures with a fresh ${bits}-bit key on every backend`, async () => {
    const dir = await Deno.makeTempDir({ prefix: "dk-crypto-test-" });
    try {
      const keyFile = `${dir}/key.pem`;
      const dataFile = `${dir}/data`;
      await openssl(["genrsa", "-out", keyFile, String(bits)]);
      const pem = decoder.decode(await Deno.readFile(keyFile));
      const key = keyFromJwk(createPrivateKey(pem).export({ format: "jwk" }));
      assertEquals(key.bits, bits);
      const data = crypto.getRandomValues(new Uint8Array(5000));
      await Deno.writeFile(dataFile, data);
      for (const alg of ["sha1", "sha256"] as const) {
        const signature = await openssl([
          "dgst",
          `-${alg}`,
          "-sign",
          keyFile,
          dataFile,
        ]);
        assertEquals(signature.length, bits / 8);
        assertEquals(
          await verifyAll(alg, key, data, signature, 333),
          everyBackend(true),
        );
        const other = alg === "sha1" ? "sha256" : "sha1";
        assertEquals(
          await verifyAll(other, key, data, signature),
          everyBackend(false),
        );
        // The raw public operation agrees between the backends that have one
        // (the wasm core's arithmetic stops at 4096 bits: it answers null).
        const blocks = ALL_BACKENDS.flatMap((b) =>
          b.rsaPublic ? [Array.from(b.rsaPublic(key, signature) ?? [])] : []
        );
        assertEquals(blocks.length, 2);
        if (bits <= WASM_MAX_BITS) assertEquals(blocks[0], blocks[1]);
        else assertEquals(blocks[0], []);
        assertEquals(blocks[1].slice(0, 2), [0, 1]);
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
}
