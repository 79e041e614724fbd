/**
 * Interop, DKIM core ↔ dkimpy (Debian python3-dkim, Ed25519 through
 * python3-nacl), both ways, in one python process per direction: dkimpy's
 * `dnsfunc` hands it the TXT records without DNS, and `core/dkim` verifies
 * through a memory resolver. Keys are made at test time with openssl (RSA
 * 2048, PKCS#1 and PKCS#8; Ed25519 PKCS#8). Covers dkim.md 8 rows 5, 6
 * (tampering) and 8 (peer signs → dk: RSA, Ed25519, `l=`, `rsa-sha1`).
 *
 * @module
 */

import { assert, assertEquals } from "./helpers/assert.ts";
import { run } from "./helpers/mail_dkim.ts";
import { dkimpy } from "./helpers/dkim_world.ts";
import {
  DkimSigner,
  type DkimSigningKey,
  parseSigningKeyPem,
} from "../core/dkim/sign.ts";
import { DkimVerifier } from "../core/dkim/verify.ts";
import type { CanonMode } from "../core/dkim/canon_header.ts";
import { ed25519PublicKey } from "../core/crypto/ed25519.ts";
import { encodeBase64 } from "../core/crypto/base64.ts";
import { wasmBackend } from "../core/crypto/wasm.ts";
import { memoryResolver } from "../core/dns/memory_resolver.ts";

const DOMAIN = "example.com";
const NOW = Math.floor(Date.now() / 1000);

/** A dkimpy case (see dkim_world.ts's dkimpy()). */
type PyCase = {
  op: "verify" | "sign";
  msg: string;
  records?: Record<string, string>;
  selector?: string;
  domain?: string;
  keyData?: string;
  canon?: [CanonMode, CanonMode];
  alg?: string;
  length?: boolean;
  headers?: string[];
};

const enc = (s: string) => new TextEncoder().encode(s);

interface TestKey {
  name: string;
  selector: string;
  pem: string;
  key: DkimSigningKey;
  /** The TXT record. */
  record: string;
  /** What dkimpy's sign() takes. */
  dkimpyKey: string;
  alg: string;
}

async function makeKeys(): Promise<TestKey[]> {
  const rsaPem = (await run("openssl", [
    "genpkey",
    "-algorithm",
    "rsa",
    "-pkeyopt",
    "rsa_keygen_bits:2048",
  ])).stdoutText;
  const rsa1Pem = (await run("openssl", [
    "rsa",
    "-traditional",
  ], { stdin: enc(rsaPem) })).stdoutText;
  const edPem = (await run("openssl", ["genpkey", "-algorithm", "ed25519"]))
    .stdoutText;
  assert(rsaPem.includes("BEGIN PRIVATE KEY"));
  assert(rsa1Pem.includes("BEGIN RSA PRIVATE KEY"));
  const keys: TestKey[] = [];
  for (const [name, pem] of [["rsa8", rsaPem], ["rsa1", rsa1Pem]]) {
    const key = parseSigningKeyPem(pem);
    assert(key.ok && key.value.type === "rsa");
    keys.push({
      name,
      selector: name,
      pem,
      key: key.value,
      record: `v=DKIM1; k=rsa; p=${encodeBase64(key.value.rsa.publicKey.spki)}`,
      dkimpyKey: pem,
      alg: "rsa-sha256",
    });
  }
  const ed = parseSigningKeyPem(edPem);
  assert(ed.ok && ed.value.type === "ed25519");
  const seed = ed.value.ed25519.pkcs8.slice(-32);
  keys.push({
    name: "ed25519",
    selector: "ed",
    pem: edPem,
    key: ed.value,
    record: `v=DKIM1; k=ed25519; p=${
      encodeBase64(await ed25519PublicKey(ed.value.ed25519))
    }`,
    dkimpyKey: encodeBase64(seed),
    alg: "ed25519-sha256",
  });
  return keys;
}

