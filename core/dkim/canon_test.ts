import fc from "fast-check";
import { assertEquals } from "../../tests/helpers/assert.ts";
import { BodyCanonicalizer, canonBody } from "./canon_body.ts";
import {
  canonHeader,
  canonHeaderRelaxed,
  canonHeaderSimple,
  type CanonMode,
} from "./canon_header.ts";

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder("latin1").decode(b);

async function b64digest(alg: string, bytes: Uint8Array): Promise<string> {
  const d = new Uint8Array(await crypto.subtle.digest(alg, bytes.slice()));
  return btoa(String.fromCharCode(...d));
}

/** Feeds `body` in pieces of `sizes` (cycled) and returns the output. */
function chunked(body: Uint8Array, mode: CanonMode, sizes: number[]): string {
  const parts: Uint8Array[] = [];
  const canon = new BodyCanonicalizer(mode, (b) => parts.push(b.slice()));
  let at = 0;
  for (let k = 0; at < body.length; k++) {
    const size = sizes[k % sizes.length];
    canon.update(body.subarray(at, at + size));
    at += size;
  }
  canon.end();
  return parts.map(dec).join("");
}

const RFC8463_BODY =
  "Hi.\n\nWe lost the game.  Are you hungry yet?\n\nJoe.\n\n";

Deno.test("canonBody() matches dkim.md 2.3's known digests", async () => {
  const cases: [string, CanonMode, string, string, string?][] = [
    ["", "simple", "SHA-256", "frcCV1k9oG9oKj3dpUqdJg1PxRT2RSN/XKdLCPjaYaY="],
    ["", "simple", "SHA-1", "uoq1oCgLlTqpdDX/iUbLy7J1Wic="],
    ["", "relaxed", "SHA-256", "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="],
    ["", "relaxed", "SHA-1", "2jmj7l5rSw0yVb/vlWAYkK/YBwk="],
    [
      RFC8463_BODY,
      "relaxed",
      "SHA-256",
      "2jUSOH9NhtVGCQWNr9BrIAPreKQjO6Sn7XIkfJVOzv8=",
    ],
    [
      RFC8463_BODY,
      "simple",
      "SHA-256",
      "4bLNXImK9drULnmePzZNEBleUanJCX5PIsDIFoH4KTQ=",
    ],
  ];
  for (const [body, mode, alg, want] of cases) {
    assertEquals(await b64digest(alg, canonBody(enc(body), mode)), want);
  }
});

Deno.test("canonBody() follows each row of dkim.md 2.3", () => {
  const rows: [string, CanonMode, string][] = [
    ["a \t b \t\r\n", "simple", "a \t b \t\r\n"],
    ["a \t b \t\r\n", "relaxed", "a b\r\n"],
    ["  lead\n", "relaxed", " lead\r\n"],
    ["x\n\n\n", "simple", "x\r\n"],
    ["x\n \t\n\n", "relaxed", "x\r\n"],
    ["x\n \t\n\n", "simple", "x\r\n \t\r\n"],
    ["\n\n", "simple", "\r\n"],
    [" \n\t\n", "relaxed", ""],
    ["no end", "simple", "no end\r\n"],
    ["no end  ", "relaxed", "no end\r\n"],
    ["a\rb\r\n", "simple", "a\rb\r\n"],
    ["a\r", "simple", "a\r\r\n"],
    ["x\n\ny\n", "relaxed", "x\r\n\r\ny\r\n"],
    ["\xe9t\xe9 \n", "relaxed", "\xe9t\xe9\r\n"],
  ];
  for (const [body, mode, want] of rows) {
    const bytes = Uint8Array.from(body, (c) => c.charCodeAt(0));
    assertEquals(dec(canonBody(bytes, mode)), want, `${mode} ${body}`);
  }
});

