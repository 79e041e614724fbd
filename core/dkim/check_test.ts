import { assert, assertEquals } from "../../tests/helpers/assert.ts";
import {
  checkDkimSelector,
  DKIM_PROBLEM_CODES,
  type DkimCheckReport,
} from "./check.ts";
import { parseKeyRecord } from "./key_record.ts";
import type { PublishedKey } from "./records.ts";
import { memoryResolver, type MemoryZone } from "../dns/memory_resolver.ts";
import { ed25519Generate, ed25519Spki } from "../crypto/ed25519.ts";
import { encodeBase64 } from "../crypto/base64.ts";
import { parsePrivateKeyPem } from "../crypto/keys.ts";
import { makeKey } from "../../tests/helpers/dns_fixtures.ts";

const rsa2048 = makeKey(2048);
const rsa1024 = makeKey(1024);
const rsa512 = makeKey(512);
const ed = await ed25519Generate();
const edOther = await ed25519Generate();
const edRaw = encodeBase64(ed.publicKey);
const edSpki = encodeBase64(ed25519Spki(ed.publicKey));
const rsaPublic = (pem: string): PublishedKey => {
  const parsed = parsePrivateKeyPem(pem);
  assert(parsed.ok);
  return { type: "rsa", rsa: parsed.value.publicKey };
};
/** The bare PKCS#1 RSAPublicKey inside an SPKI (its last 270 bytes for 2048 bits). */
const pkcs1 = encodeBase64(
  Uint8Array.from(atob(rsa2048.spki), (c) => c.charCodeAt(0)).slice(24),
);

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

interface Case {
  name: string;
  /** The TXT records at s._domainkey.example.com, or an outcome. */
  at: MemoryZone[string];
  codes: string[];
  /** Substrings expected in the notes. */
  notes?: string[];
  keyType?: "rsa" | "ed25519" | null;
  keyBits?: number | null;
  localKey?: PublishedKey;
  /** Substring expected in the first problem's message. */
  says?: string;
}

