import { assertEquals } from "../../tests/helpers/assert.ts";
import { StreamSigner } from "./rsa_sign.ts";
import { createSign, createVerify, generateKeyPairSync } from "node:crypto";
import { Buffer } from "node:buffer";

const pair = generateKeyPairSync("rsa", {
  modulusLength: 1024,
  publicKeyEncoding: { type: "spki", format: "der" },
  privateKeyEncoding: { type: "pkcs8", format: "der" },
});
const pkcs8 = new Uint8Array(pair.privateKey);

function message(length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = (i * 31 + 7) & 0xff;
  return out;
}

for (const alg of ["sha1", "sha256"] as const) {
  Deno.test(`StreamSigner (${alg}) gives node:crypto's bytes below and above the buffer limit`, async () => {
    for (const length of [0, 100, 5000, 70000]) {
      const data = message(length);
      const expected = new Uint8Array(
        createSign(alg === "sha1" ? "RSA-SHA1" : "RSA-SHA256").update(data)
          .sign({ key: Buffer.from(pkcs8), format: "der", type: "pkcs8" }),
      );
      for (const limit of [1 << 20, 1000]) {
        const signer = new StreamSigner(alg, limit);
        for (let i = 0; i < data.length; i += 777) {
          signer.update(data.subarray(i, i + 777));
          // Let a switch to node:crypto happen mid-stream.
          if (i % (777 * 20) === 0) await Promise.resolve();
        }
        const signature = await signer.sign(pkcs8);
        assertEquals(signature, expected, `length ${length}, limit ${limit}`);
        const ok = createVerify(alg === "sha1" ? "RSA-SHA1" : "RSA-SHA256")
          .update(data).verify(
            { key: Buffer.from(pair.publicKey), format: "der", type: "spki" },
            signature,
          );
        assertEquals(ok, true);
      }
    }
  });
}

Deno.test("StreamSigner.sign() rejects a key that is not RSA PKCS#8", async () => {
  const signer = new StreamSigner("sha1");
  signer.update(message(10));
  let failed = false;
  await signer.sign(new Uint8Array([1, 2, 3])).catch(() => failed = true);
  assertEquals(failed, true);
});

Deno.test("StreamSigner.sign() calls meanwhile once, before the signature is ready, on both paths", async () => {
  for (const limit of [1 << 20, 1000]) {
    const signer = new StreamSigner("sha1", limit);
    signer.update(message(5000));
    const events: string[] = [];
    const signing = signer.sign(pkcs8, () => events.push("meanwhile"));
    const signature = await signing;
    events.push("signed");
    assertEquals(events, ["meanwhile", "signed"], `limit ${limit}`);
    assertEquals(signature.length, 128);
  }
  // A key that cannot be used: rejected, meanwhile not called.
  const signer = new StreamSigner("sha1");
  let called = false;
  const failed = await signer.sign(
    new Uint8Array([1, 2, 3]),
    () => called = true,
  ).then(() => false, () => true);
  assertEquals([failed, called], [true, false]);
});
