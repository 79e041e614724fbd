/**
 * `dk dns check --scheme dkim|both` on real records (dkim.md 8 rows 11 and
 * 12): records made by dkimpy's `dknewkey` (RSA and Ed25519) and by
 * `dk keygen`, hand-written dknewkey-style records and provider-damaged
 * ones, served by a loopback dnsmasq, a BIND zone file and a tinydns `data`
 * file; and `dk keygen` keys whose records dnsmasq serves, a message signed
 * with them by the DKIM core, verified by dkimpy through a `dnsfunc` that
 * asks that same dnsmasq (and by dk's own verifier through it too).
 */

import { assert, assertEquals } from "./helpers/assert.ts";
import { DK, run } from "./helpers/mail_dkim.ts";
import { startDnsmasq } from "./helpers/dnsmasq.ts";
import {
  type DnsFixture,
  toBindZone,
  toDnsmasq,
  toTinydnsData,
} from "./helpers/dns_fixtures.ts";
import { DkimSigner, parseSigningKeyPem } from "../core/dkim/sign.ts";
import { DkimVerifier } from "../core/dkim/verify.ts";
import { wasmBackend } from "../core/crypto/wasm.ts";
import { resolverFromOptions } from "../core/dns/select.ts";

const DOMAIN = "example.com";
const dir = await Deno.makeTempDir({ prefix: "dk-dkim-check-" });

async function must(program: string, args: string[], cwd?: string) {
  const r = await run(program, args, { cwd });
  if (r.code !== 0) {
    throw new Error(`${program} ${args.join(" ")}: ${r.code} ${r.stderrText}`);
  }
  return r;
}

/** The quoted strings of a BIND line (dk writes no escapes for key records). */
function bindStrings(line: string): string[] {
  return [...line.matchAll(/"([^"\\]*)"/g)].map((m) => m[1]);
}

/** Splits into 255-octet strings, as a right record holds a long value. */
function split(value: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < value.length || i === 0; i += 255) {
    out.push(value.slice(i, i + 255));
  }
  return out;
}

// dkimpy's dknewkey: NAME.key (private) and NAME.dns (the record's value).
await must("dknewkey", ["nk-rsa"], dir);
await must("dknewkey", ["--ktype", "ed25519", "nk-ed"], dir);
const nkRsa = (await Deno.readTextFile(`${dir}/nk-rsa.dns`)).trim();
const nkEd = (await Deno.readTextFile(`${dir}/nk-ed.dns`)).trim();
assert(nkRsa.startsWith("v=DKIM1; k=rsa; h=sha256; p="), nkRsa);
assert(nkEd.startsWith("v=DKIM1; k=ed25519; p="), nkEd);
const nkRsaSpki = nkRsa.slice(nkRsa.indexOf("p=") + 2);
const nkEdRaw = nkEd.slice(nkEd.indexOf("p=") + 2);
const nkEdSpki = btoa(
  String.fromCharCode(
    ...[0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00],
    ...Uint8Array.from(atob(nkEdRaw), (c) => c.charCodeAt(0)),
  ),
);

// dk keygen: DKIM RSA, Ed25519 and a DomainKeys-form RSA key; their records
// as dk dns records prints them.
const made: Record<string, string[]> = {};
for (
  const [selector, flags] of [
    ["dk-rsa", ["--scheme", "dkim"]],
    ["dk-ed", ["--type", "ed25519"]],
    ["dk-dkform", ["--bits", "1024"]],
  ] as [string, string[]][]
) {
  await must(DK, ["keygen", `${dir}/${selector}`, ...flags]);
  const records = await must(DK, [
    "dns",
    "records",
    "--domain",
    DOMAIN,
    "--key",
    `${dir}/${selector}`,
    ...(selector === "dk-dkform" ? [] : ["--scheme", "dkim"]),
  ]);
  made[selector] = bindStrings(records.stdoutText.split("\n")[0]);
}

interface Case {
  selector: string;
  strings: string[];
  codes: string[];
  keyType: "rsa" | "ed25519" | null;
}

