import { signedFixture } from "./_testing.ts";
import { assert, assertEquals } from "../../tests/helpers/assert.ts";
import {
  ed25519Pem,
  RFC8463_ED25519_SEED,
  RFC8463_MESSAGE,
  RFC8463_RECORDS,
  RFC8463_RSA_PEM,
} from "./_rfc8463.ts";
import { parseSigningKeyPem } from "./sign.ts";
import { DkimVerifier, type DkimVerifyOptions } from "./verify.ts";
import { wasmBackend } from "../crypto/wasm.ts";
import { ALL_BACKENDS } from "../crypto/_testing.ts";
import { memoryResolver, type MemoryZone } from "../dns/memory_resolver.ts";

const enc = (s: string) => new TextEncoder().encode(s);
const NOW = 1764072000;

function zoneOf(records: Record<string, string>): MemoryZone {
  return Object.fromEntries(
    Object.entries(records).map(([name, text]) => [name, [[text]]]),
  );
}

async function verify(
  message: string | Uint8Array,
  zone: MemoryZone,
  options: Partial<DkimVerifyOptions> = {},
  chunk = 0,
) {
  const resolver = memoryResolver(zone);
  const verifier = new DkimVerifier({
    resolver,
    backend: wasmBackend,
    now: () => NOW,
    ...options,
  });
  const bytes = typeof message === "string" ? enc(message) : message;
  if (chunk) {
    for (let at = 0; at < bytes.length; at += chunk) {
      verifier.update(bytes.subarray(at, at + chunk));
    }
  } else verifier.update(bytes);
  return { result: await verifier.finish(), queries: resolver.queries };
}

Deno.test("DkimVerifier passes both RFC 8463 A.3 signatures on every backend", async () => {
  for (const backend of ALL_BACKENDS) {
    const { result, queries } = await verify(
      RFC8463_MESSAGE,
      zoneOf(RFC8463_RECORDS),
      { backend },
    );
    assertEquals(result.signatures.map((s) => s.letter), ["A", "A"]);
    assertEquals(result.signatures.map((s) => s.keyType), ["ed25519", "rsa"]);
    assertEquals(result.letter, "A");
    assertEquals(queries.length, 2);
  }
});

Deno.test("DkimVerifier gives the same verdict fed one byte at a time", async () => {
  const { result } = await verify(
    RFC8463_MESSAGE,
    zoneOf(RFC8463_RECORDS),
    {},
    1,
  );
  assertEquals(result.signatures.map((s) => s.letter), ["A", "A"]);
});

Deno.test("DkimVerifier: a changed body is U, a changed signed field is I", async () => {
  const zone = zoneOf(RFC8463_RECORDS);
  const body = await verify(RFC8463_MESSAGE.replace("hungry", "Hungry"), zone);
  assertEquals(body.result.signatures.map((s) => s.letter), ["U", "U"]);
  const field = await verify(
    RFC8463_MESSAGE.replace("Is dinner", "Is lunch"),
    zone,
  );
  assertEquals(field.result.signatures.map((s) => s.letter), ["I", "I"]);
  assertEquals(field.result.letter, "I");
});

Deno.test("DkimVerifier: a From added above the signed one is X", async () => {
  const message = RFC8463_MESSAGE.replace(
    "From: Joe",
    "From: Mallory <m@evil.example>\nFrom: Joe",
  );
  const { result } = await verify(message, zoneOf(RFC8463_RECORDS));
  // h= names from twice, so both From fields are taken: the signature breaks.
  assertEquals(result.signatures.map((s) => s.letter), ["I", "I"]);
  const once = RFC8463_MESSAGE.replaceAll(
    "h=from : to : subject : \n date : message-id : from : subject : date;",
    "h=from : to : subject : \n date : message-id : subject : date;",
  ).replace("From: Joe", "From: Mallory <m@evil.example>\nFrom: Joe");
  const second = await verify(once, zoneOf(RFC8463_RECORDS));
  assertEquals(second.result.signatures[1].letter, "X");
});

Deno.test("DkimVerifier: DNS outcomes give Q, P, N, L, R, V", async () => {
  const base = RFC8463_RECORDS["brisbane._domainkey.football.example.com"];
  const cases: [MemoryZone[string] | undefined, string][] = [
    [undefined, "Q"],
    ["nodata", "Q"],
    ["servfail", "P"],
    [[["v=DKIM1; k=ed25519; p="]], "N"],
    [[["v=DKIM2; k=ed25519; p=abcd"]], "L"],
    [[["k=ed25519; p=AAAA"]], "R"],
    [[["v=DKIM1; k=rsa; p=" + base.slice(base.indexOf("p=") + 2)]], "R"],
    [[[base.replace("k=ed25519", "k=ed25519; h=sha1")]], "V"],
    [[["v=spf1 -all"]], "Q"],
    [[["v=spf1 -all"], [base]], "A"],
  ];
  for (const [entry, want] of cases) {
    const zone: MemoryZone = {};
    if (entry !== undefined) {
      zone["brisbane._domainkey.football.example.com"] = entry;
    }
    const { result } = await verify(RFC8463_MESSAGE, zone);
    assertEquals(result.signatures[0].letter, want, JSON.stringify(entry));
  }
});