const cases: Case[] = [
  {
    name: "dknewkey RSA record",
    at: [split(`v=DKIM1; k=rsa; h=sha256; p=${rsa2048.spki}`)],
    codes: [],
    notes: [],
    keyType: "rsa",
    keyBits: 2048,
  },
  {
    name: "dknewkey Ed25519 record",
    at: [[`v=DKIM1; k=ed25519; p=${edRaw}`]],
    codes: [],
    notes: [],
    keyType: "ed25519",
    keyBits: null,
  },
  {
    name: "dknewkey-style with t=y and s=email",
    at: [split(`v=DKIM1; h=sha256; k=rsa; s=email; t=y; p=${rsa2048.spki}`)],
    codes: ["selector-testing"],
    keyType: "rsa",
  },
  {
    name: "DomainKeys form",
    at: [split(`k=rsa; p=${rsa2048.spki}`)],
    codes: [],
    notes: ["no v=DKIM1", "valid for both schemes"],
  },
  {
    name: "t=s and g=",
    at: [split(`v=DKIM1; g=*; t=s; p=${rsa2048.spki}`)],
    codes: [],
    notes: ["t=s", "g=, which DKIM ignores"],
  },
  {
    name: "s=email:*",
    at: [split(`v=DKIM1; s=email:*; p=${rsa2048.spki}`)],
    codes: [],
  },
  {
    name: "s= not for email",
    at: [split(`v=DKIM1; s=tlsrpt; p=${rsa2048.spki}`)],
    codes: ["selector-not-email"],
  },
  {
    name: "h=sha1 only",
    at: [split(`v=DKIM1; h=sha1; p=${rsa2048.spki}`)],
    codes: ["selector-sha1-only"],
    keyType: null,
  },
  {
    name: "h=sha1:sha256",
    at: [split(`v=DKIM1; h=sha1:sha256; p=${rsa2048.spki}`)],
    codes: [],
  },
  {
    name: "h= with no known hash",
    at: [split(`v=DKIM1; h=md5; p=${rsa2048.spki}`)],
    codes: ["key-unusable"],
  },
  {
    name: "v=DKIM2",
    at: [split(`v=DKIM2; p=${rsa2048.spki}`)],
    codes: ["selector-version"],
  },
  {
    name: "v=DKIM1 not first",
    at: [split(`k=rsa; v=DKIM1; p=${rsa2048.spki}`)],
    codes: ["selector-version"],
    says: "after other tags",
  },
  {
    name: "Ed25519 SPKI in p=",
    at: [[`v=DKIM1; k=ed25519; p=${edSpki}`]],
    codes: ["key-ed25519-spki"],
    says: `publish p=${edRaw}`,
  },
  {
    name: "Ed25519 key of 31 bytes",
    at: [[`v=DKIM1; k=ed25519; p=${encodeBase64(ed.publicKey.slice(1))}`]],
    codes: ["key-unparsable"],
  },
  {
    name: "Ed25519 key without k=ed25519",
    at: [[`v=DKIM1; p=${edRaw}`]],
    codes: ["key-unparsable"],
    says: "add k=ed25519",
  },
  {
    name: "k=dsa",
    at: [["v=DKIM1; k=dsa; p=AAAA"]],
    codes: ["key-type"],
  },
  {
    name: "quotes from a provider's form",
    at: [[`"v=DKIM1; k=ed25519; p=${edRaw}"`]],
    codes: ["selector-quotes"],
  },
  {
    name: "backslash-escaped semicolons",
    at: [[`v=DKIM1\\; k=ed25519\\; p=${edRaw}`]],
    codes: ["selector-backslash"],
  },
  {
    name: "cut at 255",
    at: [[`v=DKIM1; k=rsa; h=sha256; p=${rsa2048.spki}`.slice(0, 255)]],
    codes: ["selector-cut"],
  },
  {
    name: "tag given twice",
    at: [[`v=DKIM1; p=${edRaw}; p=${edRaw}`]],
    codes: ["selector-syntax"],
  },
  {
    name: "DKIM tag names are case-sensitive: K= is not k=",
    at: [[`v=DKIM1; K=ed25519; p=${edRaw}`]],
    codes: ["key-unparsable"],
  },
  {
    name: "revoked",
    at: [["v=DKIM1; k=rsa; p="]],
    codes: ["key-revoked"],
  },
  {
    name: "v=DKIM1 without p=",
    at: [["v=DKIM1; k=rsa"]],
    codes: ["selector-no-key"],
  },
  {
    name: "p= not base64",
    at: [["v=DKIM1; p=MIGf!!"]],
    codes: ["key-unparsable"],
  },
  {
    name: "SPF only",
    at: [["v=spf1 -all"]],
    codes: ["selector-no-key"],
  },
  { name: "NXDOMAIN", at: "nxdomain", codes: ["selector-nxdomain"] },
  { name: "NODATA", at: "nodata", codes: ["selector-no-txt"] },
  {
    name: "two key records",
    at: [[`v=DKIM1; k=ed25519; p=${edRaw}`], split(`p=${rsa2048.spki}`)],
    codes: ["selector-several"],
    keyType: "ed25519",
  },
  {
    name: "512-bit key",
    at: [[`v=DKIM1; p=${rsa512.spki}`]],
    codes: ["key-too-short"],
  },
  {
    name: "1024-bit key",
    at: [[`v=DKIM1; p=${rsa1024.spki}`]],
    codes: [],
    notes: ["1024-bit RSA key: accepted, but 2048 bits are advised"],
    keyBits: 1024,
  },
  {
    name: "bare PKCS#1 RSAPublicKey in p=",
    at: [split(`v=DKIM1; p=${pkcs1}`)],
    codes: [],
    keyBits: 2048,
  },
  {
    name: "RSA key matches --key",
    at: [split(`v=DKIM1; p=${rsa2048.spki}`)],
    codes: [],
    localKey: rsaPublic(rsa2048.pem),
  },
  {
    name: "RSA key does not match --key",
    at: [split(`v=DKIM1; p=${rsa2048.spki}`)],
    codes: ["key-mismatch"],
    localKey: rsaPublic(rsa1024.pem),
  },
  {
    name: "Ed25519 key matches --key",
    at: [[`v=DKIM1; k=ed25519; p=${edRaw}`]],
    codes: [],
    localKey: { type: "ed25519", ed25519: ed.publicKey },
  },
  {
    name: "Ed25519 key does not match --key",
    at: [[`v=DKIM1; k=ed25519; p=${edRaw}`]],
    codes: ["key-mismatch"],
    localKey: { type: "ed25519", ed25519: edOther.publicKey },
  },
  {
    name: "Ed25519 published, RSA --key",
    at: [[`v=DKIM1; k=ed25519; p=${edRaw}`]],
    codes: ["key-mismatch"],
    localKey: rsaPublic(rsa2048.pem),
  },
];

