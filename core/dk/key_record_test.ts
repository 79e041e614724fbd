import { assertEquals } from "../../tests/helpers/assert.ts";
import {
  keyRecordFor,
  minKeyBitsFromEnv,
  parseKeyRecord,
  readKeyRecord,
} from "./key_record.ts";
import { decodeBase64Strict, encodeBase64 } from "../crypto/base64.ts";
import { encodeSpki, parseSpki } from "../crypto/keys.ts";
import { generateKeyPairSync } from "node:crypto";

const spki = (bits: number, e = 65537) =>
  encodeBase64(
    new Uint8Array(
      generateKeyPairSync("rsa", {
        modulusLength: bits,
        publicExponent: e,
        publicKeyEncoding: { type: "spki", format: "der" },
        privateKeyEncoding: { type: "pkcs8", format: "pem" },
      }).publicKey,
    ),
  );
const K1024 = spki(1024);
const K512 = spki(512);
const ED = encodeBase64(
  new Uint8Array(
    generateKeyPairSync("ed25519", {
      publicKeyEncoding: { type: "spki", format: "der" },
      privateKeyEncoding: { type: "pkcs8", format: "pem" },
    }).publicKey,
  ),
);

const CASES: [string, string, string | null, string][] = [
  ["a usable key", `k=rsa; p=${K1024}`, "alice", "ok"],
  ["no k= (rsa by default)", `p=${K1024}`, "alice", "ok"],
  ["K in another case", `k=RSA; p=${K1024}`, "alice", "ok"],
  ["k=dsa", `k=dsa; p=${K1024}`, "alice", "E"],
  ["bad syntax", `k=rsa; p=${K1024}; p=x`, "alice", "E"],
  ["no p=", "k=rsa", "alice", "D"],
  ["an empty p= (revoked)", "k=rsa; p=", "alice", "J"],
  ["p= not base64", "k=rsa; p=@@@", "alice", "E"],
  [
    "p= not SPKI",
    `k=rsa; p=${encodeBase64(new Uint8Array([1, 2, 3, 4]))}`,
    "alice",
    "E",
  ],
  ["an Ed25519 key", `k=rsa; p=${ED}`, "alice", "E"],
  ["a 512-bit key", `k=rsa; p=${K512}`, "alice", "E"],
  [
    "g= equal to the local part, other case",
    `g=Alice; p=${K1024}`,
    "alice",
    "ok",
  ],
  ["g= not the local part", `g=bob; p=${K1024}`, "alice", "L"],
  [
    "g= a longer name (libdomainkeys prefix bug)",
    `g=bobby; p=${K1024}`,
    "bob",
    "L",
  ],
  ["g= a wildcard (not in RFC 4870)", `g=bo*; p=${K1024}`, "bob", "L"],
  ["empty g=", `g=; p=${K1024}`, "alice", "ok"],
];

for (const [name, text, local, expected] of CASES) {
  Deno.test(`parseKeyRecord() gives ${expected} for ${name}`, () => {
    const r = parseKeyRecord(text, local);
    assertEquals(r.ok ? "ok" : r.error.letter, expected);
  });
}

Deno.test("parseKeyRecord() reports t=y and the size of a too-short key", () => {
  const testing = parseKeyRecord(`t=y; p=${K1024}`, "a");
  assertEquals(testing.ok && testing.value.testing, true);
  const short = parseKeyRecord(`t=y; p=${K512}`, "a");
  assertEquals(short.ok ? "" : [short.error.reason, short.error.testing], [
    "key too short (512 bits)",
    true,
  ]);
  const lowered = parseKeyRecord(`p=${K512}`, "a", 512);
  assertEquals(lowered.ok, true);
});

Deno.test("parseKeyRecord() accepts e=3 and refuses an even exponent or e=1 as E", () => {
  assertEquals(parseKeyRecord(`p=${spki(1024, 3)}`, "a").ok, true);
  const der = decodeBase64Strict(K1024)!;
  const key = parseSpki(der);
  if (!key.ok) throw new Error(key.error);
  for (const e of [[2], [1], [1, 0, 0]]) {
    const forged = encodeBase64(encodeSpki(key.value.n, new Uint8Array(e)));
    const r = parseKeyRecord(`p=${forged}`, "a");
    assertEquals(r.ok ? "ok" : r.error.letter, "E", `e=${e}`);
  }
});

Deno.test("minKeyBitsFromEnv() defaults to 1024 and refuses what is not a number of bits", () => {
  assertEquals(
    [undefined, "", "2048", "512"].map(minKeyBitsFromEnv),
    [1024, 1024, 2048, 512],
  );
  assertEquals(
    minKeyBitsFromEnv("2k"),
    'DK_MIN_KEY_BITS="2k" is not a number of bits',
  );
  assertEquals(typeof minKeyBitsFromEnv("123456"), "string");
});

Deno.test("parseKeyRecord() refuses e above 2^32 as E, the backends' own rule (was B)", () => {
  const key = parseSpki(decodeBase64Strict(K1024)!);
  if (!key.ok) throw new Error(key.error);
  for (const e of [[1, 0, 0, 0, 1], [0xff, 0xff, 0xff, 0xff, 0xff]]) {
    const forged = encodeBase64(encodeSpki(key.value.n, new Uint8Array(e)));
    const r = parseKeyRecord(`p=${forged}`, "a");
    assertEquals(r.ok ? "ok" : r.error.letter, "E", `e=${e}`);
  }
  const largest = encodeSpki(
    key.value.n,
    new Uint8Array([0xff, 0xff, 0xff, 0xff]),
  );
  assertEquals(parseKeyRecord(`p=${encodeBase64(largest)}`, "a").ok, true);
});

Deno.test("keyRecordFor() checks g= where parseKeyRecord() always has: after syntax and k=, before p=", () => {
  const letter = (text: string, local: string | null) => {
    const r = keyRecordFor(readKeyRecord(text), local);
    return r.ok ? "ok" : r.error.letter;
  };
  assertEquals(letter("g=bob; k=rsa", "alice"), "L");
  assertEquals(letter("g=bob; p=", "alice"), "L");
  assertEquals(letter(`g=bob; p=${K512}`, "alice"), "L");
  assertEquals(letter(`g=bob; p=${K512}`, "bob"), "E");
  assertEquals(letter("g=bob; k=dsa; p=", "alice"), "E");
  assertEquals(letter("g=bob; p=x; p=y", "alice"), "E");
  assertEquals(letter("g=bob; p=", null), "J");
  const l = keyRecordFor(readKeyRecord(`t=y; g=bob; p=${K1024}`), "al");
  assertEquals(l.ok ? null : [l.error.reason, l.error.testing], [
    'key is for sender "bob" only (g=), not "al"',
    true,
  ]);
});
