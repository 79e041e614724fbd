import { assert, assertEquals } from "../../tests/helpers/assert.ts";
import {
  ed25519PublicKey,
  ed25519Sign,
  ed25519Verify,
  isEd25519Pkcs8,
  parseEd25519PrivatePem,
} from "./ed25519.ts";

const hex = (s: string) =>
  Uint8Array.from(s.match(/../g) ?? [], (h) => parseInt(h, 16));

// RFC 8032 7.1, TEST 1 (the key RFC 8463 A.1 uses).
const PUBLIC = hex(
  "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
);
const SIGNATURE = hex(
  "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b",
);

/** PEM PKCS#8 of TEST 1's secret key (RFC 8410 prefix, then the seed). */
const PEM = "-----BEGIN PRIVATE KEY-----\n" +
  btoa(String.fromCharCode(...hex(
    "302e020100300506032b657004220420" +
      "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
  ))) + "\n-----END PRIVATE KEY-----\n";

Deno.test("ed25519 functions follow RFC 8032 7.1 test 1", async () => {
  const key = parseEd25519PrivatePem(PEM);
  assert(key.ok);
  assertEquals(await ed25519PublicKey(key.value), PUBLIC);
  assertEquals(await ed25519Sign(key.value, new Uint8Array()), SIGNATURE);
  assertEquals(await ed25519Verify(PUBLIC, SIGNATURE, new Uint8Array()), true);
});

Deno.test("ed25519Verify() answers false for every bad input", async () => {
  const bad = SIGNATURE.slice();
  bad[10] ^= 1;
  assertEquals(await ed25519Verify(PUBLIC, bad, new Uint8Array()), false);
  assertEquals(
    await ed25519Verify(PUBLIC, SIGNATURE, new Uint8Array([0])),
    false,
  );
  assertEquals(
    await ed25519Verify(PUBLIC.subarray(1), SIGNATURE, new Uint8Array()),
    false,
  );
  assertEquals(
    await ed25519Verify(PUBLIC, SIGNATURE.subarray(1), new Uint8Array()),
    false,
  );
  assertEquals(
    await ed25519Verify(
      new Uint8Array(32).fill(0xff),
      SIGNATURE,
      new Uint8Array(),
    ),
    false,
  );
});

Deno.test("parseEd25519PrivatePem() refuses RSA and damaged keys", () => {
  assert(
    !parseEd25519PrivatePem(
      "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
    ).ok,
  );
  assert(!parseEd25519PrivatePem("no pem").ok);
  assertEquals(isEd25519Pkcs8(new Uint8Array([0x30, 0])), false);
});
