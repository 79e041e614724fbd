import fc from "fast-check";
import { assertEquals } from "../../tests/helpers/assert.ts";
import {
  BodyCanonicalizer,
  type Canon,
  canonHeader,
  canonHeaders,
} from "./canon.ts";

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

/**
 * `bytes` behind a Proxy that counts index reads: the work a canonicalizer
 * does on its input, counted instead of timed.
 */
function counted(bytes: Uint8Array): { view: Uint8Array; reads: () => number } {
  let reads = 0;
  const view = new Proxy(bytes, {
    get(target, key) {
      if (typeof key === "string" && /^[0-9]+$/.test(key)) reads++;
      const value = Reflect.get(target, key, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  return { view, reads: () => reads };
}

Deno.test("BodyCanonicalizer reads each byte at most twice and emits the known answer for long whitespace and empty-line runs", () => {
  // Runs that a quadratic canonicalizer rescans or recopies: 100,000
  // blanks, then 50,000 empty lines held back and released by "b".
  const input = " ".repeat(100_000) + "a\n" + "\n".repeat(50_000) + "b \n\n";
  const expected = {
    nofws: "\r\na\r\n" + "\r\n".repeat(50_000) + "b\r\n",
    simple: "\r\n" + " ".repeat(100_000) + "a\r\n" + "\r\n".repeat(50_000) +
      "b \r\n",
  };
  for (const canon of ["nofws", "simple"] as const) {
    for (const chunk of [3, 4096, input.length]) {
      const parts: Uint8Array[] = [];
      let calls = 0;
      const c = new BodyCanonicalizer(canon, (b) => {
        calls++;
        parts.push(b.slice());
      });
      const bytes = te.encode(input);
      let reads = 0;
      for (let i = 0; i < bytes.length; i += chunk) {
        const piece = counted(bytes.subarray(i, i + chunk));
        c.update(piece.view);
        reads += piece.reads();
      }
      c.end();
      const out = parts.map((p) => td.decode(p)).join("");
      assertEquals(out === expected[canon], true, `${canon}, chunk ${chunk}`);
      assertEquals(reads <= 2 * input.length, true, `${reads} reads`);
      // One call per chunk plus one per released empty line, at most.
      const chunks = Math.ceil(input.length / chunk);
      assertEquals(calls <= 2 * chunks + 50_000 + 4, true, `${calls} calls`);
    }
  }
});

Deno.test("canonHeader() reads each byte of a header folded 100,000 times at most twice", () => {
  const raw = te.encode("Subject: x\n" + " y\r\n".repeat(100_000));
  for (const canon of ["nofws", "simple"] as const) {
    const { view, reads } = counted(raw);
    const out = td.decode(canonHeader(view, canon));
    assertEquals(
      out ===
        (canon === "nofws"
          ? "Subject:x" + "y".repeat(100_000) + "\r\n"
          : "Subject: x\r\n" + " y\r\n".repeat(100_000)),
      true,
      canon,
    );
    assertEquals(reads() <= 2 * raw.length, true, `${reads()} reads`);
  }
});

Deno.test("canonHeaders() batches many short fields and equals canonHeader() of each", () => {
  const fields = Array.from(
    { length: 50_000 },
    (_, i) => ({ raw: te.encode(`X-${i % 7}: v ${i}\n`) }),
  );
  for (const canon of ["nofws", "simple"] as const) {
    const parts: Uint8Array[] = [];
    canonHeaders(fields, canon, (b) => parts.push(b));
    const joined = parts.map((p) => td.decode(p)).join("");
    const each = fields.map((f) => td.decode(canonHeader(f.raw, canon))).join(
      "",
    );
    assertEquals(joined === each, true, canon);
    assertEquals(parts.length < 50, true, `${parts.length} sink calls`);
  }
  const big = { raw: te.encode("X: " + "z".repeat(100_000) + "\n") };
  const parts: Uint8Array[] = [];
  canonHeaders([fields[0], big, fields[1]], "simple", (b) => parts.push(b));
  assertEquals(
    parts.map((p) => td.decode(p)).join(""),
    td.decode(canonHeader(fields[0].raw, "simple")) +
      td.decode(canonHeader(big.raw, "simple")) +
      td.decode(canonHeader(fields[1].raw, "simple")),
  );
});

/**
 * The body rule read plainly (domainkeys.md 1.5): lines end at LF or CRLF
 * (a CR before anything else is data), a final line without an end counts,
 * nofws deletes SP, HTAB and lone CR, trailing empty lines go, and what
 * remains follows the separating CRLF, each line ended by CRLF.
 */
function plainBody(input: string, canon: Canon): string {
  const lines = input.split(/\r?\n/);
  if (lines.at(-1) === "") lines.pop();
  const kept = lines.map((l) =>
    canon === "nofws" ? l.replace(/[ \t\r]/g, "") : l
  );
  while (kept.length && kept.at(-1) === "") kept.pop();
  return kept.length ? "\r\n" + kept.map((l) => `${l}\r\n`).join("") : "";
}

Deno.test("BodyCanonicalizer gives the plain reading of the rule, in any chunking, both canonicalizations", () => {
  const piece = fc.constantFrom(
    "a",
    "bc",
    " ",
    "\t",
    "\r",
    "\n",
    "\r\n",
    "\xff",
    "\x00",
    "  ",
  );
  fc.assert(
    fc.property(
      fc.array(piece, { maxLength: 60 }).map((p) => p.join("")),
      fc.constantFrom<Canon>("simple", "nofws"),
      fc.integer({ min: 0, max: 9 }),
      (input, canon, chunk) => {
        assertEquals(body(input, canon, chunk), plainBody(input, canon));
      },
    ),
    { numRuns: 2000 },
  );
});