const MESSAGE = [
  "Received: from x by y",
  "From: Joe \xe9 <joe@example.com>",
  "To: a@b.example,",
  "\tc@d.example",
  "Subject:  Is   dinner\tready?  ",
  "Date: Fri, 04 Dec 2026 19:00:00 +0000",
  "Message-ID: <1@example.com>",
  "MIME-Version: 1.0",
  "Content-Type: text/plain; charset=utf-8",
  "X-Unsigned: keep",
  "",
  "Hi.  ",
  "",
  "\tWe lost the game.\t ",
  "",
  "",
].join("\r\n");

const CANONS: [CanonMode, CanonMode][] = [
  ["simple", "simple"],
  ["simple", "relaxed"],
  ["relaxed", "simple"],
  ["relaxed", "relaxed"],
];

/** Tampered forms of a signed message, with dkimpy's expected answer. */
function tamper(signed: string): [string, string, boolean][] {
  return [
    ["as signed", signed, true],
    ["body changed", signed.replace("lost", "won"), false],
    ["signed field changed", signed.replace("dinner", "lunch"), false],
    [
      "over-signed Cc added",
      signed.replace("X-Unsigned", "Cc: e@f.example\r\nX-Unsigned"),
      false,
    ],
    [
      "second Subject added",
      signed.replace("X-Unsigned", "Subject: free money\r\nX-Unsigned"),
      false,
    ],
    ["unsigned field changed", signed.replace("keep", "changed"), true],
    ["unsigned field added", "X-New: 1\r\n" + signed, true],
  ];
}

async function dkVerify(
  message: string,
  records: Record<string, string>,
  options: { acceptSha1?: boolean; honorLength?: boolean } = {},
) {
  const zone = Object.fromEntries(
    Object.entries(records).map(([n, t]) => [n, [[t]]]),
  );
  const verifier = new DkimVerifier({
    resolver: memoryResolver(zone),
    backend: wasmBackend,
    now: () => NOW,
    ...options,
  });
  verifier.update(
    Uint8Array.from(message, (c) => c.charCodeAt(0)),
  );
  return await verifier.finish();
}

const latin1 = (bytes: Uint8Array) => String.fromCharCode(...bytes);

Deno.test("core/dkim signs, dkimpy verifies (RSA PKCS#1/PKCS#8, Ed25519, four c= pairs, tampering)", async () => {
  const keys = await makeKeys();
  const records = Object.fromEntries(
    keys.map((k) => [`${k.selector}._domainkey.${DOMAIN}`, k.record]),
  );
  const cases: PyCase[] = [];
  const labels: [string, boolean, string][] = [];
  for (const key of keys) {
    for (const [header, body] of CANONS) {
      const signer = new DkimSigner({
        key: key.key,
        selector: key.selector,
        time: NOW,
        canon: { header, body },
      });
      signer.update(Uint8Array.from(MESSAGE, (c) => c.charCodeAt(0)));
      const field = await signer.sign("\r\n");
      assert(field.ok);
      for (const [what, message, good] of tamper(field.value + MESSAGE)) {
        const bytes = Uint8Array.from(message, (c) => c.charCodeAt(0));
        cases.push({ op: "verify", msg: encodeBase64(bytes), records });
        labels.push([`${key.name} ${header}/${body} ${what}`, good, message]);
      }
    }
  }
  const answers = await dkimpy(cases);
  for (let i = 0; i < cases.length; i++) {
    const [label, good, message] = labels[i];
    assertEquals(
      answers[i].ok,
      good,
      `dkimpy: ${label} ${answers[i].error ?? ""}`,
    );
    const dk = await dkVerify(message, records);
    assertEquals(
      dk.letter === "A",
      good,
      `dk: ${label}: ${dk.letter} ${dk.reason}`,
    );
  }
  assertEquals(cases.length, keys.length * CANONS.length * 7);
});

