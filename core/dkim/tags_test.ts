import fc from "fast-check";
import { assert, assertEquals } from "../../tests/helpers/assert.ts";
import {
  base64Value,
  base64ValueOfBytes,
  listValue,
  parseTagList,
  parseTagListAt,
  plainValue,
} from "./tags.ts";
import { decodeBase64Strict } from "../crypto/base64.ts";
import { printable } from "../printable.ts";

Deno.test("parseTagList() reads RFC 6376 3.2 lists with FWS around parts", () => {
  const text = " v = 1 ;\r\n\ta=rsa-sha256; x_1=A ;; ";
  const list = parseTagList(text);
  assert(list.ok);
  assertEquals(list.value.tags.map((t) => [t.name, t.value]), [
    ["v", "1"],
    ["a", "rsa-sha256"],
    ["x_1", "A"],
  ]);
  const a = list.value.byName.get("a")!;
  assertEquals(text.slice(a.valueStart, a.valueEnd), "rsa-sha256");
});

Deno.test("parseTagList() refuses repeats, bad names, no '=' and controls", () => {
  for (
    const text of ["a=1; a=2", "1a=x", "_a=1", "a-b=1", "v", "a=\x01", "a=1;b"]
  ) {
    assert(!parseTagList(text).ok, JSON.stringify(text));
  }
});

Deno.test("parseTagList() keeps name case: V=1 is another tag than v", () => {
  const list = parseTagList("V=1; v=2");
  assert(list.ok);
  assertEquals(list.value.byName.get("v")?.value, "2");
});

Deno.test("base64Value() drops FWS and is strict", () => {
  assertEquals(
    base64Value(" YW\r\n\tJj ZA== "),
    new TextEncoder().encode("abcd"),
  );
  assertEquals(base64Value(""), new Uint8Array());
  assertEquals(base64Value("YWJjZA"), null);
  assertEquals(base64Value("YW=jZA=="), null);
  assertEquals(base64Value("YWJj*A=="), null);
});

Deno.test("listValue() trims around separators; plainValue() refuses inner space", () => {
  assertEquals(listValue("from : To\r\n :subject", ":"), [
    "from",
    "To",
    "subject",
  ]);
  assertEquals(listValue("from::to", ":"), null);
  assertEquals(listValue("fr om", ":"), null);
  assertEquals(plainValue("a b"), null);
  assertEquals(plainValue("ab"), "ab");
});

// The first, regular-expression form of the functions above: the fast ones
// must answer exactly as these do.
const REF_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;
// deno-lint-ignore no-control-regex
const REF_BAD_BYTE = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/;
const refTrim = (t: string) => t.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, "");

function refParseTagList(text: string): unknown {
  const tags: unknown[] = [];
  const names = new Set<string>();
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf(";", start);
    if (end < 0) end = text.length;
    const element = text.slice(start, end);
    if (refTrim(element) !== "") {
      const eq = element.indexOf("=");
      if (eq < 0) return `tag without "=": "${printable(element.trim())}"`;
      const name = refTrim(element.slice(0, eq));
      if (!REF_NAME.test(name)) return `bad tag name "${printable(name)}"`;
      if (names.has(name)) return `tag "${name}" given twice`;
      const raw = element.slice(eq + 1);
      if (REF_BAD_BYTE.test(raw)) return `control character in tag "${name}"`;
      names.add(name);
      tags.push([name, refTrim(raw), start + eq + 1, end]);
    }
    start = end + 1;
  }
  return tags;
}

function refListValue(value: string, separator: string): string[] | null {
  const items = value.split(separator).map(refTrim);
  for (const item of items) {
    if (item === "" || /[ \t\r\n]/.test(item)) return null;
  }
  return items;
}

/** Text made of the characters tag lists are made of, and a few others. */
const tagText = fc.oneof(
  fc.array(
    fc.constantFrom(
      ..."aAzZ09_=;:| \t\r\n-.@/+b",
      "v=1",
      "bh=",
      "\x00",
      "\x0b",
      "\x0c",
      "\x1f",
      "\x7f",
      "\x80",
      "\xff",
      "\u0100",
    ),
    { maxLength: 40 },
  ).map((a) => a.join("")),
  fc.string(),
  fc.tuple(fc.uint8Array({ maxLength: 30 }), fc.nat(4)).map(([b, at]) => {
    const coded = btoa(String.fromCharCode(...b));
    return coded.slice(0, at) + " \r\n\t" + coded.slice(at);
  }),
  // Lists of name=value elements with FWS, repeats and stray bytes.
  fc.array(
    fc.tuple(
      fc.constantFrom("", " ", "\r\n\t"),
      fc.constantFrom("v", "a", "bh", "b", "h", "x_1", "V", "1a", "", "a b"),
      fc.constantFrom("=", " = ", "", "=="),
      fc.constantFrom("1", "", " x y ", "a:b : c", "YWJj ZA==", "\x01", "\xe9"),
    ).map((parts) => parts.join("")),
    { maxLength: 6 },
  ).map((elements) => elements.join(";")),
);

Deno.test("parseTagList(), parseTagListAt(), listValue(), plainValue(), base64Value() and base64ValueOfBytes() agree with their regular-expression forms", () => {
  fc.assert(
    fc.property(tagText, (text) => {
      const parsed = parseTagList(text);
      assertEquals(
        parsed.ok
          ? parsed.value.tags.map((t) => [
            t.name,
            t.value,
            t.valueStart,
            t.valueEnd,
          ])
          : parsed.error,
        refParseTagList(text),
        JSON.stringify(text),
      );
      if ([...text].every((c) => c.charCodeAt(0) <= 0xff)) {
        // The same list inside a field, read from its bytes.
        const field = `X-Sig:${text}\r\n`;
        const bytes = Uint8Array.from(field, (c) => c.charCodeAt(0));
        assertEquals(parseTagListAt(field, bytes, 6, 6 + text.length), parsed);
      }
      for (const separator of [":", "|"]) {
        assertEquals(listValue(text, separator), refListValue(text, separator));
      }
      assertEquals(plainValue(text), /[ \t\r\n]/.test(text) ? null : text);
      const stripped = text.replace(/[ \t\r\n]+/g, "");
      const want = stripped.length % 4 === 0
        ? decodeBase64Strict(stripped)
        : null;
      assertEquals(base64Value(text), want);
      if ([...text].every((c) => c.charCodeAt(0) <= 0xff)) {
        const bytes = Uint8Array.from(text, (c) => c.charCodeAt(0));
        assertEquals(
          base64ValueOfBytes(bytes),
          want && { bytes: want, text: stripped },
        );
      }
    }),
    { numRuns: 5000 },
  );
});
