import fc from "fast-check";
import { assertEquals } from "../../tests/helpers/assert.ts";
import { nodeBackend } from "../../tests/helpers/node_backend.ts";
import { memoryResolver } from "../dns/memory_resolver.ts";
import { DkVerifier } from "./verify.ts";
import { DkSigner } from "./sign.ts";
import { LETTERS } from "../status.ts";
import { encodeBase64 } from "../crypto/base64.ts";
import { makePrivateKey } from "../crypto/_testing.ts";

const te = new TextEncoder();

/** Messages built from the pieces parsers trip on, in any order and chunking. */
const piece = fc.constantFrom(
  "DomainKey-Signature: a=rsa-sha1; c=nofws; d=example.com; s=s; b=AAAA;\n",
  "DomainKey-Signature: d=; s=; b=\n",
  "domainkey-signature:h=from:to;;=;\r\n",
  "From: a@example.com\n",
  "From: <@>\n",
  'Sender: (x) "q\\"" <b@sub.example.com>\r\n',
  " folded\n",
  "\tmore\r\n",
  "no colon\n",
  ":\n",
  "\n",
  "\r\n",
  "\r",
  "body  \t line\n",
  "\x00\xff\x80",
  "=?utf-8?q?x?=\n",
);

Deno.test("DkVerifier answers every message with a letter and never throws", async () => {
  const resolver = memoryResolver({
    "s._domainkey.example.com": [[
      "k=rsa; p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQ",
    ]],
  });
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.oneof(piece, fc.string()), { maxLength: 30 }),
      fc.integer({ min: 1, max: 50 }),
      async (parts, chunk) => {
        const bytes = Uint8Array.from(
          parts.join(""),
          (c) => c.charCodeAt(0) & 0xff,
        );
        const whole = new DkVerifier({ resolver, backend: nodeBackend });
        whole.update(bytes);
        const a = await whole.finish();
        const split = new DkVerifier({ resolver, backend: nodeBackend });
        for (let i = 0; i < bytes.length; i += chunk) {
          split.update(bytes.subarray(i, i + chunk));
        }
        const b = await split.finish();
        assertEquals(LETTERS.includes(a.letter), true);
        assertEquals(a.letter === "K", false, a.reason);
        assertEquals([b.letter, b.reason], [a.letter, a.reason]);
      },
    ),
    { numRuns: 300, seed: 20261125 },
  );
});

Deno.test("DkSigner.end() answers every message with an address or a G, never a throw", () => {
  fc.assert(
    fc.property(
      fc.array(fc.oneof(piece, fc.string()), { maxLength: 30 }),
      (parts) => {
        const signer = new DkSigner({ canon: "nofws" });
        signer.update(te.encode(parts.join("")));
        const plan = signer.end();
        assertEquals(plan.ok || plan.error.letter === "G", true);
      },
    ),
    { numRuns: 300, seed: 20261125 },
  );
});

// A real key behind a resolver, so the properties below reach A and B.
const KEY = makePrivateKey(1024);
const REAL = memoryResolver({
  "s._domainkey.example.com": [[
    `k=rsa; p=${encodeBase64(KEY.publicKey.spki)}`,
  ]],
});

const NAMES = ["To", "Subject", "Date", "X-A", "x-b", "Received"];
const word = fc.array(fc.constantFrom(..."abcXYZ019 -.,<>@\t"), {
  minLength: 1,
  maxLength: 24,
}).map((c) => c.join(""));
const header = fc.record({ name: fc.constantFrom(...NAMES), value: word });

/** A message and what was signed: headers in random order, From among them. */
const signedMessage = fc.record({
  headers: fc.array(header, { minLength: 1, maxLength: 8 }),
  fromAt: fc.nat(),
  signed: fc.subarray(NAMES.map((n) => n.toLowerCase())),
  canon: fc.constantFrom("nofws" as const, "simple" as const),
  body: word,
});

type Sample = typeof signedMessage extends fc.Arbitrary<infer T> ? T : never;

function headerLines(sample: Sample): string[] {
  const lines = sample.headers.map((h) => `${h.name}: ${h.value}\n`);
  lines.splice(sample.fromAt % (lines.length + 1), 0, "From: a@example.com\n");
  return lines;
}

async function signLines(sample: Sample, lines: string[]): Promise<string> {
  const signer = new DkSigner({
    canon: sample.canon,
    headers: ["from", ...sample.signed],
  });
  signer.update(te.encode(lines.join("") + "\n" + sample.body + "\n"));
  const header = await signer.sign(KEY, "s", "example.com", "\n");
  if (!header.ok) throw new Error(header.error.reason);
  return header.value;
}

async function verifyText(text: string): Promise<string> {
  const v = new DkVerifier({ resolver: REAL, backend: nodeBackend });
  v.update(Uint8Array.from(text, (c) => c.charCodeAt(0) & 0xff));
  const r = await v.finish();
  return r.letter;
}

Deno.test("A signed message verifies A; one changed byte in a signed header gives B", async () => {
  await fc.assert(
    fc.asyncProperty(
      signedMessage,
      fc.nat(),
      fc.nat(),
      async (sample, pick, at) => {
        const lines = headerLines(sample);
        const signature = await signLines(sample, lines);
        const tail = "\n" + sample.body + "\n";
        assertEquals(await verifyText(signature + lines.join("") + tail), "A");
        // A signed header other than From, and a byte of its value that
        // counts in both canonicalizations (not whitespace), made another.
        const signedAt = lines.flatMap((l, i) =>
          !l.startsWith("From:") &&
            sample.signed.includes(l.slice(0, l.indexOf(":")).toLowerCase())
            ? [i]
            : []
        );
        fc.pre(signedAt.length > 0);
        const i = signedAt[pick % signedAt.length];
        const line = lines[i];
        const valueStart = line.indexOf(":") + 2;
        const spots = [...line.slice(valueStart, -1)].flatMap((c, k) =>
          c === " " || c === "\t" ? [] : [valueStart + k]
        );
        fc.pre(spots.length > 0);
        const spot = spots[at % spots.length];
        const changed = [...lines];
        changed[i] = line.slice(0, spot) +
          (line[spot] === "q" ? "r" : "q") + line.slice(spot + 1);
        assertEquals(
          await verifyText(signature + changed.join("") + tail),
          "B",
        );
      },
    ),
    { numRuns: 60, seed: 20261204 },
  );
});

Deno.test("Changing, adding or removing a header not in h= keeps A", async () => {
  await fc.assert(
    fc.asyncProperty(signedMessage, word, async (sample, value) => {
      const lines = headerLines(sample);
      const signature = await signLines(sample, lines);
      const tail = "\n" + sample.body + "\n";
      const unsigned = lines.flatMap((l, i) =>
        l.startsWith("From:") ||
          sample.signed.includes(l.slice(0, l.indexOf(":")).toLowerCase())
          ? []
          : [i]
      );
      const outside = NAMES.find((n) =>
        !sample.signed.includes(n.toLowerCase())
      );
      fc.pre(outside !== undefined);
      const added = [...lines, `${outside}: ${value}\n`];
      assertEquals(await verifyText(signature + added.join("") + tail), "A");
      for (const i of unsigned) {
        const changed = [...lines];
        changed[i] = changed[i].slice(0, changed[i].indexOf(":") + 1) +
          ` ${value}\n`;
        assertEquals(
          await verifyText(signature + changed.join("") + tail),
          "A",
        );
        const removed = lines.filter((_, k) => k !== i);
        assertEquals(
          await verifyText(signature + removed.join("") + tail),
          "A",
        );
      }
    }),
    { numRuns: 60, seed: 20261204 },
  );
});
