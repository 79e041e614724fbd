import { assert, assertEquals } from "../../tests/helpers/assert.ts";
import {
  ed25519Pem,
  RFC8463_ED25519_SEED,
  RFC8463_RSA_PEM,
} from "./_rfc8463.ts";
import { defaultSignedNames, DkimSigner, parseSigningKeyPem } from "./sign.ts";
import { splitFields } from "../message/header.ts";

const enc = (s: string) => new TextEncoder().encode(s);

Deno.test("parseSigningKeyPem() takes RSA PKCS#1 and Ed25519 PKCS#8, refuses others", () => {
  const rsa = parseSigningKeyPem(RFC8463_RSA_PEM);
  assert(rsa.ok && rsa.value.type === "rsa");
  const ed = parseSigningKeyPem(ed25519Pem(RFC8463_ED25519_SEED));
  assert(ed.ok && ed.value.type === "ed25519");
  const ec = "-----BEGIN PRIVATE KEY-----\n" +
    "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg\n" +
    "-----END PRIVATE KEY-----\n";
  assert(!parseSigningKeyPem(ec).ok);
  const encrypted = "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n" +
    "-----END ENCRYPTED PRIVATE KEY-----\n";
  const r = parseSigningKeyPem(encrypted);
  assert(!r.ok && r.error.includes("encrypted"));
  assert(!parseSigningKeyPem("junk").ok);
});

Deno.test("defaultSignedNames() follows dkim.md 4.2's example", () => {
  const fields = splitFields(enc(
    "From: a@b.example\nTo: c@d.example\nSubject: s\nDate: d\n" +
      "Message-ID: <m>\nMIME-Version: 1.0\nContent-Type: text/plain\n" +
      "X-Mailer: x\nReceived: r\nList-Id: l\n",
  ));
  assertEquals(
    defaultSignedNames(fields).join(":"),
    "from:from:reply-to:subject:subject:date:date:message-id:message-id:" +
      "to:to:cc:mime-version:mime-version:content-type:content-type:list-id",
  );
});

async function sign(message: string, extra: Record<string, unknown> = {}) {
  const key = parseSigningKeyPem(ed25519Pem(RFC8463_ED25519_SEED));
  assert(key.ok);
  const signer = new DkimSigner({
    key: key.value,
    selector: "sel",
    time: 1764072000,
    ...extra,
  });
  signer.update(enc(message));
  return await signer.sign("\n");
}

Deno.test("DkimSigner refuses without one usable From, bad d=, h= without from", async () => {
  const rows: [string, Record<string, unknown>][] = [
    ["To: a@b.example\n\nx\n", {}],
    ["From: a@b.example\nFrom: c@b.example\n\nx\n", {}],
    ["From: nobody\n\nx\n", {}],
    ["From: a@localhost\n\nx\n", {}],
    [" x\nFrom: a@b.example\n\nx\n", {}],
    ["From: a@b.example\n\nx\n", { headers: ["to", "subject"] }],
    ["From: a@b.example\n\nx\n", { identity: "a@other.example" }],
    ["From: a@b.example\n\nx\n", { domain: "bad domain" }],
  ];
  for (const [message, extra] of rows) {
    const r = await sign(message, extra);
    assert(!r.ok && r.error.letter === "H", message);
  }
});

Deno.test("DkimSigner writes d= as an A-label, i= as quoted-printable, x= = t= + expiry", async () => {
  const r = await sign(
    "From: a@B\xfccher.example\n\nx\n".replace(
      "\xfc",
      "\u00fc",
    ),
    { identity: "j o;e@sub.bücher.example", expireSeconds: 60 },
  );
  assert(r.ok, JSON.stringify(!r.ok && r.error));
  const field = r.value.replace(/\n\t/g, " ");
  assert(field.includes("a=ed25519-sha256;"), field);
  assert(field.includes("d=xn--bcher-kva.example;"), field);
  assert(field.includes("i=j=20o=3Be@sub.xn--bcher-kva.example;"), field);
  assert(field.includes("t=1764072000; x=1764072060;"), field);
  assert(!/ l=| z=| q=/.test(field), field);
});

Deno.test("DkimSigner ends lines as the input does unless told", async () => {
  const crlf = await sign("From: a@b.example\r\n\r\nx\r\n", {});
  assert(crlf.ok && crlf.value.endsWith("\n"));
  const key = parseSigningKeyPem(ed25519Pem(RFC8463_ED25519_SEED));
  assert(key.ok);
  for (
    const [message, end] of [["From: a@b.example\r\n\r\nx\r\n", "\r\n"], [
      "From: a@b.example\n\nx\n",
      "\n",
    ]]
  ) {
    const signer = new DkimSigner({
      key: key.value,
      selector: "s",
      time: 1,
    });
    signer.update(enc(message));
    const r = await signer.sign();
    assert(r.ok);
    assertEquals(r.value.split(end).length, r.value.split("\n").length, end);
    assertEquals(r.value.includes("\r\n"), end === "\r\n");
  }
});
