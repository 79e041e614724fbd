import { assertEquals } from "../../tests/helpers/assert.ts";
import { makePrivateKey } from "../crypto/_testing.ts";
import { finishSigning, signDomainKeys } from "./sign_message.ts";
import { DkSigner } from "./sign.ts";

const te = new TextEncoder();

const KEY = makePrivateKey(1024);
const MESSAGE = "From: Alice <alice@Example.COM>\nSubject: hi\n\nbody\n";

function fed(text: string): DkSigner {
  const signer = new DkSigner({ canon: "nofws" });
  signer.update(te.encode(text));
  return signer;
}

Deno.test("finishSigning() asks for the key of the sending domain and signs with it", async () => {
  const asked: string[] = [];
  const step = await finishSigning(fed(MESSAGE), (sender) => {
    asked.push(sender.domain);
    return { kind: "key", key: KEY, selector: "s1", domain: "example.com" };
  });
  assertEquals(asked, ["Example.COM"]);
  assertEquals(step.kind, "signed");
  if (step.kind !== "signed") return;
  assertEquals(
    step.header.startsWith("DomainKey-Signature: a=rsa-sha1;"),
    true,
  );
  assertEquals(/ d=example\.com;/.test(step.header), true);
  assertEquals(/ s=s1;/.test(step.header), true);
  assertEquals(
    step.header.endsWith("\n") && !step.header.endsWith("\r\n"),
    true,
  );
});

Deno.test("finishSigning() writes CRLF for a CRLF message unless told a line end", async () => {
  const crlf = MESSAGE.replaceAll("\n", "\r\n");
  const key = { kind: "key", key: KEY, selector: "s1", domain: "example.com" };
  const a = await finishSigning(fed(crlf), () => key as never);
  assertEquals(a.kind === "signed" && a.header.endsWith("\r\n"), true);
  const b = await finishSigning(fed(crlf), () => key as never, {
    lineEnd: "\n",
  });
  assertEquals(b.kind === "signed" && !b.header.endsWith("\r\n"), true);
});

Deno.test("finishSigning() leaves an already signed message alone without asking for a key", async () => {
  let asked = false;
  const step = await finishSigning(
    fed(
      `DomainKey-Signature: a=rsa-sha1; d=example.com; s=x; b=AA;\n${MESSAGE}`,
    ),
    () => {
      asked = true;
      return { kind: "skip", why: "no" };
    },
  );
  assertEquals([step, asked], [{ kind: "already-signed" }, false]);
});

Deno.test("finishSigning(): no usable sender is G; the caller's skip comes back as it was given", async () => {
  const none = await finishSigning(fed("Subject: x\n\nbody\n"), () => {
    throw new Error("must not be asked");
  });
  assertEquals(none.kind === "unusable" && none.status.letter, "G");
  const skipped = await finishSigning(
    fed(MESSAGE),
    () => ({ kind: "skip", why: 42 }),
  );
  assertEquals(skipped, { kind: "skipped", why: 42 });
});

Deno.test("signDomainKeys() refuses a d= that is not the sending domain or a parent", async () => {
  const out = await signDomainKeys(te.encode(MESSAGE), {
    key: KEY,
    selector: "s1",
    domain: "other.org",
    canon: "nofws",
  });
  assertEquals(out, {
    kind: "refused",
    message:
      'Cannot sign for "other.org": the sending domain is "example.com" (d= must be it or a parent)',
    alreadySigned: false,
  });
});