const CASES: Case[] = [
  { selector: "nk-rsa", strings: split(nkRsa), codes: [], keyType: "rsa" },
  { selector: "nk-ed", strings: [nkEd], codes: [], keyType: "ed25519" },
  { selector: "dk-rsa", strings: made["dk-rsa"], codes: [], keyType: "rsa" },
  { selector: "dk-ed", strings: made["dk-ed"], codes: [], keyType: "ed25519" },
  {
    selector: "dk-dkform",
    strings: made["dk-dkform"],
    codes: [],
    keyType: "rsa",
  },
  // dknewkey-style by hand: older dknewkey wrote t=y, and s=email is common.
  {
    selector: "hand-testing",
    strings: split(`v=DKIM1; h=sha256; k=rsa; s=email; t=y; p=${nkRsaSpki}`),
    codes: ["selector-testing"],
    keyType: "rsa",
  },
  {
    selector: "hand-email",
    strings: split(`v=DKIM1; k=ed25519; s=email; h=sha256; p=${nkEdRaw}`),
    codes: [],
    keyType: "ed25519",
  },
  {
    selector: "hand-sha1",
    strings: split(`v=DKIM1; k=rsa; h=sha1; p=${nkRsaSpki}`),
    codes: ["selector-sha1-only"],
    keyType: null,
  },
  {
    selector: "hand-not-email",
    strings: split(`v=DKIM1; k=rsa; s=tlsrpt; p=${nkRsaSpki}`),
    codes: ["selector-not-email"],
    keyType: null,
  },
  {
    selector: "hand-version",
    strings: split(`v=DKIM2; k=rsa; p=${nkRsaSpki}`),
    codes: ["selector-version"],
    keyType: null,
  },
  // Provider damage.
  {
    selector: "spki-ed",
    strings: [`v=DKIM1; k=ed25519; p=${nkEdSpki}`],
    codes: ["key-ed25519-spki"],
    keyType: null,
  },
  {
    selector: "quoted",
    strings: [`"${nkEd}"`],
    codes: ["selector-quotes"],
    keyType: null,
  },
  {
    selector: "escaped",
    strings: [nkEd.replaceAll(";", "\\;")],
    codes: ["selector-backslash"],
    keyType: null,
  },
  {
    selector: "cut",
    strings: [nkRsa.slice(0, 255)],
    codes: ["selector-cut"],
    keyType: null,
  },
  {
    selector: "no-k",
    strings: [`v=DKIM1; p=${nkEdRaw}`],
    codes: ["key-unparsable"],
    keyType: null,
  },
  {
    selector: "two",
    strings: [nkEd],
    codes: ["selector-several"],
    keyType: "ed25519",
  },
];

const fixture: DnsFixture = {
  name: "dkim",
  domain: DOMAIN,
  selector: null,
  txt: [
    { name: "_domainkey", strings: ["o=~"] },
    ...CASES.map((c) => ({
      name: `${c.selector}._domainkey`,
      strings: c.strings,
    })),
    // An old key left beside the new one (answer order varies: same type).
    { name: "two._domainkey", strings: made["dk-ed"] },
  ],
  exists: [],
  codes: [],
  exit: 0,
};
await Deno.writeTextFile(`${dir}/zone.db`, toBindZone(fixture));
await Deno.writeTextFile(`${dir}/data`, toTinydnsData([fixture]));

interface Checked {
  code: number;
  json: {
    ok: boolean;
    scheme: string;
    problems: { code: string; message: string }[];
    notes: string[];
    key_type: string | null;
    records: { policy: unknown; selector: { name: string } };
  };
}

async function check(args: string[]): Promise<Checked> {
  const r = await run(DK, ["dns", "check", DOMAIN, "--json", ...args]);
  try {
    return { code: r.code, json: JSON.parse(r.stdoutText) };
  } catch {
    throw new Error(
      `${args.join(" ")}: ${r.code} ${r.stdoutText} ${r.stderrText}`,
    );
  }
}

function judge(c: Case, got: Checked, how: string) {
  assertEquals(
    {
      codes: got.json.problems.map((p) => p.code).sort(),
      exit: got.code,
      keyType: got.json.key_type,
    },
    {
      codes: [...c.codes].sort(),
      exit: c.codes.length ? 1 : 0,
      keyType: c.keyType,
    },
    `${c.selector} via ${how}: ${JSON.stringify(got.json.problems)}`,
  );
  assertEquals(
    [got.json.scheme, got.json.records.policy],
    ["dkim", null],
  );
  assertEquals(
    got.json.records.selector.name,
    `${c.selector}._domainkey.${DOMAIN}`,
  );
}

