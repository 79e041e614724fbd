import fc from "fast-check";
import { assertEquals } from "../../tests/helpers/assert.ts";
import { HeaderCollector, MAX_HEADER_BYTES, splitFields } from "./header.ts";
import { latin1 } from "../bytes.ts";

const te = new TextEncoder();

function collect(text: string, chunk: number) {
  const c = new HeaderCollector();
  const bytes = te.encode(text);
  for (let i = 0; i < bytes.length; i += chunk) {
    const at = c.push(bytes.subarray(i, i + chunk));
    if (at >= 0) {
      return { header: new TextDecoder().decode(c.bytes()), body: i + at };
    }
  }
  return { header: new TextDecoder().decode(c.bytes()), body: -1 };
}

const CASES: [string, string, string, number][] = [
  ["LF", "A: 1\nB: 2\n\nbody\n", "A: 1\nB: 2\n", 11],
  ["CRLF", "A: 1\r\n\r\nbody", "A: 1\r\n", 8],
  ["mixed", "A: 1\r\nB: 2\n\r\nx", "A: 1\r\nB: 2\n", 13],
  ["empty first line", "\nbody", "", 1],
  ["no empty line", "A: 1\nB: 2\n", "A: 1\nB: 2\n", -1],
  ["lone CR is not an empty line", "A: 1\n\rX: 2\n\nb", "A: 1\n\rX: 2\n", 12],
];

for (const [name, text, header, body] of CASES) {
  Deno.test(`HeaderCollector finds the end of a ${name} header section in any chunking`, () => {
    for (const chunk of [1, 2, 3, 1000]) {
      assertEquals(collect(text, chunk), { header, body }, `chunk ${chunk}`);
    }
  });
}

Deno.test("HeaderCollector stops collecting past 1 MiB and says so", () => {
  const c = new HeaderCollector();
  const line = te.encode("X: " + "a".repeat(1000) + "\n");
  for (let i = 0; i < 1100; i++) c.push(line);
  assertEquals(c.overflow, true);
  assertEquals(c.bytes().length, MAX_HEADER_BYTES);
});

/** Where the header section ends, the plain way: the first line that is empty. */
function referenceEnd(text: string): { header: string; body: number } {
  let at = 0;
  while (at < text.length) {
    if (text[at] === "\n") return { header: text.slice(0, at), body: at + 1 };
    if (text.startsWith("\r\n", at)) {
      return { header: text.slice(0, at), body: at + 2 };
    }
    const lf = text.indexOf("\n", at);
    if (lf < 0) break;
    at = lf + 1;
  }
  return { header: text, body: -1 };
}

/**
 * The fields of a section, the plain way: raw text of each, its name (the
 * whole field without its line end when it has no colon) and whether it has one.
 */
function referenceFields(text: string): [string, string, boolean][] {
  const lines = text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
  const fields: string[] = [];
  for (const line of lines) {
    if ((line[0] === " " || line[0] === "\t") && fields.length) {
      fields[fields.length - 1] += line;
    } else fields.push(line);
  }
  return fields.map((raw) => {
    const firstLine = raw.split("\n")[0];
    const colon = firstLine.indexOf(":");
    return colon >= 0
      ? [raw, raw.slice(0, colon), true]
      : [raw, raw.replace(/[\r\n]+$/, ""), false];
  });
}

const headerText = fc.array(
  fc.constantFrom(
    "A: 1",
    "b:",
    "X",
    "Long-Name-Of-Many-Letters-X",
    " ",
    "\t",
    "\r",
    "\n",
    "\r\n",
    ":",
    "\xe9",
    "\xc9",
  ),
  { maxLength: 40 },
).map((parts) => parts.join(""));

Deno.test("HeaderCollector and splitFields() agree with the plain readings in any chunking", () => {
  fc.assert(
    fc.property(
      headerText,
      fc.integer({ min: 1, max: 9 }),
      (text, chunk) => {
        const bytes = Uint8Array.from(text, (c) => c.charCodeAt(0));
        const c = new HeaderCollector();
        let body = -1;
        for (let i = 0; i < bytes.length && body < 0; i += chunk) {
          const at = c.push(bytes.subarray(i, i + chunk));
          if (at >= 0) body = i + at;
        }
        const section = c.bytes();
        const want = referenceEnd(text);
        assertEquals({ header: latin1(section), body }, want);
        const fields = splitFields(section);
        for (const f of fields) assertEquals(f.lower, f.name.toLowerCase());
        assertEquals(
          [...fields].map((f) => [latin1(f.raw), f.name, f.hasColon]),
          referenceFields(want.header),
        );
      },
    ),
    { numRuns: 3000 },
  );
});

Deno.test("splitFields() copes with more fields than its first scratch array holds", () => {
  const text = "A: 1\n".repeat(5000);
  const fields = splitFields(te.encode(text));
  assertEquals(fields.length, 5000);
  assertEquals(fields.at(4999)!.name, "A");
  assertEquals(splitFields(te.encode("B: 2\n")).at(0)!.name, "B");
});
