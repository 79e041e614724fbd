import { assertEquals } from "../../tests/helpers/assert.ts";
import { keyRecordReadings } from "./answer_keys.ts";
import { keyRecordFor } from "./key_record.ts";
import { DkSigner } from "./sign.ts";
import { DkVerifier } from "./verify.ts";
import { makePrivateKey } from "../crypto/_testing.ts";
import { encodeBase64 } from "../crypto/base64.ts";
import { wasmBackend } from "../crypto/wasm.ts";
import type { Resolver, TxtAnswer } from "../dns/resolver.ts";

const te = new TextEncoder();
const KEY = makePrivateKey(1024);
const P = `p=${encodeBase64(KEY.publicKey.spki)}`;

const answer = (
  ...texts: string[]
): Extract<TxtAnswer, { kind: "records" }> => ({
  kind: "records",
  records: texts.map((
    t,
  ) => [te.encode(t.slice(0, 100)), te.encode(t.slice(100))]),
});

Deno.test("keyRecordReadings() reads an answer once per minimum size, key records only, in order", () => {
  const a = answer("v=spf1 -all", `g=bob; ${P}`, "k=rsa; p=");
  const first = keyRecordReadings(a, 1024);
  assertEquals(first.length, 2);
  assertEquals(keyRecordReadings(a, 1024) === first, true);
  const [bob, revoked] = first;
  const forBob = keyRecordFor(bob, "Bob");
  assertEquals(forBob.ok && forBob.value.granularity, "bob");
  assertEquals(keyRecordFor(revoked, "bob").ok ? "" : "J", "J");
  const again = keyRecordFor(bob, "bob");
  assertEquals(forBob.ok && again.ok && forBob.value === again.value, true);
  // Another minimum is another reading; another answer object too.
  const strict = keyRecordReadings(a, 2048)[0];
  const short = keyRecordFor(strict, "bob");
  assertEquals(short.ok ? "" : short.error.reason, "key too short (1024 bits)");
  assertEquals(
    keyRecordReadings(answer(`g=bob; ${P}`), 1024)[0] === bob,
    false,
  );
});

Deno.test("DkVerifier: messages sharing one answer object share its key and keep their own g= verdicts", async () => {
  const shared = answer(`g=alice; ${P}`);
  const asked: string[] = [];
  const resolver: Resolver = {
    txt: (name) => (asked.push(name), Promise.resolve(shared)),
  };
  const letters: string[] = [];
  for (const local of ["alice", "bob", "Alice"]) {
    const body = `From: <${local}@example.com>\r\nSubject: x\r\n\r\nhi\r\n`;
    const signer = new DkSigner({ canon: "nofws" });
    signer.update(te.encode(body));
    const header = await signer.sign(KEY, "s", "example.com", "\r\n");
    if (!header.ok) throw new Error(header.error.reason);
    const v = new DkVerifier({ resolver, backend: wasmBackend });
    v.update(te.encode(header.value + body));
    const result = await v.finish();
    letters.push(result.letter);
  }
  assertEquals(letters, ["A", "L", "A"]);
  assertEquals(asked.length, 3);
});
