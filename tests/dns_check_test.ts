/**
 * `dk dns check` judging every situation of `helpers/dns_fixtures.ts` three
 * ways: through a live dnsmasq on 127.0.0.1 (`--dns`, and `DK_DNS`), through
 * `--zone` with a BIND zone file per fixture, and through `--zone` with one
 * tinydns `data` file. Plus DNS trouble (SERVFAIL, a silent server) → 75
 * within the timeout, and usage errors → 2.
 */

import { assertEquals } from "./helpers/assert.ts";
import { startDnsmasq } from "./helpers/dnsmasq.ts";
import { startFakeDns } from "./helpers/fake_dns.ts";
import {
  type DnsFixture,
  dnsFixtures,
  makeKey,
  toBindZone,
  toDnsmasq,
  toTinydnsData,
} from "./helpers/dns_fixtures.ts";

const DK = new URL("../scripts/dk", import.meta.url).pathname;
const td = new TextDecoder();

interface Outcome {
  code: number;
  json: {
    ok: boolean;
    problems: { code: string; message: string }[];
    could_not_check: string[];
  };
  stderr: string;
}

async function dk(
  args: string[],
  env: Record<string, string> = {},
): Promise<Outcome> {
  const out = await new Deno.Command(DK, { args, env, stdin: "null" }).output();
  const stdout = td.decode(out.stdout);
  let json;
  try {
    json = JSON.parse(stdout);
  } catch {
    json = { ok: false, problems: [], could_not_check: [], raw: stdout };
  }
  return { code: out.code, json, stderr: td.decode(out.stderr) };
}

const good = makeKey(2048);
const other = makeKey(1024);
const weak = makeKey(512);
const fixtures = dnsFixtures(good, weak);
const dir = await Deno.makeTempDir({ prefix: "dk-dns-check-" });
await Deno.mkdir(`${dir}/published`);
await Deno.mkdir(`${dir}/other`);
await Deno.writeTextFile(`${dir}/published/s`, good.pem);
await Deno.writeTextFile(`${dir}/other/s`, other.pem);
await Deno.writeTextFile(`${dir}/data`, toTinydnsData(fixtures));
for (const f of fixtures) {
  await Deno.writeTextFile(`${dir}/${f.name}.db`, toBindZone(f));
}

function argsFor(f: DnsFixture, source: string[]): string[] {
  const args = ["dns", "check", f.domain, "--json", ...source];
  if (f.localKey) args.push("--key", `${dir}/${f.localKey}/s`);
  else if (f.selector) args.push("--selector", f.selector);
  return args;
}

function judge(f: DnsFixture, got: Outcome, how: string) {
  const codes = got.json.problems.map((p) => p.code).sort();
  assertEquals(
    { codes, exit: got.code },
    { codes: f.codes, exit: f.exit },
    `${f.name} via ${how}: ${got.stderr}`,
  );
  assertEquals(got.json.ok, f.codes.length === 0);
}

Deno.test("dk dns check judges every situation served by a live dnsmasq", async () => {
  const server = await startDnsmasq(toDnsmasq(fixtures));
  try {
    await Promise.all(fixtures.map(async (f) => {
      judge(f, await dk(argsFor(f, ["--dns", server.address])), "--dns");
    }));
    // DK_DNS is read when --dns is absent.
    const f = fixtures.find((x) => x.name === "short-key")!;
    judge(f, await dk(argsFor(f, []), { DK_DNS: server.address }), "DK_DNS");
  } finally {
    await server.stop();
  }
});

Deno.test("dk dns check judges every situation from a BIND zone file (--zone)", async () => {
  await Promise.all(fixtures.map(async (f) => {
    judge(
      f,
      await dk(argsFor(f, ["--zone", `${dir}/${f.name}.db`])),
      "BIND --zone",
    );
  }));
});

Deno.test("dk dns check judges every situation from a tinydns data file (--zone)", async () => {
  await Promise.all(fixtures.map(async (f) => {
    judge(f, await dk(argsFor(f, ["--zone", `${dir}/data`])), "tinydns --zone");
  }));
});