Deno.test("dkimpy signs, core/dkim verifies (RSA, Ed25519, four c= pairs, tampering, l=, rsa-sha1)", async () => {
  const keys = await makeKeys();
  const records = Object.fromEntries(
    keys.map((k) => [`${k.selector}._domainkey.${DOMAIN}`, k.record]),
  );
  const msg = encodeBase64(Uint8Array.from(MESSAGE, (c) => c.charCodeAt(0)));
  const cases: PyCase[] = [];
  for (const key of keys) {
    for (const canon of CANONS) {
      cases.push({
        op: "sign",
        msg,
        selector: key.selector,
        domain: DOMAIN,
        keyData: key.dkimpyKey,
        canon,
        alg: key.alg,
      });
    }
  }
  const rsa = keys[0];
  const extra: PyCase[] = [
    {
      ...cases[0],
      keyData: rsa.dkimpyKey,
      canon: ["relaxed", "relaxed"],
      length: true,
    },
    {
      ...cases[0],
      keyData: rsa.dkimpyKey,
      canon: ["relaxed", "relaxed"],
      alg: "rsa-sha1",
    },
    {
      ...cases[0],
      keyData: rsa.dkimpyKey,
      canon: ["relaxed", "relaxed"],
      headers: ["from", "to", "subject"],
    },
  ];
  const answers = await dkimpy([...cases, ...extra]);
  // dkimpy over-signs other fields than dk (4.2): for the peer's own
  // signatures, dk must agree with dkimpy's verdict on each tampered form.
  const tampered: [string, string, string][] = [];
  for (let i = 0; i < cases.length; i++) {
    const signed = latin1(fromB64Raw(answers[i].signed as string));
    for (const [what, message] of tamper(signed)) {
      tampered.push([
        `${cases[i].alg} ${cases[i].canon} ${what}`,
        what,
        message,
      ]);
    }
  }
  const peer = await dkimpy(tampered.map(([, , message]) => ({
    op: "verify",
    msg: encodeBase64(Uint8Array.from(message, (c) => c.charCodeAt(0))),
    records,
  })));
  for (let i = 0; i < tampered.length; i++) {
    const [label, what, message] = tampered[i];
    const dk = await dkVerify(message, records);
    assertEquals(
      dk.letter === "A",
      peer[i].ok,
      `${label}: ${dk.letter} ${dk.reason}`,
    );
    if (what === "as signed") assertEquals(dk.letter, "A", label);
    if (what === "body changed") assertEquals(dk.letter, "U", label);
    if (what === "signed field changed") assertEquals(dk.letter, "I", label);
    if (what.startsWith("unsigned")) assertEquals(dk.letter, "A", label);
  }
  const [withL, sha1, noFrom] = answers.slice(cases.length).map((a) =>
    latin1(fromB64Raw(a.signed as string))
  );
  const appended = await dkVerify(withL + "0123456789", records);
  assertEquals(appended.signatures[0].letter, "E");
  assertEquals(appended.signatures[0].unsignedBodyOctets, 14);
  assertEquals(appended.letter, "E");
  const honored = await dkVerify(withL + "0123456789", records, {
    honorLength: true,
  });
  assertEquals(honored.letter, "A");
  assertEquals((await dkVerify(withL, records)).letter, "A");
  const legacy = await dkVerify(sha1, records);
  assertEquals(legacy.signatures[0].letter, "D");
  assertEquals(
    (await dkVerify(sha1, records, { acceptSha1: true })).letter,
    "A",
  );
  // dkim.md 8 row 7: a From added above a signature whose h= names from
  // once (dkimpy's h= here: from:to:subject) is X for dk.
  assert(/h=from ?: ?to ?: ?subject;/.test(noFrom.replace(/\r\n\s/g, "")));
  const added = "From: Mallory <m@evil.example>\r\n" + noFrom;
  const x = await dkVerify(added, records);
  assertEquals(x.signatures[0].letter, "X");
  const [peerX] = await dkimpy([{
    op: "verify",
    msg: encodeBase64(Uint8Array.from(added, (c) => c.charCodeAt(0))),
    records,
  }]);
  console.log(`dkimpy on an added From above h=from once: ${peerX.ok}`);
});

function fromB64Raw(s: string): Uint8Array {
  return Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
}