async function judge(c: Case): Promise<DkimCheckReport> {
  const resolver = memoryResolver({ [NAME]: c.at });
  const report = await checkDkimSelector({
    domain: DOMAIN,
    selector: "s",
    localKey: c.localKey,
    resolver,
    minBits: 1024,
  });
  assertEquals(resolver.queries, [NAME], c.name);
  return report;
}

for (const c of cases) {
  Deno.test(`checkDkimSelector() judges ${c.name}: ${c.codes.join(", ") || "no problem"}`, async () => {
    const report = await judge(c);
    assertEquals(
      report.problems.map((p) => p.code).sort(),
      [...c.codes].sort(),
      `${c.name}: ${JSON.stringify(report.problems)}`,
    );
    assertEquals(report.ok, c.codes.length === 0);
    for (const p of report.problems) {
      assert(p.code in DKIM_PROBLEM_CODES, p.code);
      assert(/^[\x20-\x7e]*$/.test(p.message), p.message);
    }
    for (const note of c.notes ?? []) {
      assert(report.notes.some((n) => n.includes(note)), `${note} in notes`);
    }
    if (c.notes?.length === 0) assertEquals(report.notes, []);
    if (c.keyType !== undefined) assertEquals(report.keyType, c.keyType);
    if (c.keyBits !== undefined) assertEquals(report.keyBits, c.keyBits);
    if (c.says) {
      assert(
        report.problems[0].message.includes(c.says),
        report.problems[0].message,
      );
    }
  });
}

Deno.test("checkDkimSelector() finds no problem exactly where the verifier's reading accepts the key", async () => {
  // Only single-record cases whose problem (if any) is about the key record.
  for (const c of cases) {
    if (!Array.isArray(c.at) || c.at.length !== 1 || c.localKey) continue;
    const text = c.at[0].join("");
    const report = await judge(c);
    const accepted = parseKeyRecord(text, 1024).ok;
    const problems = report.problems.filter((p) =>
      // Problems the verifier meets only with a signature (V) or ignores.
      !["selector-testing", "selector-sha1-only", "key-unusable"].includes(
        p.code,
      ) || p.message.includes("cannot be used")
    );
    assertEquals(problems.length === 0, accepted, `${c.name}`);
  }
});

Deno.test("checkDkimSelector() says 'could not check' for DNS trouble, never a problem", async () => {
  const report = await checkDkimSelector({
    domain: DOMAIN,
    selector: "s",
    resolver: memoryResolver({ [NAME]: "servfail" }),
    minBits: 1024,
  });
  assertEquals([report.ok, report.problems, report.couldNotCheck.length], [
    false,
    [],
    1,
  ]);
});

Deno.test("checkDkimSelector() raises the RSA floor with DK_MIN_KEY_BITS, never lowers it under 1024", async () => {
  const at: MemoryZone[string] = [split(`v=DKIM1; p=${rsa1024.spki}`)];
  for (
    const [minBits, codes] of [[2048, ["key-too-short"]], [512, []]] as const
  ) {
    const report = await checkDkimSelector({
      domain: DOMAIN,
      selector: "s",
      resolver: memoryResolver({ [NAME]: at }),
      minBits,
    });
    assertEquals(report.problems.map((p) => p.code), [...codes]);
  }
  const weak = await checkDkimSelector({
    domain: DOMAIN,
    selector: "s",
    resolver: memoryResolver({ [NAME]: [[`p=${rsa512.spki}`]] }),
    minBits: 512,
  });
  assertEquals(weak.problems.map((p) => p.code), ["key-too-short"]);
});

Deno.test("checkDkimSelector() escapes control characters from DNS in every message", async () => {
  const report = await checkDkimSelector({
    domain: DOMAIN,
    selector: "s",
    resolver: memoryResolver({
      [NAME]: [["v=\x1b[31m; p=AAAA"], ["v=DKIM1; k=\x1b]0;x\x07; p=AAAA"]],
    }),
    minBits: 1024,
  });
  assert(report.problems.length >= 2);
  for (const p of report.problems) {
    assert(/^[\x20-\x7e]*$/.test(p.message), JSON.stringify(p.message));
  }
});
