import { assertEquals } from "../../tests/helpers/assert.ts";
import {
  escapeDnsText,
  fetchedRecord,
  presentation,
  recordText,
  renderRecord,
  shortened,
} from "./txt_render.ts";

const key = "k=rsa; p=" + "A".repeat(392); // a 2048-bit record: 401 octets

Deno.test("renderRecord() bind: relative name without domain, strings cut every 255 octets", () => {
  const r = renderRecord({ label: "s2048._domainkey", value: key }, "bind");
  assertEquals(r, {
    ok: true,
    value: `s2048._domainkey\tIN\tTXT\t"${key.slice(0, 255)}" "${
      key.slice(255)
    }"`,
  });
});

Deno.test("renderRecord() bind: absolute name with the domain, quotes, backslashes and bytes escaped", () => {
  const r = renderRecord(
    { label: "_domainkey", value: 'n="x"\\\x01;' },
    "bind",
    "Example.com.",
  );
  assertEquals(r, {
    ok: true,
    value: `_domainkey.Example.com.\tIN\tTXT\t"n=\\"x\\"\\\\\\001;"`,
  });
  const exact = renderRecord({ label: "a", value: "x".repeat(510) }, "bind");
  assertEquals(exact.ok && exact.value.split('" "').length, 2);
  assertEquals(renderRecord({ label: "a", value: "" }, "bind"), {
    ok: true,
    value: 'a\tIN\tTXT\t""',
  });
});

Deno.test("renderRecord() tinydns: a ' line with : and \\ as octal, no TTL; needs the domain", () => {
  assertEquals(
    renderRecord(
      { label: "s._domainkey", value: "k=rsa; n=a:b\\c\x7f" },
      "tinydns",
      "example.com",
    ),
    {
      ok: true,
      value: "'s._domainkey.example.com:k=rsa; n=a\\072b\\134c\\177",
    },
  );
  assertEquals(renderRecord({ label: "_domainkey", value: "o=~" }, "tinydns"), {
    ok: false,
    error: "The tinydns format needs the domain (--domain)",
  });
});

Deno.test("renderRecord() value: the host field, a tab, the bare value", () => {
  assertEquals(
    renderRecord(
      { label: "_domainkey", value: "t=y; o=-" },
      "value",
      "example.com",
    ),
    {
      ok: true,
      value: "_domainkey\tt=y; o=-",
    },
  );
});

Deno.test("presentation() writes TXT strings as dig does", () => {
  const te = new TextEncoder();
  assertEquals(
    presentation([te.encode('a"b\\c'), new Uint8Array([0, 0x1b, 0xff])]),
    '"a\\"b\\\\c" "\\000\\027\\255"',
  );
});

Deno.test("fetchedRecord(), recordText(), escapeDnsText() and shortened() show DNS text safely", () => {
  const enc = (s: string) => new TextEncoder().encode(s);
  assertEquals(
    fetchedRecord("s._domainkey.example.com", {
      kind: "records",
      records: [[enc("k=rsa; "), enc('p="x')]],
    }),
    {
      name: "s._domainkey.example.com",
      answer: "records",
      values: ['"k=rsa; " "p=\\"x"'],
    },
  );
  assertEquals(fetchedRecord("x", { kind: "nxdomain" }).values, []);
  assertEquals(
    recordText([enc("v=DKIM1; "), Uint8Array.of(0xe9)]),
    "v=DKIM1; \xe9",
  );
  assertEquals(escapeDnsText("a\x1b[0m\xe9"), "a\\027[0m\\233");
  assertEquals(shortened("abcdefghij", 6), "abc...");
  assertEquals(shortened("abc", 6), "abc");
});