Deno.test("dk dns check --scheme dkim judges dknewkey's, dk keygen's, hand-written and damaged records served by dnsmasq", async () => {
  const server = await startDnsmasq(toDnsmasq([fixture]));
  try {
    await Promise.all(CASES.map(async (c) => {
      judge(
        c,
        await check([
          "--scheme",
          "dkim",
          "--selector",
          c.selector,
          "--dns",
          server.address,
        ]),
        "dnsmasq",
      );
    }));
  } finally {
    await server.stop();
  }
});

Deno.test("dk dns check --scheme dkim judges the same records from a BIND zone file and a tinydns data file", async () => {
  for (const zone of ["zone.db", "data"]) {
    await Promise.all(CASES.map(async (c) => {
      judge(
        c,
        await check([
          "--scheme",
          "dkim",
          "--selector",
          c.selector,
          "--zone",
          `${dir}/${zone}`,
        ]),
        zone,
      );
    }));
  }
});

Deno.test("dk dns check --scheme dkim --key: dk keygen's keys match their records; the SPKI case names the raw key to publish", async () => {
  for (const selector of ["dk-rsa", "dk-ed"]) {
    const good = await check([
      "--scheme",
      "dkim",
      "--key",
      `${dir}/${selector}`,
      "--zone",
      `${dir}/zone.db`,
    ]);
    assertEquals([good.code, good.json.problems], [0, []], selector);
  }
  // dk-ed's key checked against nk-ed's record: not the public half.
  await Deno.copyFile(`${dir}/dk-ed`, `${dir}/nk-ed.pem`);
  const other = await check([
    "--scheme",
    "dkim",
    "--key",
    `${dir}/nk-ed.pem`,
    "--selector",
    "nk-ed",
    "--zone",
    `${dir}/zone.db`,
  ]);
  assertEquals(other.json.problems.map((p) => p.code), ["key-mismatch"]);
  const spki = await check([
    "--scheme",
    "dkim",
    "--selector",
    "spki-ed",
    "--zone",
    `${dir}/zone.db`,
  ]);
  assert(
    spki.json.problems[0].message.includes(`publish p=${nkEdRaw}`),
    spki.json.problems[0].message,
  );
  const text = await run(DK, [
    "dns",
    "check",
    DOMAIN,
    "--scheme",
    "dkim",
    "--selector",
    "dk-ed",
    "--zone",
    `${dir}/zone.db`,
  ]);
  assertEquals(text.code, 0);
  const lines = text.stdoutText.trimEnd().split("\n");
  assertEquals(lines.length, 2, text.stdoutText);
  assert(
    lines[0].startsWith(
      `selector dk-ed._domainkey.${DOMAIN}: "v=DKIM1; k=ed25519; p=`,
    ),
  );
  assert(lines[0].endsWith(" (Ed25519 key)"), lines[0]);
  assertEquals(lines[1], "No problems found");
});

Deno.test("dk dns check --scheme both: DomainKeys' check plus DKIM's judgement of the same record, each code once", async () => {
  const dkform = await check([
    "--scheme",
    "both",
    "--key",
    `${dir}/dk-dkform`,
    "--zone",
    `${dir}/zone.db`,
  ]);
  assertEquals([dkform.code, dkform.json.scheme, dkform.json.problems], [
    0,
    "both",
    [],
  ]);
  assert(
    dkform.json.notes.some((n) => n.includes("no v=DKIM1")),
    JSON.stringify(dkform.json.notes),
  );
  assert(dkform.json.notes.some((n) => n.includes("1024-bit RSA key")));
  assertEquals(
    (dkform.json.records.policy as { name: string }).name,
    `_domainkey.${DOMAIN}`,
  );
  const testing = await check([
    "--scheme",
    "both",
    "--selector",
    "hand-testing",
    "--zone",
    `${dir}/zone.db`,
  ]);
  assertEquals(testing.json.problems.map((p) => p.code), ["selector-testing"]);
  const sha1 = await check([
    "--scheme",
    "both",
    "--selector",
    "hand-sha1",
    "--zone",
    `${dir}/zone.db`,
  ]);
  assertEquals(sha1.json.problems.map((p) => p.code), ["selector-sha1-only"]);
  // The same record under --scheme dk: today's check, DKIM's code absent.
  const dk = await check([
    "--selector",
    "hand-sha1",
    "--zone",
    `${dir}/zone.db`,
  ]);
  assertEquals([dk.code, dk.json.scheme, dk.json.problems], [0, "dk", []]);
});

