import { assertEquals } from "../../tests/helpers/assert.ts";
import { lookupTxt, type ZoneData } from "./zone_data.ts";
import { parseTinydnsData } from "./zone_tinydns.ts";

const te = new TextEncoder();
const td = new TextDecoder();

function zoneOf(text: string): ZoneData {
  const r = parseTinydnsData(te.encode(text), { file: "data" });
  if (!r.ok) throw new Error(r.error);
  return r.value;
}

function txt(zone: ZoneData, name: string): string[][] | string {
  const a = lookupTxt(zone, name);
  return a.kind === "records"
    ? a.records.map((r) => r.map((s) => td.decode(s)))
    : a.kind;
}

Deno.test("parseTinydnsData() splits ' text into 127-octet strings, as tinydns-data does", () => {
  const value = "k=rsa; p=" + "A".repeat(392);
  const zone = zoneOf(
    `.example.com::ns.example.com\n's._domainkey.example.com:${value}  \t\n`,
  );
  const strings = txt(zone, "s._domainkey.example.com") as string[][];
  assertEquals(strings[0].map((s) => s.length), [127, 127, 127, 20]);
  assertEquals(strings[0].join(""), value);
});

Deno.test("parseTinydnsData() reads \\ooo escapes, escaped colons and generic TXT lines", () => {
  const zone = zoneOf(
    "Zexample.com:ns.example.com.:hostmaster.example.com.\n" +
      "'a.example.com:x\\072y\\134z\\\\w\\q:3600\n" +
      ":b.example.com:16:\\005hello\\005world\n" +
      "'A.Example.COM.:second\n",
  );
  assertEquals(txt(zone, "a.example.com"), [["x:y\\z\\wq"], ["second"]]);
  assertEquals(txt(zone, "b.example.com"), [["hello", "world"]]);
});

Deno.test("parseTinydnsData() makes names exist, declares zones and leaves other names unanswered", () => {
  const zone = zoneOf(
    "# comment\n.example.com:192.0.2.1:a\n+www.example.com:192.0.2.2\n@example.com:192.0.2.3:mx\n" +
      "Calias.example.com:www.example.com\n-'disabled.example.com:x\n'_domainkey.example.com:o=~\n",
  );
  assertEquals(txt(zone, "www.example.com"), "nodata");
  assertEquals(txt(zone, "alias.example.com"), "nodata");
  assertEquals(txt(zone, "example.com"), "nodata");
  assertEquals(txt(zone, "disabled.example.com"), "nxdomain");
  assertEquals(txt(zone, "s._domainkey.example.com"), "nxdomain");
  assertEquals(txt(zone, "_domainkey.example.com"), [["o=~"]]);
  assertEquals(txt(zone, "example.org"), "tempfail");
});

Deno.test("parseTinydnsData() rejects what tinydns-data rejects, naming the line", () => {
  const cases: [string, string][] = [
    [
      "_domainkey.example.com:t=y; o=-\n",
      'data:1: unrecognized leading character "_"',
    ],
    ["\n:x.example.com:abc:\\001a\n", 'data:2: bad record type "abc"'],
    [
      ":x.example.com:16:\\005ab\n",
      "data:1: malformed TXT data in generic record",
    ],
  ];
  for (const [text, message] of cases) {
    const r = parseTinydnsData(te.encode(text), { file: "data" });
    assertEquals(r.ok ? "ok" : r.error, message);
  }
});
