import { assertEquals } from "../../tests/helpers/assert.ts";
import { BothVerifier } from "./verify_message.ts";
import { signDomainKeys } from "../dk/sign_message.ts";
import { DkimSigner } from "../dkim/sign.ts";
import { wasmBackend } from "../crypto/wasm.ts";
import { encodeBase64 } from "../crypto/base64.ts";
import { memoryResolver } from "../dns/memory_resolver.ts";
import { makePrivateKey } from "../crypto/_testing.ts";

const te = new TextEncoder();
const KEY = makePrivateKey(1024);
const NOW = 1764072000;

/** DK (s), then DKIM (s) over it, then a second DK (s) on top: 3 fields. */
async function threeSignatures(): Promise<Uint8Array> {
  let message = te.encode(
    "From: Joe <joe@example.com>\nTo: a@example.net\nSubject: t\n\nHello\n",
  );
  const dk = async () => {
    const out = await signDomainKeys(message, {
      key: KEY,
      selector: "s",
      canon: "nofws",
    });
    if (out.kind !== "signed") throw new Error(out.message);
    return out.header;
  };
  const first = await dk();
  message = new Uint8Array([...te.encode(first), ...message]);
  const signer = new DkimSigner({
    key: { type: "rsa", rsa: KEY },
    selector: "s",
    time: NOW,
  });
  signer.update(message);
  const field = await signer.sign();
  if (!field.ok) throw new Error(field.error.reason);
  message = new Uint8Array([...te.encode(field.value), ...message]);
  // A DK signature on top that signs nothing below (it saw the old form):
  // the topmost is then B while the lower one is evaluated on its own.
  return new Uint8Array([
    ...te.encode(first.replace(/b=[^;]*;/s, "b=AAAA;")),
    ...message,
  ]);
}

Deno.test("BothVerifier reports every signature top to bottom, whatever the chunking, with one lookup per name", async () => {
  const message = await threeSignatures();
  for (const size of [1, 7, message.length]) {
    const resolver = memoryResolver({
      "s._domainkey.example.com": [[
        `k=rsa; p=${encodeBase64(KEY.publicKey.spki)}`,
      ]],
    });
    const v = new BothVerifier({
      resolver,
      backend: wasmBackend,
      minKeyBits: 1024,
      now: () => NOW,
      acceptSha1: false,
      honorLength: false,
    });
    for (let at = 0; at < message.length; at += size) {
      v.update(message.subarray(at, at + size));
    }
    const r = await v.finish();
    const codes = r.signatures.map((s) =>
      s.scheme === "dk"
        ? `dk ${s.result.letter} @${s.position}`
        : `dkim ${r.dkim.signatures[s.index].letter} @${s.position}`
    );
    assertEquals(codes, ["dk B @0", "dkim A @1", "dk A @2"], `chunks ${size}`);
    assertEquals([r.dk.letter, r.dkim.letter, r.dkSkipped], ["B", "A", 0]);
    assertEquals(resolver.queries, ["s._domainkey.example.com"]);
  }
});
