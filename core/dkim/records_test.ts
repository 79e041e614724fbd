import { assert, assertEquals } from "../../tests/helpers/assert.ts";
import {
  publicHalf,
  type PublishedKey,
  readPublicKeyText,
  sameKey,
  selectorRecordValue,
} from "./records.ts";
import { parseKeyRecord } from "./key_record.ts";
import { parseSigningKeyPem } from "./sign.ts";
import { ed25519Generate, ed25519Spki, pemOf } from "../crypto/ed25519.ts";
import { encodeBase64 } from "../crypto/base64.ts";
import { parsePrivateKeyPem } from "../crypto/keys.ts";
import { makeKey } from "../../tests/helpers/dns_fixtures.ts";

const rsaKey = makeKey(1024);
const rsaParsed = parsePrivateKeyPem(rsaKey.pem);
assert(rsaParsed.ok);
const rsa: PublishedKey = { type: "rsa", rsa: rsaParsed.value.publicKey };
const ed = await ed25519Generate();
const edKey: PublishedKey = { type: "ed25519", ed25519: ed.publicKey };
const edB64 = encodeBase64(ed.publicKey);

Deno.test("selectorRecordValue() writes each scheme's form, t=y only when testing", () => {
  const p = rsaKey.spki;
  const cases: [Parameters<typeof selectorRecordValue>, string][] = [
    [["dk", rsa, false], `k=rsa; p=${p}`],
    [["both", rsa, false], `k=rsa; p=${p}`],
    [["dk", rsa, true], `k=rsa; t=y; p=${p}`],
    [["dkim", rsa, false], `v=DKIM1; k=rsa; h=sha256; p=${p}`],
    [["dkim", rsa, true], `v=DKIM1; k=rsa; h=sha256; t=y; p=${p}`],
    [["dkim", edKey, false], `v=DKIM1; k=ed25519; p=${edB64}`],
    [["dkim", edKey, true], `v=DKIM1; k=ed25519; t=y; p=${edB64}`],
  ];
  for (const [args, want] of cases) {
    assertEquals(selectorRecordValue(...args), { ok: true, value: want });
    // Every form is a DKIM key record the verifier accepts, testing as asked.
    const read = parseKeyRecord(want, 1024);
    assert(read.ok, want);
    assertEquals(read.value.testing, args[2]);
  }
  assertEquals(edB64.length, 44);
  for (const scheme of ["dk", "both"] as const) {
    const r = selectorRecordValue(scheme, edKey, false);
    assert(!r.ok && r.error.includes("use --scheme dkim"));
  }
});

Deno.test("readPublicKeyText() reads PEM SPKI (RSA, Ed25519), RSA PUBLIC KEY, private PEMs and raw base64", async () => {
  const rsaSpkiPem = pemOf(
    "PUBLIC KEY",
    Uint8Array.from(atob(rsaKey.spki), (c) => c.charCodeAt(0)),
  );
  const edSpkiPem = pemOf("PUBLIC KEY", ed25519Spki(ed.publicKey));
  const want: [string, PublishedKey][] = [
    [rsaSpkiPem, rsa],
    [rsaKey.pem, rsa],
    [edSpkiPem, edKey],
    [ed.pem, edKey],
    [`${edB64}\n`, edKey],
    [`  ${edB64}  `, edKey],
  ];
  for (const [text, key] of want) {
    const r = await readPublicKeyText(text);
    assert(r.ok, `${text}: ${JSON.stringify(r)}`);
    assert(sameKey(r.value, key), text);
  }
  for (
    const bad of [
      "",
      "hello",
      encodeBase64(new Uint8Array(31)),
      encodeBase64(new Uint8Array(33)),
      "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n",
      "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
    ]
  ) {
    const r = await readPublicKeyText(bad);
    assert(!r.ok, bad);
  }
});

Deno.test("publicHalf() and sameKey(): the public half of each private key type", async () => {
  const fromEd = parseSigningKeyPem(ed.pem);
  assert(fromEd.ok);
  const edHalf = await publicHalf(fromEd.value);
  assert(edHalf.ok && sameKey(edHalf.value, edKey));
  const fromRsa = parseSigningKeyPem(rsaKey.pem);
  assert(fromRsa.ok);
  const rsaHalf = await publicHalf(fromRsa.value);
  assert(rsaHalf.ok && sameKey(rsaHalf.value, rsa));
  assert(!sameKey(rsa, edKey));
  assert(!sameKey(edKey, rsa));
  // A PKCS#8 Ed25519 structure with a seed of the wrong size: an error.
  const damaged = ed.key.pkcs8.slice(0, -1);
  damaged[1] -= 1;
  damaged[damaged.length - 32] -= 1;
  damaged[damaged.length - 33] -= 1;
  const refused = await publicHalf({
    type: "ed25519",
    ed25519: { pkcs8: damaged },
  });
  assert(!refused.ok);
  const other = await ed25519Generate();
  assert(!sameKey(edKey, { type: "ed25519", ed25519: other.publicKey }));
});