Deno.test("DkimVerifier: message letter is S without signatures, P over failures", async () => {
  const plain = await verify("From: a@b.example\n\nhi\n", {});
  assertEquals(plain.result.letter, "S");
  assertEquals(plain.result.signatures, []);
  const zone = zoneOf(RFC8463_RECORDS);
  zone["test._domainkey.football.example.com"] = "servfail";
  const changed = await verify(RFC8463_MESSAGE.replace("Hi.", "Hey."), zone);
  assertEquals(changed.result.signatures.map((s) => s.letter), ["U", "P"]);
  assertEquals(changed.result.letter, "P");
});

Deno.test("DkimVerifier: leading whitespace makes the message H", async () => {
  const { result } = await verify(
    " x\n" + RFC8463_MESSAGE,
    zoneOf(RFC8463_RECORDS),
  );
  assertEquals(result.letter, "H");
});

Deno.test("DkimVerifier evaluates 10 signatures, one lookup per name", async () => {
  const field = RFC8463_MESSAGE.slice(
    0,
    RFC8463_MESSAGE.indexOf("DKIM-Signature", 5),
  );
  const { result, queries } = await verify(
    field.repeat(12) + RFC8463_MESSAGE,
    zoneOf(RFC8463_RECORDS),
  );
  assertEquals(result.signatures.length, 10);
  assertEquals(result.skipped, 4);
  assertEquals(queries.length, 1);
  assertEquals(result.letter, "A");
});

/** `message` signed by dk's signer with `pem` (see `_testing.ts`). */
const signed = signedFixture;

const MESSAGE = "From: Joe <joe@football.example.com>\n" +
  "To: a@b.example\nSubject: dinner\n  is ready\nX-Other: 1\n\n" +
  "Hi.  \t\nWe lost.\n\n\n";

Deno.test("DkimSigner output verifies: Ed25519 and RSA, four c= pairs", async () => {
  const ed = parseSigningKeyPem(ed25519Pem(RFC8463_ED25519_SEED));
  assert(ed.ok);
  const zone: MemoryZone = {
    "sel._domainkey.football.example.com": [[
      RFC8463_RECORDS["brisbane._domainkey.football.example.com"],
    ]],
  };
  const rsaZone: MemoryZone = {
    "sel._domainkey.football.example.com": [[
      RFC8463_RECORDS["test._domainkey.football.example.com"],
    ]],
  };
  for (const header of ["simple", "relaxed"]) {
    for (const body of ["simple", "relaxed"]) {
      const canon = { header, body };
      for (
        const [pem, z] of [
          [ed25519Pem(RFC8463_ED25519_SEED), zone],
          [RFC8463_RSA_PEM, rsaZone],
        ] as const
      ) {
        const message = await signed(pem, MESSAGE, { canon });
        const { result } = await verify(message, z);
        assertEquals(result.signatures[0].letter, "A", `${header}/${body}`);
        const tampered = await verify(
          message.replace("X-Other: 1", "X-Other: 2"),
          z,
        );
        assertEquals(tampered.result.letter, "A", "unsigned field changed");
        const cc = await verify(
          message.replace("X-Other", "Cc: c@d.example\nX-Other"),
          z,
        );
        assertEquals(cc.result.letter, "I", "over-signed field added");
        const bodyChanged = await verify(message + "more\n", z);
        assertEquals(bodyChanged.result.letter, "U", "body changed");
      }
    }
  }
});

Deno.test("DkimSigner writes 4.2's h= and folds lines within 78 octets", async () => {
  const message = await signed(
    RFC8463_RSA_PEM,
    "From: a@example.com\nTo: b@example.com\nSubject: s\nDate: d\n" +
      "Message-ID: <m@example.com>\nMIME-Version: 1.0\nContent-Type: text/plain\n\nx\n",
  );
  const field = message.slice(0, message.indexOf("From:"));
  const unfolded = field.replace(/\n\t/g, "").replace(/; /g, ";");
  assert(
    unfolded.includes(
      "h=from:from:reply-to:subject:subject:date:date:message-id:message-id:to:to:cc:mime-version:mime-version:content-type:content-type;",
    ),
    unfolded,
  );
  assert(
    unfolded.startsWith(
      "DKIM-Signature: v=1;a=rsa-sha256;c=relaxed/relaxed;d=example.com;s=sel;t=1764072000;",
    ),
  );
  for (const line of field.split("\n")) assert(line.length <= 78, line);
});

