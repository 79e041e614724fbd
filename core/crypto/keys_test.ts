import { assertEquals } from "../../tests/helpers/assert.ts";
import {
  encodeSpki,
  parsePrivateKeyPem,
  parsePublicKeyPem,
  parseSpki,
} from "./keys.ts";
import { keyFromJwk, toHex } from "./_testing.ts";
import { generateKeyPairSync } from "node:crypto";

const pair = generateKeyPairSync("rsa", {
  modulusLength: 1024,
  publicKeyEncoding: { type: "spki", format: "pem" },
  privateKeyEncoding: { type: "pkcs1", format: "pem" },
});
const pkcs8 = generateKeyPairSync("rsa", {
  modulusLength: 1024,
  publicKeyEncoding: { type: "spki", format: "der" },
  privateKeyEncoding: { type: "pkcs8", format: "pem" },
});

Deno.test("parsePrivateKeyPem() reads PKCS#1 and its public half equals the SPKI", () => {
  const priv = parsePrivateKeyPem(pair.privateKey);
  const pub = parsePublicKeyPem(pair.publicKey);
  assertEquals(priv.ok && pub.ok, true);
  if (priv.ok && pub.ok) {
    assertEquals(priv.value.publicKey.spki, pub.value.spki);
    assertEquals(priv.value.publicKey.bits, 1024);
  }
});

Deno.test("parsePrivateKeyPem() reads PKCS#8 and gives the same SPKI as node:crypto", () => {
  const priv = parsePrivateKeyPem(pkcs8.privateKey);
  assertEquals(
    priv.ok && priv.value.publicKey.spki,
    new Uint8Array(pkcs8.publicKey),
  );
});

Deno.test("parsePrivateKeyPem() refuses truncated, non-RSA and encrypted keys", () => {
  const truncated = pair.privateKey.slice(0, 200);
  assertEquals(parsePrivateKeyPem(truncated).ok, false);
  const ed = generateKeyPairSync("ed25519", {
    publicKeyEncoding: { type: "spki", format: "pem" },
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
  });
  const r = parsePrivateKeyPem(ed.privateKey);
  assertEquals(r.ok ? "" : r.error, "not an RSA key");
  const enc =
    "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIB\n-----END ENCRYPTED PRIVATE KEY-----\n";
  assertEquals(parsePrivateKeyPem(enc).ok, false);
  assertEquals(parsePrivateKeyPem("").ok, false);
});

Deno.test("parseSpki() refuses garbage and trailing bytes", () => {
  assertEquals(parseSpki(new Uint8Array([1, 2, 3])).ok, false);
  const good = parsePublicKeyPem(pair.publicKey);
  if (!good.ok) throw new Error(good.error);
  const longer = new Uint8Array(good.value.spki.length + 1);
  longer.set(good.value.spki);
  assertEquals(parseSpki(longer).ok, false);
  assertEquals(parseSpki(good.value.spki).ok, true);
});

Deno.test("encodeSpki() builds the same DER as node:crypto's SPKI export", () => {
  for (const [bits, publicExponent] of [[512, 3], [1024, 65537], [2048, 17]]) {
    const { publicKey } = generateKeyPairSync("rsa", {
      modulusLength: bits,
      publicExponent,
    });
    const key = keyFromJwk(publicKey.export({ format: "jwk" }));
    const want = toHex(
      new Uint8Array(publicKey.export({ type: "spki", format: "der" })),
    );
    assertEquals(toHex(encodeSpki(key.n, key.e)), want, `${bits} bits`);
    // Leading zero bytes in n or e change nothing.
    const padded = encodeSpki(
      Uint8Array.of(0, 0, ...key.n),
      Uint8Array.of(0, ...key.e),
    );
    assertEquals(toHex(padded), want);
  }
  assertEquals(
    toHex(encodeSpki(new Uint8Array(), Uint8Array.of(3))).includes("020100"),
    true,
  );
});
