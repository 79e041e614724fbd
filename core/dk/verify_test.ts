import { assert, assertEquals } from "../../tests/helpers/assert.ts";
import { nodeBackend } from "../../tests/helpers/node_backend.ts";
import { loadBackend } from "../crypto/load.ts";
import type { CryptoBackend } from "../crypto/backend.ts";
import { memoryResolver, type MemoryZone } from "../dns/memory_resolver.ts";
import { DkSigner } from "./sign.ts";
import { DkVerifier } from "./verify.ts";
import { makePrivateKey } from "../crypto/_testing.ts";
import type { PrivateKeyInfo } from "../crypto/keys.ts";
import { encodeBase64 } from "../crypto/base64.ts";

const te = new TextEncoder();

const KEY = makePrivateKey(1024);
const OTHER = makePrivateKey(1024);
const SHORT = makePrivateKey(512);
const p = (k: PrivateKeyInfo) => `k=rsa; p=${encodeBase64(k.publicKey.spki)}`;

const ZONE: MemoryZone = {
  "s._domainkey.example.com": [[p(KEY).slice(0, 100), p(KEY).slice(100)]],
  "wrong._domainkey.example.com": [[p(OTHER)]],
  "revoked._domainkey.example.com": [["k=rsa; p="]],
  "badb64._domainkey.example.com": [["k=rsa; p=!!notbase64"]],
  "short._domainkey.example.com": [[p(SHORT)]],
  "ktype._domainkey.example.com": [[
    "k=dsa; p=" + encodeBase64(KEY.publicKey.spki),
  ]],
  "gbob._domainkey.example.com": [["g=bob; " + p(KEY)]],
  "galice._domainkey.example.com": [["g=alice; " + p(KEY)]],
  "testing._domainkey.example.com": [["t=y; " + p(OTHER)]],
  "spf._domainkey.example.com": [["v=spf1 -all"]],
  "two._domainkey.example.com": [[p(OTHER)], ["v=spf1"], [p(KEY)]],
  "tempfail._domainkey.example.com": "servfail",
  "nodata._domainkey.example.com": "nodata",
};

async function sign(
  message: string,
  selector: string,
  key = KEY,
  canon: "nofws" | "simple" = "nofws",
  headers?: string[],
): Promise<string> {
  const signer = new DkSigner({ canon, headers });
  signer.update(te.encode(message));
  const plan = signer.end();
  if (!plan.ok) throw new Error(plan.error.reason);
  const header = await signer.sign(
    key,
    selector,
    plan.value.domain.toLowerCase(),
    "\n",
  );
  if (!header.ok) throw new Error(header.error.reason);
  return header.value + message;
}

async function verify(
  message: string,
  chunk = 0,
  backend: CryptoBackend = nodeBackend,
) {
  const v = new DkVerifier({ resolver: memoryResolver(ZONE), backend });
  const bytes = te.encode(message);
  if (chunk === 0) v.update(bytes);
  else {for (let i = 0; i < bytes.length; i += chunk) {
      v.update(bytes.subarray(i, i + chunk));
    }}
  return await v.finish();
}

const MSG =
  "From: Alice <alice@example.com>\nTo: bob@example.org\nSubject: hi\n\nHello  world\n\n";

