import { assertEquals } from "../../tests/helpers/assert.ts";
import { memoryResolver } from "./memory_resolver.ts";
import { netResolver } from "./net_resolver.ts";
import { guardDns, withDnsGuard } from "../../tests/helpers/dns_guard.ts";

Deno.test("memoryResolver() answers from a declarative zone and records every query", async () => {
  await withDnsGuard(async () => {
    const resolver = memoryResolver({
      "s._domainkey.example.com": [["k=rsa; p=", "AB"], [
        new Uint8Array([0xff]),
      ]],
      "_domainkey.example.com": "nodata",
      "t._domainkey.example.com": "servfail",
      "u._domainkey.example.com": "timeout",
    });
    const a = await resolver.txt("S._domainkey.Example.com.");
    assertEquals(a, {
      kind: "records",
      records: [[
        new TextEncoder().encode("k=rsa; p="),
        new TextEncoder().encode("AB"),
      ], [new Uint8Array([0xff])]],
    });
    assertEquals(await resolver.txt("_domainkey.example.com"), {
      kind: "nodata",
    });
    assertEquals(
      (await resolver.txt("t._domainkey.example.com")).kind,
      "tempfail",
    );
    assertEquals(
      (await resolver.txt("u._domainkey.example.com")).kind,
      "tempfail",
    );
    assertEquals(await resolver.txt("other.example.com"), { kind: "nxdomain" });
    assertEquals(resolver.queries, [
      "s._domainkey.example.com",
      "_domainkey.example.com",
      "t._domainkey.example.com",
      "u._domainkey.example.com",
      "other.example.com",
    ]);
  });
});

Deno.test("guardDns() makes a stray real lookup fail and lists it", async () => {
  const release = guardDns();
  let failed = false;
  try {
    await netResolver({
      server: { host: "127.0.0.1", port: 9, family: 4 },
      timeoutMs: 100,
    }).txt("x.example.com");
  } catch {
    failed = true;
  }
  let resolveFailed = false;
  try {
    await Deno.resolveDns("example.com", "TXT");
  } catch {
    resolveFailed = true;
  }
  const stray = release();
  assertEquals([failed, resolveFailed], [true, true]);
  assertEquals(stray, ["x.example.com@127.0.0.1:9", "example.com"]);
});
