import { assertEquals } from "../../tests/helpers/assert.ts";
import { formatSignature, parseSignature } from "./signature.ts";

Deno.test("parseSignature() applies the defaults a=rsa-sha1, c=simple, q=dns", () => {
  const r = parseSignature(" d=example.com; s=sel; b=AAAA");
  assertEquals(r.ok && r.value, {
    canon: "simple",
    domain: "example.com",
    selector: "sel",
    b: "AAAA",
    headers: null,
  });
});

Deno.test("parseSignature() lowercases h= names and c=, keeps d= as written", () => {
  const r = parseSignature(
    "a=RSA-SHA1; c=NoFWS; d=Example.com; s=s; h=From:To; b=x",
  );
  assertEquals(r.ok && [r.value.canon, r.value.domain, r.value.headers], [
    "nofws",
    "Example.com",
    ["from", "to"],
  ]);
});

const LETTERS: [string, string][] = [
  ["d=x.example; s=s", "C"],
  ["s=s; b=x", "C"],
  ["d=x.example; b=x", "C"],
  ["d=x.example; s=s; b=x; a=rsa-sha256", "G"],
  ["d=x.example; s=s; b=x; c=relaxed", "G"],
  ["d=x.example; s=s; b=x; q=dns/txt", "G"],
  ["d=; s=s; b=x", "G"],
  ["d=x.example; s=; b=x", "G"],
  ["d=x.example; s=a/b; b=x", "G"],
  ["d=x.example; s=s; b=x; d=y.example", "G"],
  ["d=x.example; s=s; b", "G"],
];

for (const [value, letter] of LETTERS) {
  Deno.test(`parseSignature() gives ${letter} for ${JSON.stringify(value)}`, () => {
    const r = parseSignature(value);
    assertEquals(r.ok ? "ok" : r.error.letter, letter);
  });
}

Deno.test("formatSignature() writes the tags in order and folds b= at 76 characters", () => {
  const b = "A".repeat(344);
  const text = formatSignature({
    canon: "nofws",
    selector: "s",
    domain: "example.com",
    headers: ["From", "To"],
    b,
  }, "\r\n");
  const lines = text.split("\r\n");
  assertEquals(lines.slice(0, 3), [
    "DomainKey-Signature: a=rsa-sha1; q=dns; c=nofws;",
    "  s=s; d=example.com;",
    "  h=From:To;",
  ]);
  assertEquals(lines[lines.length - 1], "");
  const bLines = lines.slice(3, -1).map((l) =>
    l.trim().replace(/^b=/, "").replace(/;$/, "")
  );
  assertEquals(bLines.join(""), b);
  assertEquals(bLines.every((l) => l.length <= 76), true);
  const parsed = parseSignature(text.slice(text.indexOf(":") + 1));
  assertEquals(parsed.ok && parsed.value.b, b);
});