const CASES: [string, () => string | Promise<string>, string][] = [
  ["a good nofws signature", async () => (await sign(MSG, "s")), "A"],
  [
    "a good simple signature",
    async () => (await sign(MSG, "s", KEY, "simple")),
    "A",
  ],
  [
    "a good signature with h=",
    async () => (await sign(MSG, "s", KEY, "nofws", ["from", "subject"])),
    "A",
  ],
  [
    "a good signature over CRLF input",
    async () => (await sign(MSG.replaceAll("\n", "\r\n"), "s")),
    "A",
  ],
  [
    "a signature from a subdomain sender",
    async () =>
      (await sign(MSG.replace("@example.com", "@mail.example.com"), "s"))
        .replace(
          "d=mail.example.com",
          "d=example.com",
        ),
    "A",
  ],
  ["no signature", () => MSG, "C"],
  [
    "a changed body",
    async () => (await sign(MSG, "s")).replace("Hello", "Jello"),
    "B",
  ],
  [
    "whitespace added to a nofws body",
    async () => (await sign(MSG, "s")).replace("Hello", "Hel lo"),
    "A",
  ],
  [
    "whitespace added to a simple body",
    async () =>
      (await sign(MSG, "s", KEY, "simple")).replace("Hello", "Hel lo"),
    "B",
  ],
  [
    "a header added below the signature",
    async () => (await sign(MSG, "s")).replace("To:", "X-New: 1\nTo:"),
    "B",
  ],
  [
    "a header added above the signature",
    async () => "Received: by x\n" + (await sign(MSG, "s")),
    "A",
  ],
  [
    "a header outside h= added",
    async () =>
      (await sign(MSG, "s", KEY, "nofws", ["from", "subject"])).replace(
        "To:",
        "X-New: 1\nTo:",
      ),
    "A",
  ],
  ["the wrong key published", async () => (await sign(MSG, "wrong")), "B"],
  ["a revoked key", async () => (await sign(MSG, "revoked")), "J"],
  ["no key (NXDOMAIN)", async () => (await sign(MSG, "nokey")), "D"],
  ["no key (NODATA)", async () => (await sign(MSG, "nodata")), "D"],
  [
    "a TXT record that is not a key record",
    async () => (await sign(MSG, "spf")),
    "D",
  ],
  ["bad base64 in p=", async () => (await sign(MSG, "badb64")), "E"],
  ["a 512-bit key", async () => (await sign(MSG, "short", SHORT)), "E"],
  ["k=dsa", async () => (await sign(MSG, "ktype")), "E"],
  [
    "g= not the sender's local part",
    async () => (await sign(MSG, "gbob")),
    "L",
  ],
  ["g= equal to the local part", async () => (await sign(MSG, "galice")), "A"],
  ["DNS trouble", async () => (await sign(MSG, "tempfail")), "F"],
  ["several key records, one right", async () => (await sign(MSG, "two")), "A"],
  [
    "From domain not d=",
    async () =>
      (await sign(MSG, "s")).replace("alice@example.com", "alice@example.net"),
    "G",
  ],
  [
    "no From",
    async () =>
      (await sign(MSG, "s")).replace("From: Alice <alice@example.com>\n", ""),
    "G",
  ],
  [
    "two From headers",
    async () =>
      (await sign(MSG, "s")).replace("To:", "From: x@example.com\nTo:"),
    "G",
  ],
  [
    "a=rsa-sha256",
    async () => (await sign(MSG, "s")).replace("a=rsa-sha1", "a=rsa-sha256"),
    "G",
  ],
  [
    "c=relaxed",
    async () => (await sign(MSG, "s")).replace("c=nofws", "c=relaxed"),
    "G",
  ],
  [
    "q=http",
    async () => (await sign(MSG, "s")).replace("q=dns", "q=http"),
    "G",
  ],
  [
    "a duplicated tag",
    async () => (await sign(MSG, "s")).replace("q=dns;", "q=dns; q=dns;"),
    "G",
  ],
  [
    "an uppercase tag name",
    async () => (await sign(MSG, "s")).replace("q=dns;", "Q=dns;"),
    "G",
  ],
  [
    "no b= tag",
    async () => (await sign(MSG, "s")).replace(/b=[^;]*;/, ""),
    "C",
  ],
  [
    "no d= tag",
    async () => (await sign(MSG, "s")).replace("d=example.com;", ""),
    "C",
  ],
  [
    "an empty d= tag",
    async () => (await sign(MSG, "s")).replace("d=example.com;", "d=;"),
    "G",
  ],
  [
    "an empty b= tag",
    async () => (await sign(MSG, "s")).replace(/b=[^;]*;/, "b=;"),
    "B",
  ],
  [
    "h= without from",
    async () =>
      (await sign(MSG, "s", KEY, "nofws", ["from", "subject"])).replace(
        "h=From:Subject",
        "h=To:Subject",
      ),
    "G",
  ],
  [
    "a sending domain with a trailing dot (EXAMPLE.COM.), signed d=example.com",
    async () =>
      (await sign(MSG.replace("@example.com", "@EXAMPLE.COM."), "s"))
        .replace("d=example.com.;", "d=example.com;"),
    "A",
  ],
  [
    "h= naming from when a Sender gave the sending address",
    async () =>
      (await sign("Sender: s@example.com\n" + MSG, "s", KEY, "nofws", [
        "sender",
        "from",
      ])).replace("h=Sender:From", "h=From"),
    "G",
  ],
  [
    "an h= of 1,000 names (the most allowed)",
    async () =>
      (await sign(MSG, "s", KEY, "nofws", ["from", "subject"])).replace(
        "h=From:Subject",
        "h=" + "x-none:".repeat(998) + "From:Subject",
      ),
    "A",
  ],
  [
    "an h= of 1,001 names",
    async () =>
      (await sign(MSG, "s", KEY, "nofws", ["from", "subject"])).replace(
        "h=From:Subject",
        "h=" + "x-none:".repeat(999) + "From:Subject",
      ),
    "G",
  ],
  [
    "a signed message whose first line starts with a space",
    async () => " x\n" + (await sign(MSG, "s")),
    "G",
  ],
  [
    "an unsigned message whose first line starts with a tab",
    () => "\tx\n" + MSG,
    "G",
  ],
  [
    "the testing key's bad signature",
    async () => (await sign(MSG, "testing")),
    "B",
  ],
];

