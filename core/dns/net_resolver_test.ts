import { assertEquals } from "../../tests/helpers/assert.ts";
import { netResolver, setNetworkGuard } from "./net_resolver.ts";
import { parseServer } from "./server.ts";
import type { Resolver, TxtAnswer } from "./resolver.ts";
import { splitStrings, startDnsmasq } from "../../tests/helpers/dnsmasq.ts";
import { fakeResponse, startFakeDns } from "../../tests/helpers/fake_dns.ts";

const td = new TextDecoder();

function resolverAt(address: string, timeoutMs = 2000): Resolver {
  const server = parseServer(address);
  if (!server.ok) throw new Error(server.error);
  return netResolver({ server: server.value, timeoutMs });
}

function strings(answer: TxtAnswer): string[][] {
  if (answer.kind !== "records") {
    throw new Error(`expected records, got ${JSON.stringify(answer)}`);
  }
  return answer.records.map((r) => r.map((s) => td.decode(s)));
}

Deno.test("netResolver() against dnsmasq: records, NXDOMAIN, NODATA, REFUSED and SERVFAIL", async () => {
  const long = "k=rsa; p=" + "A".repeat(392);
  const server = await startDnsmasq({
    zones: ["example.com"],
    txt: [
      { name: "s._domainkey.example.com", strings: splitStrings(long) },
      { name: "two.example.com", strings: ["one"] },
      { name: "two.example.com", strings: ["two"] },
    ],
    nodata: ["host.example.com"],
    servfail: ["broken.test"],
  });
  try {
    const resolver = resolverAt(server.address);
    assertEquals(strings(await resolver.txt("S._DOMAINKEY.example.com.")), [
      splitStrings(long),
    ]);
    assertEquals(strings(await resolver.txt("two.example.com")).sort(), [[
      "one",
    ], ["two"]]);
    assertEquals(await resolver.txt("missing.example.com"), {
      kind: "nxdomain",
    });
    assertEquals(await resolver.txt("host.example.com"), { kind: "nodata" });
    const refused = await resolver.txt("elsewhere.org");
    assertEquals(refused.kind, "tempfail");
    const broken = await resolver.txt("x.broken.test");
    assertEquals(broken.kind, "tempfail");
  } finally {
    await server.stop();
  }
});

Deno.test("netResolver() gives tempfail within the deadline when the server is silent, after two UDP tries", async () => {
  const fake = await startFakeDns(() => null);
  try {
    const started = Date.now();
    const answer = await resolverAt(fake.address, 600).txt("a.example.com");
    const took = Date.now() - started;
    assertEquals(answer.kind, "tempfail");
    if (took < 550 || took > 1500) throw new Error(`took ${took} ms`);
    assertEquals(fake.queries.map((q) => q.via), ["udp", "udp"]);
  } finally {
    await fake.close();
  }
});

Deno.test("netResolver() asks again over TCP when the UDP answer is truncated", async () => {
  const fake = await startFakeDns((query, via) =>
    via === "udp"
      ? fakeResponse(query, 0x8380)
      : fakeResponse(query, 0x8180, [["k=rsa; p=", "tcp"]])
  );
  try {
    assertEquals(strings(await resolverAt(fake.address).txt("a.example.com")), [
      ["k=rsa; p=", "tcp"],
    ]);
    assertEquals(fake.queries.map((q) => q.via), ["udp", "tcp"]);
  } finally {
    await fake.close();
  }
});

Deno.test("netResolver() ignores a reply with another id and gives tempfail for garbage", async () => {
  let calls = 0;
  const fake = await startFakeDns((query) => {
    calls++;
    if (calls === 1) {
      const spoof = fakeResponse(query, 0x8180, [["p=spoofed"]]);
      spoof[0] ^= 0xff;
      return spoof;
    }
    return fakeResponse(query, 0x8180, [["p=real"]]);
  });
  try {
    assertEquals(
      strings(await resolverAt(fake.address, 400).txt("a.example.com")),
      [["p=real"]],
    );
  } finally {
    await fake.close();
  }
  const junk = await startFakeDns((query) => {
    const r = fakeResponse(query, 0x8180, [["x"]]);
    return r.subarray(0, r.length - 3);
  });
  try {
    const answer = await resolverAt(junk.address).txt("a.example.com");
    assertEquals(answer.kind, "tempfail");
  } finally {
    await junk.close();
  }
});

Deno.test("netResolver() gives tempfail when TCP is refused after a truncated answer", async () => {
  const fake = await startFakeDns((query, via) =>
    via === "udp" ? fakeResponse(query, 0x8380) : null
  );
  try {
    const answer = await resolverAt(fake.address, 500).txt("a.example.com");
    assertEquals(answer.kind, "tempfail");
  } finally {
    await fake.close();
  }
});

Deno.test("setNetworkGuard() hook runs before any packet and can stop the lookup", async () => {
  const seen: string[] = [];
  setNetworkGuard((lookup) => {
    seen.push(lookup);
    throw new Error(`stray DNS lookup: ${lookup}`);
  });
  try {
    const failed = await resolverAt("127.0.0.1:9").txt("a.example.com").then(
      () => false,
      () => true,
    );
    assertEquals(failed, true);
    assertEquals(seen, ["a.example.com@127.0.0.1:9"]);
  } finally {
    setNetworkGuard(null);
  }
});