const MESSAGE = [
  "From: Alice <alice@example.com>",
  "To: bob@example.org",
  "Subject: keys from dk keygen",
  "Date: Fri, 04 Dec 2026 19:00:00 +0000",
  "Message-ID: <keygen@example.com>",
  "",
  "Published by dk, signed by the DKIM core, verified by dkimpy.",
  "",
].join("\r\n");

const DKIMPY = `
import sys, json, base64, dkim, dns.resolver
res = dns.resolver.Resolver(configure=False)
res.nameservers = ["127.0.0.1"]
res.port = int(sys.argv[1])
asked = []
def dnsfunc(name, timeout=5):
    name = name.decode().rstrip(".")
    asked.append(name)
    try:
        answer = res.resolve(name, "TXT", lifetime=timeout)
    except Exception:
        return None
    for record in answer:
        return b"".join(record.strings)
    return None
out = [bool(dkim.verify(base64.b64decode(line), dnsfunc=dnsfunc)) for line in sys.stdin if line.strip()]
json.dump({"verified": out, "asked": asked}, sys.stdout)
`;

Deno.test("dk keygen keys, records served by dnsmasq, signed by the DKIM core: dkimpy verifies through a dnsfunc asking that dnsmasq", async () => {
  const selectors = ["dk-rsa", "dk-ed", "dk-dkform"];
  const server = await startDnsmasq({
    zones: [DOMAIN],
    txt: selectors.map((s) => ({
      name: `${s}._domainkey.${DOMAIN}`,
      strings: made[s],
    })),
  });
  try {
    const check = await run(DK, [
      "dns",
      "check",
      DOMAIN,
      "--scheme",
      "dkim",
      "--key",
      `${dir}/dk-ed`,
      "--dns",
      server.address,
    ]);
    assertEquals(check.code, 0, check.stdoutText);
    const signed: string[] = [];
    const now = Math.floor(Date.now() / 1000);
    for (const selector of selectors) {
      const key = parseSigningKeyPem(
        await Deno.readTextFile(`${dir}/${selector}`),
      );
      assert(key.ok, selector);
      const signer = new DkimSigner({
        key: key.value,
        selector,
        time: now,
      });
      signer.update(new TextEncoder().encode(MESSAGE));
      const field = await signer.sign();
      assert(field.ok, selector);
      signed.push(field.value + MESSAGE);
    }
    const tampered = signed.map((m) => m.replace("verified by", "forged for"));
    const lines = [...signed, ...tampered].map((m) => btoa(m)).join("\n") +
      "\n";
    const py = await run("/usr/bin/python3", [
      "-c",
      DKIMPY,
      String(server.port),
    ], {
      stdin: new TextEncoder().encode(lines),
    });
    assertEquals(py.code, 0, py.stderrText);
    const answer = JSON.parse(py.stdoutText);
    assertEquals(answer.verified, [true, true, true, false, false, false]);
    assertEquals(
      [...new Set(answer.asked)].sort(),
      selectors.map((s) => `${s}._domainkey.${DOMAIN}`).sort(),
    );
    // dk's own DKIM verifier agrees, through the same server.
    const resolver = resolverFromOptions({ dns: server.address, env: {} });
    assert(resolver.ok);
    for (const [i, message] of [...signed, ...tampered].entries()) {
      const verifier = new DkimVerifier({
        resolver: resolver.value,
        backend: wasmBackend,
        now: () => now,
      });
      verifier.update(new TextEncoder().encode(message));
      const verdict = await verifier.finish();
      assertEquals(
        verdict.letter,
        i < signed.length ? "A" : "U",
        `message ${i}`,
      );
    }
  } finally {
    await server.stop();
  }
});

globalThis.addEventListener("unload", () => {
  try {
    Deno.removeSync(dir, { recursive: true });
  } catch { /* gone */ }
});