Deno.test("DkimSigner reproduces RFC 8463 A.3's b= over its header input", async () => {
  // Both schemes are deterministic: the same header input and key give
  // the same b= as published.
  const { parseSignatureField } = await import("./signature.ts");
  const { headerInput, indexFields, selectFields } = await import(
    "./header_input.ts"
  );
  const { splitFields } = await import("../message/header.ts");
  const { ed25519Sign } = await import("../crypto/ed25519.ts");
  const { StreamSigner } = await import("../crypto/rsa_sign.ts");
  const header = enc(
    RFC8463_MESSAGE.slice(0, RFC8463_MESSAGE.indexOf("\n\n") + 1),
  );
  const fields = splitFields(header);
  const index = indexFields(fields);
  for (const at of [0, 1]) {
    const sig = parseSignatureField(fields.at(at)!.raw, NOW);
    assert(sig.ok);
    const input = headerInput(
      fields,
      selectFields(index, sig.value.headers, at),
      sig.value.unsigned,
      sig.value.canon.header,
    );
    let made: Uint8Array;
    if (at === 0) {
      const key = parseSigningKeyPem(ed25519Pem(RFC8463_ED25519_SEED));
      assert(key.ok && key.value.type === "ed25519");
      const digest = new Uint8Array(
        await crypto.subtle.digest("SHA-256", input.slice()),
      );
      made = await ed25519Sign(key.value.ed25519, digest);
    } else {
      const key = parseSigningKeyPem(RFC8463_RSA_PEM);
      assert(key.ok && key.value.type === "rsa");
      const signer = new StreamSigner("sha256");
      signer.update(input);
      made = await signer.sign(key.value.rsa.pkcs8);
    }
    assertEquals(made, sig.value.signature);
  }
});

Deno.test("DkimVerifier: rsa-sha1 that holds is D unless accepted", async () => {
  // Re-sign the RFC 8463 RSA example with rsa-sha1 by hand.
  const { StreamSigner } = await import("../crypto/rsa_sign.ts");
  const key = parseSigningKeyPem(RFC8463_RSA_PEM);
  assert(key.ok && key.value.type === "rsa");
  const bodyHash = btoa(String.fromCharCode(
    ...new Uint8Array(await crypto.subtle.digest("SHA-1", enc("hi\r\n"))),
  ));
  const head =
    "DKIM-Signature: v=1; a=rsa-sha1; d=football.example.com; s=test;" +
    ` h=from; bh=${bodyHash}; b=`;
  const from = "From: joe@football.example.com\n";
  const signer = new StreamSigner("sha1");
  signer.update(enc(from.replace("\n", "\r\n") + head));
  const b = btoa(
    String.fromCharCode(...await signer.sign(key.value.rsa.pkcs8)),
  );
  const message = `${head}${b}\n${from}\nhi\n`;
  const zone = zoneOf(RFC8463_RECORDS);
  const plain = await verify(message, zone);
  assertEquals(plain.result.signatures[0].letter, "D");
  assertEquals(plain.result.signatures[0].result, "policy");
  const accepted = await verify(message, zone, { acceptSha1: true });
  assertEquals(accepted.result.signatures[0].letter, "A");
});

Deno.test("DkimVerifier: Ed25519 over the raw header input is I, named in the reason", async () => {
  const { parseSignatureField } = await import("./signature.ts");
  const { headerInput, indexFields, selectFields } = await import(
    "./header_input.ts"
  );
  const { splitFields } = await import("../message/header.ts");
  const { ed25519Sign } = await import("../crypto/ed25519.ts");
  const end = RFC8463_MESSAGE.indexOf("\n\n") + 1;
  const fields = splitFields(enc(RFC8463_MESSAGE.slice(0, end)));
  const sig = parseSignatureField(fields.at(0)!.raw, NOW);
  assert(sig.ok);
  const input = headerInput(
    fields,
    selectFields(indexFields(fields), sig.value.headers, 0),
    sig.value.unsigned,
    sig.value.canon.header,
  );
  const key = parseSigningKeyPem(ed25519Pem(RFC8463_ED25519_SEED));
  assert(key.ok && key.value.type === "ed25519");
  const raw = btoa(
    String.fromCharCode(...await ed25519Sign(key.value.ed25519, input)),
  );
  const message = RFC8463_MESSAGE.replace(
    /b=9\/dsDChY[^\n]*\n[^\n]*/,
    `b=${raw}`,
  );
  const { result } = await verify(message, zoneOf(RFC8463_RECORDS));
  assertEquals(result.signatures[0].letter, "I");
  assert(result.signatures[0].reason.includes("raw header input"));
  assertEquals(result.signatures[1].letter, "A");
});