Deno.test("dk dns check says 'could not check' and exits 75 on SERVFAIL, REFUSED and outside the zone file", async () => {
  const server = await startDnsmasq({
    zones: ["ok.example"],
    txt: [],
    servfail: ["broken.example"],
  });
  try {
    for (const domain of ["broken.example", "refused.example"]) {
      const got = await dk([
        "dns",
        "check",
        domain,
        "--selector",
        "s",
        "--json",
        "--dns",
        server.address,
      ], { DK_DNS_TIMEOUT: "2" });
      assertEquals(
        [got.code, got.json.problems, got.json.could_not_check.length],
        [75, [], 2],
        domain,
      );
    }
  } finally {
    await server.stop();
  }
  const outside = await dk([
    "dns",
    "check",
    "elsewhere.example",
    "--json",
    "--zone",
    `${dir}/good.db`,
  ]);
  assertEquals([outside.code, outside.json.could_not_check.length], [75, 1]);
});

Deno.test("dk dns check exits 75 within the timeout when the server is silent (DK_DNS_TIMEOUT=1)", async () => {
  const silent = await startFakeDns(() => null);
  try {
    const started = Date.now();
    const out = await new Deno.Command(DK, {
      args: [
        "dns",
        "check",
        "example.com",
        "--selector",
        "s",
        "--dns",
        silent.address,
      ],
      env: { DK_DNS_TIMEOUT: "1" },
    }).output();
    const took = Date.now() - started;
    assertEquals(out.code, 75);
    const text = td.decode(out.stdout);
    if (
      !text.includes("could not check:") ||
      !text.includes("Could not check: DNS did not answer")
    ) throw new Error(text);
    // Two lookups of at most 1 s each, plus Deno's start.
    if (took > 5000) throw new Error(`took ${took} ms`);
  } finally {
    await silent.close();
  }
});

Deno.test("dk dns check: plain-words output names each problem with its code", async () => {
  const f = fixtures.find((x) => x.name === "all-signed-no-key")!;
  const out = await new Deno.Command(DK, {
    args: [
      "dns",
      "check",
      f.domain,
      "--selector",
      "s",
      "--zone",
      `${dir}/${f.name}.db`,
    ],
  }).output();
  const text = td.decode(out.stdout);
  assertEquals(out.code, 1);
  for (
    const line of [
      "problem policy-all-signed-no-key: ",
      "problem selector-nxdomain: ",
      "2 problems found",
    ]
  ) {
    if (!text.includes(line)) throw new Error(text);
  }
  const ok = await new Deno.Command(DK, {
    args: [
      "dns",
      "check",
      "good.example",
      "--selector",
      "s",
      "--zone",
      `${dir}/good.db`,
    ],
  }).output();
  assertEquals([ok.code, td.decode(ok.stdout).trimEnd().split("\n").at(-1)], [
    0,
    "No problems found",
  ]);
});

Deno.test("dk dns check: usage errors exit 2 with one line on stderr", async () => {
  const cases: [string[], string][] = [
    [["dns", "check"], "Missing the domain to check"],
    [["dns", "check", "a.example", "b.example"], "Give one domain"],
    [["dns", "check", "not a domain"], 'Cannot use domain "not a domain"'],
    [
      ["dns", "check", "a.example", "--dns", "ns.example"],
      'Cannot use DNS server "ns.example"',
    ],
    [
      ["dns", "check", "a.example", "--dns", "127.0.0.1", "--zone", "x"],
      "Cannot use --dns and --zone together",
    ],
    [
      ["dns", "check", "a.example", "--zone", `${dir}/missing`],
      `Cannot read zone file "${dir}/missing": no such file`,
    ],
    [
      ["dns", "check", "a.example", "--key", `${dir}/missing`],
      `Cannot read key file "${dir}/missing"`,
    ],
    [["dns", "check", "a.example", "--bogus"], "Unknown option '--bogus'"],
  ];
  for (const [args, fragment] of cases) {
    const out = await new Deno.Command(DK, { args }).output();
    const stderr = td.decode(out.stderr);
    assertEquals(out.code, 2, args.join(" "));
    if (!stderr.includes(fragment) || stderr.trimEnd().includes("\n")) {
      throw new Error(`${args.join(" ")}: ${stderr}`);
    }
  }
});

globalThis.addEventListener("unload", () => {
  try {
    Deno.removeSync(dir, { recursive: true });
  } catch { /* gone */ }
});
