import { assertEquals } from "../../tests/helpers/assert.ts";
import { checkDomain, PROBLEM_CODES } from "./check.ts";
import { memoryResolver, type MemoryZone } from "../dns/memory_resolver.ts";
import { parsePrivateKeyPem } from "../crypto/keys.ts";
import { dnsFixtures, makeKey } from "../../tests/helpers/dns_fixtures.ts";
import { withDnsGuard } from "../../tests/helpers/dns_guard.ts";

const good = makeKey(2048);
const other = makeKey(1024);
const weak = makeKey(512);
const fixtures = dnsFixtures(good, weak);

function zoneOf(f: (typeof fixtures)[number]): MemoryZone {
  const zone: MemoryZone = {};
  for (const t of f.txt) {
    const name = t.name === "" ? f.domain : `${t.name}.${f.domain}`;
    const records = zone[name];
    zone[name] = [...(Array.isArray(records) ? records : []), t.strings];
  }
  for (const n of f.exists) zone[`${n}.${f.domain}`] = "nodata";
  if (
    !zone[`_domainkey.${f.domain}`] &&
    Object.keys(zone).some((n) => n.endsWith(`._domainkey.${f.domain}`))
  ) {
    zone[`_domainkey.${f.domain}`] = "nodata"; // the empty non-terminal
  }
  return zone;
}

function publicOf(pem: string) {
  const r = parsePrivateKeyPem(pem);
  if (!r.ok) throw new Error(r.error);
  return r.value.publicKey;
}

for (const f of fixtures) {
  Deno.test(`checkDomain() judges "${f.name}": ${f.codes.join(", ") || "no problem"}`, async () => {
    await withDnsGuard(async () => {
      const resolver = memoryResolver(zoneOf(f));
      const localKey = f.localKey === "published"
        ? publicOf(good.pem)
        : f.localKey === "other"
        ? publicOf(other.pem)
        : undefined;
      const report = await checkDomain({
        domain: f.domain,
        selector: f.selector ?? undefined,
        localKey,
        resolver,
        minBits: 1024,
      });
      assertEquals(report.problems.map((p) => p.code).sort(), f.codes);
      assertEquals(report.ok, f.codes.length === 0);
      for (const p of report.problems) {
        if (!(p.code in PROBLEM_CODES) || /[^\x20-\x7e]/.test(p.message)) {
          throw new Error(JSON.stringify(p));
        }
      }
      const expected = [
        `_domainkey.${f.domain}`,
        ...(f.selector ? [`${f.selector}._domainkey.${f.domain}`] : []),
      ];
      assertEquals(resolver.queries, expected);
    });
  });
}

Deno.test("checkDomain() says 'could not check' for DNS trouble, never a problem", async () => {
  const resolver = memoryResolver({
    "_domainkey.t.example": "timeout",
    "s._domainkey.t.example": "servfail",
  });
  const report = await checkDomain({
    domain: "t.example",
    selector: "s",
    resolver,
    minBits: 1024,
  });
  assertEquals(report.problems, []);
  assertEquals(report.ok, false);
  assertEquals(report.couldNotCheck.length, 2);
});

Deno.test("checkDomain() notes that the selector was not checked without one", async () => {
  const report = await checkDomain({
    domain: "n.example",
    resolver: memoryResolver({ "_domainkey.n.example": [["o=~"]] }),
    minBits: 1024,
  });
  assertEquals([report.ok, report.notes.length, report.selectorRecord], [
    true,
    1,
    null,
  ]);
});

Deno.test("checkDomain() escapes control characters from DNS in every message", async () => {
  const resolver = memoryResolver({
    "_domainkey.e.example": [["o=\x1b[31m"]],
    "s._domainkey.e.example": [["k=\x1b]0;owned\x07; p=AAAA"]],
  });
  const report = await checkDomain({
    domain: "e.example",
    selector: "s",
    resolver,
    minBits: 1024,
  });
  for (const p of report.problems) {
    // deno-lint-ignore no-control-regex
    if (/[\x00-\x1f\x7f]/.test(p.message)) {
      throw new Error(JSON.stringify(p.message));
    }
  }
  assertEquals(report.problems.length, 2);
});