Deno.test("BodyCanonicalizer gives the same output for any chunking", () => {
  let seed = 7;
  const rand = (n: number) => (seed = (seed * 1103515245 + 12345) >>> 0) % n;
  const alphabet = ["a", " ", "\t", "\r", "\n", "\r\n", "\xff", "b"];
  for (let round = 0; round < 200; round++) {
    let text = "";
    for (let i = rand(40); i > 0; i--) text += alphabet[rand(alphabet.length)];
    const body = Uint8Array.from(text, (c) => c.charCodeAt(0));
    for (const mode of ["simple", "relaxed"] as const) {
      const whole = dec(canonBody(body, mode));
      assertEquals(chunked(body, mode, [1]), whole, "one byte at a time");
      assertEquals(chunked(body, mode, [rand(5) + 1, rand(7) + 1]), whole);
    }
  }
});

/** dkim.md 2.3 written plainly over whole lines, as a reference. */
function referenceCanon(text: string, mode: CanonMode): string {
  const lines = text.split("\r\n");
  const last = lines.pop()!;
  if (last !== "") lines.push(last);
  const out = lines.map((line) =>
    mode === "relaxed" ? line.replace(/[ \t]+/g, " ").replace(/ $/, "") : line
  );
  while (out.length && out[out.length - 1] === "") out.pop();
  if (out.length === 0) return mode === "relaxed" ? "" : "\r\n";
  return out.join("\r\n") + "\r\n";
}

Deno.test("BodyCanonicalizer copies long runs across its 64 KB output blocks", () => {
  // Plain runs longer than a block, and runs cut by the chunking, both ways
  // through the run copy (fails if a run's bytes are dropped or doubled).
  let seed = 11;
  const rand = (n: number) => (seed = (seed * 1103515245 + 12345) >>> 0) % n;
  const pieces = ["x".repeat(70000), "word", "  ", "\t", "\r\n", "\r\n\r\n"];
  for (let round = 0; round < 6; round++) {
    let text = "";
    while (text.length < 200000) text += pieces[rand(pieces.length)];
    text += "\r\n";
    const body = enc(text);
    for (const mode of ["simple", "relaxed"] as const) {
      const want = referenceCanon(text, mode);
      assertEquals(dec(canonBody(body, mode)), want, `${mode} whole`);
      assertEquals(chunked(body, mode, [65536, 7, 40000]), want, mode);
    }
  }
});

Deno.test("BodyCanonicalizers fed in turn keep apart (they share one output block)", () => {
  const body = enc("a  b \r\n\tc\r\n\r\nd e\r\n".repeat(500));
  const outs = { simple: [] as string[], relaxed: [] as string[] };
  const canons = (["simple", "relaxed"] as const).map((mode) =>
    new BodyCanonicalizer(mode, (b) => outs[mode].push(dec(b)))
  );
  for (let at = 0; at < body.length; at += 1000) {
    for (const canon of canons) canon.update(body.subarray(at, at + 1000));
  }
  for (const canon of canons) canon.end();
  for (const mode of ["simple", "relaxed"] as const) {
    assertEquals(outs[mode].join(""), dec(canonBody(body, mode)), mode);
  }
});

Deno.test("BodyCanonicalizer is linear on 10 MB of spaces and of empty lines", () => {
  const big = 10 * 1024 * 1024;
  for (const fill of [0x20, 0x0a]) {
    const body = new Uint8Array(big + 2).fill(fill);
    body[big] = 0x78;
    body[big + 1] = 0x0a;
    for (const mode of ["simple", "relaxed"] as const) {
      const started = performance.now();
      let length = 0;
      const canon = new BodyCanonicalizer(mode, (b) => length += b.length);
      for (let at = 0; at < body.length; at += 65536) {
        canon.update(body.subarray(at, at + 65536));
      }
      canon.end();
      const ms = performance.now() - started;
      const want = fill === 0x0a
        ? 2 * big + 3
        : mode === "relaxed"
        ? 4
        : big + 3;
      assertEquals(length, want);
      if (ms > 5000) throw new Error(`${mode} took ${ms} ms on 10 MB`);
    }
  }
});

Deno.test("canonHeaderRelaxed() gives dkim.md 2.2's example", () => {
  const raw = enc("SubJect :  a \t b  \r\n \t c  \r\n");
  assertEquals(dec(canonHeaderRelaxed(raw)), "subject:a b c\r\n");
  assertEquals(dec(canonHeader(raw, "relaxed")), "subject:a b c\r\n");
});

