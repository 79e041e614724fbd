import {
  assert,
  assertEquals,
  assertStringIncludes,
} from "../../tests/helpers/assert.ts";
import {
  annotatedMessage,
  noAuthservId,
  withoutOutsideResultFields,
} from "./add_header.ts";
import { type BothResult, BothVerifier } from "./verify_message.ts";
import { resultFields } from "../queue/auth_results.ts";
import { DkimSigner } from "../dkim/sign.ts";
import { wasmBackend } from "../crypto/wasm.ts";
import { encodeBase64 } from "../crypto/base64.ts";
import { memoryResolver } from "../dns/memory_resolver.ts";
import { makePrivateKey } from "../crypto/_testing.ts";
import { MAX_HEADER_BYTES } from "../message/header.ts";
import { concat } from "../bytes.ts";
import { err, ok } from "../result.ts";

const te = new TextEncoder();
const td = new TextDecoder();
const KEY = makePrivateKey(1024);
const NOW = 1764072000;
const ID = "mx.example.org";
const FIELDS = [
  `Authentication-Results: ${ID}; dkim=pass header.d=example.com`,
  "Authentication-Results: other.example; dkim=fail",
  "X-DKIM-Foo: bar",
  "DKIM-Status: good",
  "DomainKey-Status: good",
  "From: Joe <joe@example.com>",
  "Authentication-Results: MX.Example.ORG;",
  "\tspf=pass",
  "To: a@example.net",
  "Subject: t",
];
const KEPT = [
  "Authentication-Results: other.example; dkim=fail",
  "DomainKey-Status: good",
  "From: Joe <joe@example.com>",
  "To: a@example.net",
  "Subject: t",
];
const BODY = ["", "Hello", ""];

/** The message with `eol` line ends. */
function message(lines: string[], eol: "\n" | "\r\n"): Uint8Array {
  return te.encode([...lines, ...BODY].join(eol));
}

/** `bytes` with a DKIM-Signature on top (d=example.com, s=s). */
async function dkimSigned(bytes: Uint8Array): Promise<Uint8Array> {
  const signer = new DkimSigner({
    key: { type: "rsa", rsa: KEY },
    selector: "s",
    time: NOW,
  });
  signer.update(bytes);
  const field = await signer.sign();
  if (!field.ok) throw new Error(field.error.reason);
  const eol = bytes.includes(0x0d) ? "\r\n" : "\n";
  return concat(te.encode(field.value.replace(/\r?\n/g, eol)), bytes);
}

async function verdicts(bytes: Uint8Array): Promise<BothResult> {
  const v = new BothVerifier({
    resolver: memoryResolver({
      "s._domainkey.example.com": [[
        `k=rsa; p=${encodeBase64(KEY.publicKey.spki)}`,
      ]],
    }),
    backend: wasmBackend,
    minKeyBits: 1024,
    now: () => NOW,
    acceptSha1: false,
    honorLength: false,
  });
  v.update(bytes);
  return await v.finish();
}

const never = () => {
  throw new Error("the authserv-id was asked for");
};

Deno.test("annotatedMessage(): no DKIM-Signature, the message under DomainKey-Status as before, no authserv-id asked", async () => {
  for (const eol of ["\n", "\r\n"] as const) {
    const bytes = message(FIELDS, eol);
    const parts = annotatedMessage(bytes, await verdicts(bytes), {
      authservId: never,
      honorLength: false,
    });
    assert(parts.ok);
    assertEquals(
      td.decode(parts.value[0]),
      `DomainKey-Status: no signature${eol}`,
    );
    assert(parts.value[1] === bytes, "the message itself, untouched");
    assertEquals(parts.value.length, 2);
  }
});

Deno.test("annotatedMessage(): with a DKIM-Signature, AR, DKIM-Status, DomainKey-Status on top of the message without ours", async () => {
  for (const eol of ["\n", "\r\n"] as const) {
    const bytes = await dkimSigned(message(FIELDS, eol));
    const both = await verdicts(bytes);
    assertEquals(both.dkim.letter, "A");
    const parts = annotatedMessage(bytes, both, {
      authservId: () => ok(ID),
      honorLength: false,
    });
    assert(parts.ok);
    const text = td.decode(concat(...parts.value));
    const top = resultFields(ID, both.dkim, both.dk, eol) +
      `DomainKey-Status: no signature${eol}`;
    assert(text.startsWith(top), text);
    const signature = td.decode(bytes).split(`${eol}Authentication-Results`)[0];
    assertEquals(
      text.slice(top.length),
      signature + eol + [...KEPT, ...BODY].join(eol),
    );
    assertStringIncludes(
      top,
      `Authentication-Results: ${ID};${eol}\tdkim=pass`,
    );
    assertStringIncludes(top, `${eol}\tdomainkeys=none`);
    assertStringIncludes(top, `${eol}DKIM-Status: good${eol}DomainKey-Status`);
    // Every added line ends as the message's do.
    const bare = top.replace(/\r\n/g, "").includes("\n");
    assertEquals(bare, eol === "\n");
  }
});

Deno.test("annotatedMessage(): --honor-l reaches the dkim= result", async () => {
  const bytes = await dkimSigned(message(FIELDS, "\n"));
  const both = await verdicts(bytes);
  const parts = annotatedMessage(bytes, both, {
    authservId: () => ok(ID),
    honorLength: true,
  });
  assert(parts.ok);
  assertEquals(
    td.decode(parts.value[0]),
    resultFields(ID, both.dkim, both.dk, "\n", { honorLength: true }) +
      "DomainKey-Status: no signature\n",
  );
});

Deno.test("annotatedMessage(): no usable authserv-id fails for DKIM mail only", async () => {
  const bytes = await dkimSigned(message(FIELDS, "\n"));
  const none = () => err(noAuthservId("/var/qmail/control"));
  assertEquals(
    annotatedMessage(bytes, await verdicts(bytes), {
      authservId: none,
      honorLength: false,
    }),
    err(noAuthservId("/var/qmail/control")),
  );
  assertStringIncludes(
    noAuthservId("/var/qmail/control"),
    "/var/qmail/control/me",
  );
  assert(!noAuthservId("/x").includes("\n"));
});

Deno.test("withoutOutsideResultFields(): ours, DKIM-Status and X-DKIM-* out; body and lines without a colon kept", () => {
  const cut = (text: string) =>
    td.decode(concat(...withoutOutsideResultFields(te.encode(text), ID)));
  assertEquals(
    cut(
      `X-DKIM-A: 1\nno colon\nFrom: a@b.example\nDKIM-Status: x\n\nX-DKIM-B: body\n`,
    ),
    "no colon\nFrom: a@b.example\n\nX-DKIM-B: body\n",
  );
  assertEquals(cut("From: a@b.example\nX-DKIM-A: 1\n"), "From: a@b.example\n");
  assertEquals(cut(""), "");
  assertEquals(cut("\nX-DKIM-A: body\n"), "\nX-DKIM-A: body\n");
});

Deno.test("withoutOutsideResultFields(): past the header limit the field cut short stays whole", () => {
  const long = "X-DKIM-Long: " + "x".repeat(MAX_HEADER_BYTES) + "\n";
  const text = "X-DKIM-A: 1\nFrom: a@b.example\n" + long + "\nbody\n";
  const parts = withoutOutsideResultFields(te.encode(text), ID);
  assertEquals(
    td.decode(concat(...parts)),
    "From: a@b.example\n" + long + "\nbody\n",
  );
});
