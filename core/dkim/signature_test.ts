import { assert, assertEquals } from "../../tests/helpers/assert.ts";
import { decodeDkimQuotedPrintable, parseSignatureField } from "./signature.ts";

const NOW = 1764072000;
const BH = "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=";
const BASE =
  `v=1; a=rsa-sha256; d=example.com; s=sel; h=from:to; bh=${BH}; b=AAAA`;
const l1 = (s: string) => String.fromCharCode(...new TextEncoder().encode(s));

function parse(value: string, now = NOW) {
  const text = "DKIM-Signature: " + value + "\r\n";
  return parseSignatureField(
    Uint8Array.from(text, (c) => c.charCodeAt(0)),
    now,
  );
}

function letter(value: string, now = NOW): string {
  const r = parse(value, now);
  return r.ok ? "ok" : r.error.letter;
}

Deno.test("parseSignatureField() reads every tag of dkim.md 1.2", () => {
  const r = parse(
    `${BASE.replace("a=rsa-sha256", "a=RSA-SHA256")}; c=Relaxed; ` +
      "i=jo=40e@Sub.Example.COM; l=12; q=dns; t=100; x=200; z=a|b",
    150,
  );
  assert(r.ok);
  const s = r.value;
  assertEquals(s.algorithm, "rsa-sha256");
  assertEquals(s.canon, { header: "relaxed", body: "simple" });
  assertEquals(s.identity, { local: "jo@e", domain: "sub.example.com" });
  assertEquals([s.length, s.timestamp, s.expires], [12n, 100, 200]);
  assertEquals(s.headers, ["from", "to"]);
});

Deno.test("parseSignatureField() gives W, H, X, Y, K as 3.3 step 1 says", () => {
  const rows: [string, string, number?][] = [
    [BASE.replace("v=1", "v=2"), "W"],
    [BASE.replace("v=1", "v=2").replace("; s=sel", ""), "W"],
    [BASE.replace("v=1; ", ""), "H"],
    [BASE.replace("v=1", "V=1"), "H"],
    [BASE.replace("; s=sel", ""), "H"],
    [BASE.replace("a=rsa-sha256", "a=rsa-sha512"), "H"],
    [BASE.replace(BH, BH.slice(4)), "H"],
    [BASE.replace("a=rsa-sha256", "a=rsa-sha1"), "H"], // bh is 32 bytes
    [BASE + "; c=relaxed/nofws", "H"],
    [BASE + "; l=x", "H"],
    [BASE + "; q=http", "H"],
    [BASE + "; t=99999999999", "H"],
    [BASE + `; t=${NOW + 301}`, "H"],
    [BASE + `; t=${NOW + 300}`, "ok"],
    [BASE + "; t=10; x=10", "H"],
    [BASE + "; i=nobody", "H"],
    [BASE + "; i=a=4", "H"],
    [BASE + "; a=x", "H"],
    [BASE.replace("d=example.com", "d=exa mple.com"), "H"],
    [BASE.replace("d=example.com", "d=a..com"), "H"],
    [BASE.replace("h=from:to", "h=to:subject"), "X"],
    [BASE.replace("h=from:to", "h=From : to"), "ok"],
    [BASE + "; i=@other.example", "Y"],
    [BASE + "; i=@evilexample.com", "Y"],
    [BASE + `; x=${NOW - 301}`, "K"],
    [BASE + `; x=${NOW - 300}`, "ok"],
    [BASE.replace("h=from:to", "h=to") + `; x=${NOW - 301}`, "X"],
    [BASE + "; b=AAAA", "H"],
    [BASE + ";", "ok"],
    [BASE.replace("h=from:to", "h=from:" + "x:".repeat(1000) + "to"), "H"],
  ];
  for (const [value, want] of rows) {
    assertEquals(letter(value), want, value.slice(0, 120));
  }
});

Deno.test("parseSignatureField() converts U-labels to A-labels (RFC 8616)", () => {
  const r = parse(
    l1(
      BASE.replace("d=example.com", "d=bücher.example.") +
        "; i=@bücher.example",
    ),
  );
  assert(r.ok);
  assertEquals(r.value.domain, "xn--bcher-kva.example");
  assertEquals(r.value.identity.domain, "xn--bcher-kva.example");
  assertEquals(
    letter(l1(BASE.replace("d=example.com", "d=b\xfccher.ex"))),
    "ok",
  );
  // The latin1 byte 0xfc alone is not UTF-8.
  const bad = BASE.replace("d=example.com", "d=b\xfccher.example");
  assertEquals(letter(bad), "H");
});

Deno.test("parseSignatureField() deletes the b= value through the tag list", () => {
  const value =
    `v=1; a=rsa-sha256; bh=${BH}; d=example.com; s=sel; h=from;\r\n b=AA\r\n  AA ; x=${
      NOW + 10
    }`;
  const r = parse(value);
  assert(r.ok);
  const unsigned = new TextDecoder().decode(r.value.unsigned);
  assertEquals(
    unsigned,
    `DKIM-Signature: v=1; a=rsa-sha256; bh=${BH}; d=example.com; s=sel; h=from;\r\n b=; x=${
      NOW + 10
    }\r\n`,
  );
  assertEquals(r.value.signatureText, "AAAA");
});

Deno.test("decodeDkimQuotedPrintable() decodes =XX and refuses bad =", () => {
  assertEquals(decodeDkimQuotedPrintable("a=20b=3D"), "a b=");
  assertEquals(decodeDkimQuotedPrintable("a=2"), null);
  assertEquals(decodeDkimQuotedPrintable("a=zz"), null);
});