Deno.test("canonHeaderRelaxed() handles colons, LF line ends and 8-bit", () => {
  const rows: [string, string][] = [
    ["To:: x\n", "to:: x\r\n"],
    ["X-A:\n\tfolded\n", "x-a:folded\r\n"],
    ["X-B:  \n", "x-b:\r\n"],
    ["X-C: a\rb\r\n", "x-c:a\rb\r\n"],
    ["X-\xc9: \xe9  \xe9", "x-\xc9:\xe9 \xe9\r\n"],
  ];
  for (const [raw, want] of rows) {
    const bytes = Uint8Array.from(raw, (c) => c.charCodeAt(0));
    assertEquals(dec(canonHeaderRelaxed(bytes)), want, raw);
  }
});

Deno.test("canonHeaderSimple() keeps the bytes and makes line ends CRLF", () => {
  assertEquals(
    dec(canonHeaderSimple(enc("SubJect :  a \n \t c  \n"))),
    "SubJect :  a \r\n \t c  \r\n",
  );
  assertEquals(dec(canonHeaderSimple(enc("A: b"))), "A: b\r\n");
  assertEquals(dec(canonHeaderSimple(enc("A: b\r\n"))), "A: b\r\n");
  assertEquals(dec(canonHeader(enc("A: \rb\r\n"), "simple")), "A: \rb\r\n");
});

Deno.test("BodyCanonicalizer matches the line-by-line reference on any body, LF or CRLF, in any chunking", () => {
  // LF alone ends a line as CRLF does; a CR not before LF is data.
  const reference = (text: string, mode: CanonMode) =>
    referenceCanon(text.replace(/\r?\n/g, "\r\n"), mode);
  const token = fc.constantFrom(
    "a",
    "b",
    " ",
    "\t",
    "  \t",
    "\r",
    "\n",
    "\r\n",
    "\xff",
    "\x00",
  );
  fc.assert(
    fc.property(
      fc.array(token, { maxLength: 60 }).map((t) => t.join("")),
      fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 4 }),
      (text, sizes) => {
        const body = Uint8Array.from(text, (c) => c.charCodeAt(0));
        for (const mode of ["simple", "relaxed"] as const) {
          const want = reference(text, mode);
          let length = 0;
          const parts: Uint8Array[] = [];
          const canon = new BodyCanonicalizer(mode, (b) => {
            parts.push(b.slice());
            length += b.length;
          });
          canon.update(body);
          canon.end();
          assertEquals(parts.map(dec).join(""), dec(enc1(want)), mode);
          assertEquals(canon.length, length);
          assertEquals(chunked(body, mode, sizes), dec(enc1(want)), mode);
        }
      },
    ),
    { numRuns: 2000 },
  );
});

/** latin1 text to bytes. */
function enc1(text: string): Uint8Array {
  return Uint8Array.from(text, (c) => c.charCodeAt(0));
}

Deno.test("canonHeaderRelaxed() matches RFC 6376 3.4.2 written with regular expressions, on any field", () => {
  const lowerAZ = (s: string) => s.replace(/[A-Z]/g, (c) => c.toLowerCase());
  const runs = (s: string) => s.replace(/[ \t]+/g, " ");
  const reference = (field: string) => {
    const t = field.replace(/\r?\n$/, "").replace(/\r?\n/g, "");
    const colon = t.indexOf(":");
    if (colon < 0) return lowerAZ(runs(t).replace(/ $/, "")) + "\r\n";
    const name = lowerAZ(runs(t.slice(0, colon)).replace(/ $/, ""));
    const value = runs(t.slice(colon + 1)).replace(/^ /, "").replace(/ $/, "");
    return `${name}:${value}\r\n`;
  };
  const token = fc.constantFrom(
    "Ab",
    "x",
    ":",
    " ",
    "\t",
    "\r",
    "\n",
    "\r\n",
    "\r\n ",
    "\xc9",
    "Z",
  );
  fc.assert(
    fc.property(fc.array(token, { maxLength: 30 }), (tokens) => {
      const field = tokens.join("");
      assertEquals(
        dec(canonHeaderRelaxed(enc1(field))),
        dec(enc1(reference(field))),
      );
    }),
    { numRuns: 3000 },
  );
});
