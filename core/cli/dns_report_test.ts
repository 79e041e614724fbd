import { assert, assertEquals } from "../../tests/helpers/assert.ts";
import { combineReports } from "./dns_report.ts";
import { checkDomain } from "../dk/check.ts";
import { checkDkimSelector } from "../dkim/check.ts";
import { memoResolver } from "../dns/memo_resolver.ts";
import { memoryResolver } from "../dns/memory_resolver.ts";
import { makeKey } from "../../tests/helpers/dns_fixtures.ts";

const rsa2048 = makeKey(2048);
const DOMAIN = "example.com";
const NAME = `s._domainkey.${DOMAIN}`;

/** Splits a value into 255-octet strings, as a right record holds it. */
function split(value: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < value.length || i === 0; i += 255) {
    out.push(value.slice(i, i + 255));
  }
  return out;
}

Deno.test("combineReports() reports each code once; memoResolver() asks each name once", async () => {
  const zone = memoryResolver({
    [`_domainkey.${DOMAIN}`]: [["o=~"]],
    [NAME]: [split(`t=y; k=rsa; p=${rsa2048.spki}`)],
  });
  const shared = memoResolver(zone);
  const [dk, dkim] = await Promise.all([
    checkDomain({
      domain: DOMAIN,
      selector: "s",
      resolver: shared,
      minBits: 1024,
    }),
    checkDkimSelector({
      domain: DOMAIN,
      selector: "s",
      resolver: shared,
      minBits: 1024,
    }),
  ]);
  assertEquals(zone.queries.sort(), [`_domainkey.${DOMAIN}`, NAME]);
  assertEquals(dk.problems.map((p) => p.code), ["selector-testing"]);
  assertEquals(dkim.problems.map((p) => p.code), ["selector-testing"]);
  const both = combineReports(dk, dkim);
  assertEquals(both.problems.map((p) => p.code), ["selector-testing"]);
  assertEquals(both.scheme, "both");
  assertEquals(both.policy?.name, `_domainkey.${DOMAIN}`);
  assert(both.notes.some((n) => n.includes("no v=DKIM1")));
  // DKIM-only problems join DomainKeys' ones.
  const sha1 = memoryResolver({
    [`_domainkey.${DOMAIN}`]: "nxdomain",
    [NAME]: [split(`h=sha1; k=rsa; p=${rsa2048.spki}`)],
  });
  const shared2 = memoResolver(sha1);
  const combined = combineReports(
    await checkDomain({
      domain: DOMAIN,
      selector: "s",
      resolver: shared2,
      minBits: 1024,
    }),
    await checkDkimSelector({
      domain: DOMAIN,
      selector: "s",
      resolver: shared2,
      minBits: 1024,
    }),
  );
  assertEquals(combined.problems.map((p) => p.code), [
    "policy-nxdomain",
    "selector-sha1-only",
  ]);
  assertEquals(sha1.queries.filter((q) => q === NAME).length, 1);
});