Deno.test("DkimVerifier: a key name over 253 octets is O, with no query", async () => {
  const selector = Array(3).fill("s".repeat(63)).join(".") + "." +
    "s".repeat(40);
  const message = RFC8463_MESSAGE.replace("s=brisbane", `s=${selector}`);
  const { result, queries } = await verify(message, zoneOf(RFC8463_RECORDS));
  assertEquals(result.signatures[0].letter, "O");
  assertEquals(queries.length, 1);
});

Deno.test("DkimVerifier: x= long past is K under the injected clock", async () => {
  const message = RFC8463_MESSAGE.replace(
    "t=1518460054;",
    "t=1518460054; x=1518460100;",
  );
  const late = await verify(message, zoneOf(RFC8463_RECORDS));
  assertEquals(late.result.signatures[0].letter, "K");
  const early = await verify(message, zoneOf(RFC8463_RECORDS), {
    now: () => 1518460100,
  });
  // The clock lets x= pass; the signature then fails on the added tag.
  assertEquals(early.result.signatures[0].letter, "I");
});

Deno.test("messageLetter() applies 3.4's rules in order", async () => {
  const { blankResult, messageLetter, setStatus } = await import(
    "./verdict.ts"
  );
  const sig = (code: "A" | "E" | "I" | "P" | "U" | "Q", aligned = false) => {
    const r = blankResult();
    setStatus(r, { letter: code, reason: code });
    r.aligned = aligned;
    return r;
  };
  const how = { honorLength: false, unusableHeader: false };
  const letter = (list: ReturnType<typeof sig>[], h = how) =>
    messageLetter(list, h).letter;
  assertEquals(letter([]), "S");
  assertEquals(letter([sig("I"), sig("A")]), "A");
  assertEquals(letter([sig("E")]), "E");
  assertEquals(letter([sig("E")], { ...how, honorLength: true }), "A");
  assertEquals(letter([sig("I"), sig("P")]), "P");
  assertEquals(letter([sig("I"), sig("U", true)]), "U");
  assertEquals(letter([sig("Q"), sig("I")]), "Q");
  assertEquals(letter([sig("A")], { ...how, unusableHeader: true }), "H");
});

Deno.test("DkimVerifier never throws: 300 random byte mutations of A.3 end in table letters", async () => {
  const { DKIM_STATUS } = await import("../status.ts");
  const base = enc(RFC8463_MESSAGE);
  const zone = zoneOf(RFC8463_RECORDS);
  let seed = 99;
  const rand = (n: number) =>
    (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) % n;
  const pool = [
    0x3b,
    0x3d,
    0x3a,
    0x20,
    0x0a,
    0x0d,
    0x09,
    0x41,
    0xff,
    0x00,
    0x2e,
  ];
  const seen = new Set<string>();
  for (let round = 0; round < 300; round++) {
    const bytes = base.slice();
    for (let k = rand(4) + 1; k > 0; k--) {
      // Mostly inside the two signature fields, where parsing happens.
      bytes[rand(700)] = pool[rand(pool.length)];
    }
    const { result } = await verify(bytes, zone, {}, rand(3) ? 0 : 7);
    for (const s of [result, ...result.signatures]) {
      assert(Object.hasOwn(DKIM_STATUS, s.letter), s.letter);
      assert(s === result || s.letter !== "S", "a signature left unjudged");
      seen.add(s.letter);
    }
  }
  // The mutations reach several steps of 3.3, not one letter only.
  assert(seen.size >= 4, [...seen].join(""));
});

Deno.test("DkimVerifier: a fault while judging one signature gives it P (3.3)", async () => {
  const faulty = {
    ...wasmBackend,
    verifier(): never {
      throw new Error("simulated fault");
    },
  };
  const { result } = await verify(RFC8463_MESSAGE, zoneOf(RFC8463_RECORDS), {
    backend: faulty,
  });
  // Ed25519 does not use the RSA verifier: A; the RSA one faults: P.
  assertEquals(result.signatures.map((s) => s.letter), ["A", "P"]);
  assert(result.signatures[1].reason.includes("simulated fault"));
  assertEquals(result.letter, "A");
});

Deno.test("DkimVerifier: a key record read before under another minimum is judged again (records are remembered per minimum)", async () => {
  const zone = zoneOf(RFC8463_RECORDS);
  for (const [minKeyBits, want] of [[1024, "A"], [2048, "R"], [1024, "A"]]) {
    const { result } = await verify(RFC8463_MESSAGE, zone, {
      minKeyBits: minKeyBits as number,
    });
    assertEquals(result.signatures[1].letter, want, `minimum ${minKeyBits}`);
  }
});
