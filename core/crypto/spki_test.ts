import { generateKeyPairSync } from "node:crypto";
import { assertEquals } from "../../tests/helpers/assert.ts";
import { spkiFromRsaKey } from "./spki.ts";
import { keyFromJwk, toHex } from "./_testing.ts";

Deno.test("spkiFromRsaKey() builds the same DER as node:crypto's SPKI export", () => {
  for (
    const [bits, publicExponent] of [[512, 3], [1024, 65537], [2048, 65537], [
      4096,
      17,
    ]]
  ) {
    const { publicKey } = generateKeyPairSync("rsa", {
      modulusLength: bits,
      publicExponent,
    });
    const key = keyFromJwk(publicKey.export({ format: "jwk" }));
    const want = publicKey.export({ type: "spki", format: "der" });
    assertEquals(
      toHex(spkiFromRsaKey(key)),
      toHex(new Uint8Array(want)),
      `${bits} bits`,
    );
    // Leading zero bytes in n or e change nothing.
    const padded = {
      ...key,
      n: Uint8Array.of(0, 0, ...key.n),
      e: Uint8Array.of(0, ...key.e),
    };
    assertEquals(toHex(spkiFromRsaKey(padded)), toHex(new Uint8Array(want)));
  }
});
