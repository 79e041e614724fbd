import { assertEquals } from "../../tests/helpers/assert.ts";
import { detectZoneFormat, zoneResolver } from "./zone_resolver.ts";

const te = new TextEncoder();

Deno.test("detectZoneFormat() tells a tinydns data file from a BIND zone file", () => {
  const cases: [string, string][] = [
    ["# djbdns\n'x.example.com:k=rsa; p=AB\n", "tinydns"],
    [".example.com::ns.example.com\n", "tinydns"],
    ["Zexample.com:ns:host\n", "tinydns"],
    ["$ORIGIN example.com.\n", "bind"],
    ['; bind\ns._domainkey IN TXT "k=rsa; p=AB"\n', "bind"],
    ['  IN TXT "x"\n', "bind"],
    ["@ IN SOA ns host 1 2 3 4 5\n", "bind"],
    ["", "bind"],
  ];
  for (const [text, format] of cases) {
    assertEquals(detectZoneFormat(te.encode(text)), format, text);
  }
});

Deno.test("zoneResolver() answers from either format and returns the parser's error", async () => {
  const bind = zoneResolver(te.encode('s._domainkey IN TXT "p=1"\n'), {
    origin: "example.com",
  });
  const tiny = zoneResolver(
    te.encode(".example.com::ns\n's._domainkey.example.com:p=1\n"),
  );
  for (const r of [bind, tiny]) {
    if (!r.ok) throw new Error(r.error);
    const a = await r.value.txt("s._domainkey.example.com");
    assertEquals(
      a.kind === "records" ? new TextDecoder().decode(a.records[0][0]) : a.kind,
      "p=1",
    );
    assertEquals(
      (await r.value.txt("x._domainkey.example.com")).kind,
      "nxdomain",
    );
  }
  const bad = zoneResolver(te.encode('x TXT "a"\n'), { file: "z" });
  assertEquals(bad, {
    ok: false,
    error: 'z:1: relative name "x" with no $ORIGIN',
  });
});
