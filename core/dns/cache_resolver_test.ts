import { assertEquals } from "../../tests/helpers/assert.ts";
import { cacheResolver } from "./cache_resolver.ts";
import type { Resolver, TxtAnswer } from "./resolver.ts";

const te = new TextEncoder();

/** A resolver answering from `answers`, recording each name asked. */
function scripted(answers: Record<string, TxtAnswer | "throw">) {
  const asked: string[] = [];
  const resolver: Resolver = {
    txt(name) {
      asked.push(name);
      const answer = answers[name] ?? { kind: "nxdomain" };
      if (answer === "throw") return Promise.reject(new Error("boom"));
      return Promise.resolve(answer);
    },
  };
  return { resolver, asked };
}

function clock() {
  let ms = 1_000_000;
  return { now: () => ms, advance: (s: number) => (ms += s * 1000) };
}

const KEY: TxtAnswer = {
  kind: "records",
  records: [[te.encode("k=rsa; p=x")]],
  ttl: 60,
};

Deno.test("cacheResolver() asks a name once while its TTL runs, then again", async () => {
  const { resolver, asked } = scripted({ "s._domainkey.example.com": KEY });
  const time = clock();
  const cache = cacheResolver(resolver, { now: time.now });
  // Concurrent askers share the lookup in flight; case and a final dot do not matter.
  const [a, b] = await Promise.all([
    cache.txt("s._domainkey.example.com"),
    cache.txt("S._DomainKey.Example.COM."),
  ]);
  assertEquals([a, b], [KEY, KEY]);
  time.advance(59);
  await cache.txt("s._domainkey.example.com");
  assertEquals(asked.length, 1);
  time.advance(1);
  await cache.txt("s._domainkey.example.com");
  assertEquals(asked.length, 2);
  assertEquals(cache.asked, [
    "s._domainkey.example.com",
    "s._domainkey.example.com",
  ]);
});

Deno.test("cacheResolver() keeps failures and answers without a TTL only briefly, a TTL of 0 not at all", async () => {
  const { resolver, asked } = scripted({
    "fail.example": { kind: "tempfail", reason: "server answered SERVFAIL" },
    "zone.example": { kind: "nodata" },
    "zero.example": { kind: "records", records: [[te.encode("x")]], ttl: 0 },
    "throws.example": "throw",
  });
  const time = clock();
  const cache = cacheResolver(resolver, { now: time.now, briefSeconds: 2 });
  for (const name of ["fail.example", "zone.example", "throws.example"]) {
    await cache.txt(name);
    time.advance(1.9);
    const again = await cache.txt(name);
    assertEquals(asked.filter((n) => n === name).length, 1, name);
    time.advance(0.1);
    await cache.txt(name);
    assertEquals(asked.filter((n) => n === name).length, 2, name);
    if (name === "throws.example") {
      assertEquals(again, { kind: "tempfail", reason: "lookup failed: boom" });
    }
  }
  await cache.txt("zero.example");
  await cache.txt("zero.example");
  assertEquals(asked.filter((n) => n === "zero.example").length, 2);
});

Deno.test("cacheResolver() caps the TTL and the number of names kept", async () => {
  const long: TxtAnswer = { kind: "nxdomain", ttl: 86400 };
  const { resolver, asked } = scripted({
    "a.example": long,
    "b.example": long,
    "c.example": long,
  });
  const time = clock();
  const cache = cacheResolver(resolver, {
    now: time.now,
    maxEntries: 2,
    maxKeepSeconds: 100,
  });
  await cache.txt("a.example");
  await cache.txt("b.example");
  await cache.txt("c.example"); // a.example, the oldest, goes
  await cache.txt("b.example");
  assertEquals(asked, ["a.example", "b.example", "c.example"]);
  await cache.txt("a.example");
  assertEquals(asked.length, 4);
  time.advance(100);
  await cache.txt("a.example");
  assertEquals(asked.length, 5);
});