for (const [name, make, code] of CASES) {
  Deno.test(`DkVerifier gives ${code} for ${name}`, async () => {
    const message = await make();
    const result = await verify(message);
    assertEquals(result.letter, code, result.reason);
    const byteWise = await verify(message, 1);
    assertEquals(byteWise.letter, code, "fed one byte at a time");
    for (const name of ["wasm", "bigint", "webcrypto"] as const) {
      const backend = await loadBackend(name);
      if (!backend.ok) throw new Error(backend.error);
      const other = await verify(message, 7, backend.value);
      assertEquals(other.letter, code, `backend ${name}`);
    }
  });
}

Deno.test("DkVerifier with explain: false gives the same result with no explain text, for every case", async () => {
  for (const [name, make] of CASES) {
    const bytes = te.encode(await make());
    const results = [];
    for (const explain of [undefined, false]) {
      const v = new DkVerifier({
        resolver: memoryResolver(ZONE),
        backend: nodeBackend,
        explain,
      });
      v.update(bytes);
      results.push(await v.finish());
    }
    const [full, quiet] = results;
    assertEquals(quiet.explain, [], name);
    assertEquals({ ...quiet, explain: full.explain }, full, name);
    if (full.domain !== undefined) assert(full.explain.length > 0, name);
  }
});

Deno.test("DkVerifier reports t=y and the reason for a too-short key", async () => {
  const testing = await verify(await sign(MSG, "testing"));
  assertEquals(testing.testing, true);
  const short = await verify(await sign(MSG, "short", SHORT));
  assertEquals(short.reason, "key too short (512 bits)");
});

Deno.test("DkVerifier asks DNS for the selector under d=, lowercased", async () => {
  const resolver = memoryResolver(ZONE);
  const v = new DkVerifier({ resolver, backend: nodeBackend });
  v.update(te.encode((await sign(MSG, "s")).replace("s=s;", "s=S;")));
  assertEquals((await v.finish()).letter, "A");
  assertEquals(resolver.queries, ["s._domainkey.example.com"]);
});

Deno.test("DkSigner refuses a message without From and flags an existing signature", async () => {
  const noFrom = new DkSigner({ canon: "nofws" });
  noFrom.update(te.encode("To: a@b.example\n\nx\n"));
  assertEquals(noFrom.end().ok, false);
  const signed = new DkSigner({ canon: "nofws" });
  signed.update(te.encode(await sign(MSG, "s")));
  const plan = signed.end();
  assertEquals(plan.ok && plan.value.alreadySigned, true);
  const withSender = new DkSigner({ canon: "nofws" });
  withSender.update(
    te.encode("Sender: list@lists.example\n" + (await sign(MSG, "s"))),
  );
  const plan2 = withSender.end();
  assertEquals(plan2.ok && plan2.value.alreadySigned, false);
  assertEquals(plan2.ok && plan2.value.domain, "lists.example");
});

Deno.test("DkSigner refuses (G) a message whose first line starts with whitespace", () => {
  for (const lead of [" ", "\t"]) {
    const signer = new DkSigner({ canon: "nofws" });
    signer.update(te.encode(lead + "x\n" + MSG));
    const plan = signer.end();
    assertEquals(
      plan.ok ? "signed" : plan.error.letter,
      "G",
      JSON.stringify(lead),
    );
  }
});
