import fc from "fast-check";
import { assertEquals } from "../../tests/helpers/assert.ts";
import { nodeBackend } from "../../tests/helpers/node_backend.ts";
import { memoryResolver } from "../dns/memory_resolver.ts";
import { DkVerifier } from "./verify.ts";
import { DkSigner } from "./sign.ts";
import { LETTERS } from "../status.ts";

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
        assertEquals(LETTERS.includes(a.code), true);
        assertEquals(a.code === "K", false, a.reason);
        assertEquals([b.code, b.reason], [a.code, a.reason]);
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
        assertEquals(plan.ok || plan.error.code === "G", true);
      },
    ),
    { numRuns: 300, seed: 20261125 },
  );
});
