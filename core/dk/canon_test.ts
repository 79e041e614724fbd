import { assertEquals } from "../../tests/helpers/assert.ts";
import { BodyCanonicalizer, type Canon, canonHeader } from "./canon.ts";

const te = {
  encode: (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0)),
};
const td = new TextDecoder("latin1");

function body(input: string, canon: Canon, chunk = 0): string {
  const parts: Uint8Array[] = [];
  const c = new BodyCanonicalizer(canon, (b) => parts.push(b.slice()));
  const bytes = te.encode(input);
  if (chunk === 0) c.update(bytes);
  else {
    for (let i = 0; i < bytes.length; i += chunk) {
      c.update(bytes.subarray(i, i + chunk));
    }
  }
  c.end();
  return parts.map((p) => td.decode(p)).join("");
}

// Known answers from RFC 4870 section 3.4 and domainkeys.md 1.5.
const BODY_CASES: [string, string, Canon, string][] = [
  ["empty body", "", "simple", ""],
  ["only empty lines", "\n\r\n\n", "simple", ""],
  ["one line, LF", "a\n", "simple", "\r\na\r\n"],
  ["one line, CRLF", "a\r\n", "simple", "\r\na\r\n"],
  ["no final line end", "a", "simple", "\r\na\r\n"],
  ["trailing empty lines removed", "a\n\n\n", "simple", "\r\na\r\n"],
  ["inner empty lines kept", "a\n\n\nb\n", "simple", "\r\na\r\n\r\n\r\nb\r\n"],
  ["line of spaces kept (simple)", "a\n  \n", "simple", "\r\na\r\n  \r\n"],
  ["line of spaces empty (nofws)", "a\n  \n\n", "nofws", "\r\na\r\n"],
  ["nofws drops SP and HTAB", "a b\tc \n", "nofws", "\r\nabc\r\n"],
  ["nofws drops lone CR", "a\rb\r\n", "nofws", "\r\nab\r\n"],
  ["simple keeps lone CR", "a\rb\r\n", "simple", "\r\na\rb\r\n"],
  ["CR CR LF: one CR is data", "x\r\r\n", "simple", "\r\nx\r\r\n"],
  ["8-bit and NUL bytes", "\xe9\x00\n", "simple", "\r\n\xe9\x00\r\n"],
  ["final lone CR (simple)", "a\r", "simple", "\r\na\r\r\n"],
  ["final lone CR (nofws)", "a\r", "nofws", "\r\na\r\n"],
];

for (const [name, input, canon, expected] of BODY_CASES) {
  Deno.test(`BodyCanonicalizer (${canon}): ${name}`, () => {
    assertEquals(body(input, canon), expected);
  });
}

Deno.test("BodyCanonicalizer gives the same bytes fed one byte at a time", () => {
  for (const [, input, canon, expected] of BODY_CASES) {
    assertEquals(body(input, canon, 1), expected, JSON.stringify(input));
  }
  let random = 7;
  const alphabet = ["a", " ", "\t", "\r", "\n", "\r\n", "\xff"];
  for (let round = 0; round < 200; round++) {
    let input = "";
    for (let i = 0; i < 40; i++) {
      random = (random * 1103515245 + 12345) & 0x7fffffff;
      input += alphabet[random % alphabet.length];
    }
    for (const canon of ["simple", "nofws"] as const) {
      assertEquals(
        body(input, canon, 1),
        body(input, canon),
        JSON.stringify(input),
      );
      assertEquals(
        body(input, canon, 3),
        body(input, canon),
        JSON.stringify(input),
      );
    }
  }
});

Deno.test("canonHeader() nofws unfolds and drops whitespace (domainkeys.md 1.5 example)", () => {
  const out = canonHeader(te.encode("Subject: a  b\n c\n"), "nofws");
  assertEquals(td.decode(out), "Subject:abc\r\n");
});

Deno.test("canonHeader() simple keeps bytes and makes line ends CRLF", () => {
  const out = canonHeader(te.encode("Subject: a  b\n c\r\n"), "simple");
  assertEquals(td.decode(out), "Subject: a  b\r\n c\r\n");
  assertEquals(td.decode(canonHeader(te.encode("X: y"), "simple")), "X: y\r\n");
});

Deno.test("BodyCanonicalizer stays linear on a 50 MB body of long whitespace runs", () => {
  let total = 0;
  const c = new BodyCanonicalizer("nofws", (b) => total += b.length);
  const chunk = new Uint8Array(1 << 20).fill(0x20);
  chunk[chunk.length - 1] = 0x61;
  for (let i = 0; i < 50; i++) c.update(chunk);
  c.end();
  assertEquals(total, 2 + 50 + 2);
});
