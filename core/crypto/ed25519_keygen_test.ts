import { assert, assertEquals } from "../../tests/helpers/assert.ts";
import {
  ed25519FromSpki,
  ed25519Generate,
  ed25519PublicKey,
  ed25519Sign,
  ed25519Spki,
  ed25519Verify,
  parseEd25519PrivatePem,
  pemOf,
} from "./ed25519.ts";

Deno.test("ed25519Generate() makes a PEM PKCS#8 key that signs for its public key", async () => {
  const made = await ed25519Generate();
  assert(made.pem.startsWith("-----BEGIN PRIVATE KEY-----\n"));
  assert(made.pem.endsWith("-----END PRIVATE KEY-----\n"));
  const parsed = parseEd25519PrivatePem(made.pem);
  assert(parsed.ok);
  assertEquals(made.key.pkcs8, parsed.value.pkcs8);
  assertEquals(await ed25519PublicKey(parsed.value), made.publicKey);
  const data = new TextEncoder().encode("x");
  const sig = await ed25519Sign(parsed.value, data);
  assert(await ed25519Verify(made.publicKey, sig, data));
  const again = await ed25519Generate();
  assert(encode(again.publicKey) !== encode(made.publicKey));
});

Deno.test("ed25519Spki() and ed25519FromSpki() agree with WebCrypto's SPKI; other DER gives null", async () => {
  const pair = await crypto.subtle.generateKey(
    { name: "Ed25519" },
    true,
    ["sign", "verify"],
  ) as CryptoKeyPair;
  const spki = new Uint8Array(
    await crypto.subtle.exportKey("spki", pair.publicKey),
  );
  const raw = new Uint8Array(
    await crypto.subtle.exportKey("raw", pair.publicKey),
  );
  assertEquals(ed25519Spki(raw), spki);
  assertEquals(ed25519FromSpki(spki), raw);
  const wrongOid = spki.slice();
  wrongOid[8] = 0x71; // 1.3.101.113: Ed448's arc
  assertEquals(ed25519FromSpki(wrongOid), null);
  assertEquals(ed25519FromSpki(spki.slice(0, 43)), null);
  assertEquals(ed25519FromSpki(new Uint8Array()), null);
  const unusedBits = spki.slice();
  unusedBits[11] = 1;
  assertEquals(ed25519FromSpki(unusedBits), null);
});

Deno.test("pemOf() wraps base64 at 64 characters", () => {
  const pem = pemOf("X", new Uint8Array(100));
  const lines = pem.split("\n");
  assertEquals(lines[0], "-----BEGIN X-----");
  assertEquals(lines[1].length, 64);
  assertEquals(lines.at(-2), "-----END X-----");
  assertEquals(lines.at(-1), "");
});

function encode(bytes: Uint8Array): string {
  return String.fromCharCode(...bytes);
}
