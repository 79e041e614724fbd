/**
 * The situations `dk dns check` must judge, as data: each fixture is one
 * domain (`NAME.example`) with its TXT records, names that exist without TXT,
 * the problem codes expected and the exit code. The same fixtures are served
 * by the memory resolver, a live dnsmasq, a BIND zone file and a tinydns
 * `data` file. Also: RSA test keys made with `node:crypto`, and renderers of
 * fixtures into those three server formats.
 *
 * @module
 */

import { generateKeyPairSync } from "node:crypto";
import type { TxtRecord } from "./dnsmasq.ts";

/** An RSA test key: private PEM (PKCS#1) and base64 SPKI. */
export interface TestKey {
  pem: string;
  spki: string;
  bits: number;
}

/** Makes an RSA key of `bits` with node:crypto. */
export function makeKey(bits: number): TestKey {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", {
    modulusLength: bits,
    publicKeyEncoding: { type: "spki", format: "der" },
    privateKeyEncoding: { type: "pkcs1", format: "pem" },
  });
  return {
    pem: privateKey as unknown as string,
    spki: Buffer.from(publicKey as unknown as Uint8Array).toString("base64"),
    bits,
  };
}

/** One situation. Names in `txt` and `exists` are relative to the domain ("" = the domain). */
export interface DnsFixture {
  name: string;
  domain: string;
  /** Selector to check (default "s"); null checks the policy only. */
  selector: string | null;
  txt: { name: string; strings: string[] }[];
  exists: string[];
  /** Give `--key` with the key published ("published") or another ("other"). */
  localKey?: "published" | "other";
  /** Expected problem codes, sorted. */
  codes: string[];
  exit: number;
}

/** Splits into 255-octet strings, as a correct BIND record holds the value. */
function split(value: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < value.length || i === 0; i += 255) {
    out.push(value.slice(i, i + 255));
  }
  return out;
}

/** The fixtures, built around the published 2048-bit key `good` and a 512-bit `weak`. */
export function dnsFixtures(good: TestKey, weak: TestKey): DnsFixture[] {
  const key = `k=rsa; p=${good.spki}`;
  const policy = { name: "_domainkey", strings: ["o=~"] };
  const selector = (strings: string[]) => ({ name: "s._domainkey", strings });
  const f = (
    name: string,
    txt: DnsFixture["txt"],
    codes: string[],
    more: Partial<DnsFixture> = {},
  ): DnsFixture => ({
    name,
    domain: `${name}.example`,
    selector: "s",
    txt,
    exists: [],
    codes: [...codes].sort(),
    exit: codes.length ? 1 : 0,
    ...more,
  });
  return [
    f("good", [policy, selector(split(key))], []),
    f("good-with-key", [policy, selector(split(key))], [], {
      localKey: "published",
    }),
    f("policy-only", [{ name: "_domainkey", strings: ["t=y; o=-"] }], [
      "policy-testing",
    ], { selector: null }),
    f("no-policy", [], ["policy-nxdomain"], { selector: null }),
    f("policy-no-txt", [selector(split(key))], ["policy-no-txt"]),
    f("no-selector", [policy], ["selector-nxdomain"]),
    f("selector-no-txt", [policy], ["selector-no-txt"], {
      exists: ["s._domainkey"],
    }),
    f("selector-spf-only", [policy, selector(["v=spf1 -all"])], [
      "selector-no-key",
    ]),
    f("several-keys", [
      policy,
      selector(split(key)),
      selector([`k=rsa; p=${weak.spki}`]),
    ], [
      "key-too-short",
      "selector-several",
    ]),
    f("several-policies", [
      policy,
      { name: "_domainkey", strings: ["o=-"] },
      selector(split(key)),
    ], [
      "policy-several",
    ]),
    f("cut-at-255", [policy, selector([key.slice(0, 255)])], ["selector-cut"]),
    f("quotes", [policy, selector([`"k=rsa; p=${weak.spki}"`])], [
      "selector-quotes",
    ]),
    f("backslash", [policy, selector([`k=rsa\\; p=${weak.spki}`])], [
      "selector-backslash",
    ]),
    f("bad-base64", [policy, selector(["k=rsa; p=MIGf!!notbase64"])], [
      "key-unparsable",
    ]),
    f("not-a-key", [policy, selector(["k=rsa; p=AAAA"])], ["key-unparsable"]),
    f("short-key", [policy, selector([`k=rsa; p=${weak.spki}`])], [
      "key-too-short",
    ]),
    f("revoked", [policy, selector(["k=rsa; p="])], ["key-revoked"]),
    f("key-type", [policy, selector(["k=dsa; p=AAAA"])], ["key-type"]),
    f("selector-testing", [policy, selector(split(`t=y; ${key}`))], [
      "selector-testing",
    ]),
    f("policy-testing", [
      { name: "_domainkey", strings: ["t=y; o=~"] },
      selector(split(key)),
    ], ["policy-testing"]),
    f("all-signed-no-key", [{ name: "_domainkey", strings: ["o=-"] }], [
      "policy-all-signed-no-key",
      "selector-nxdomain",
    ]),
    f("policy-syntax", [
      { name: "_domainkey", strings: ["o=+"] },
      selector(split(key)),
    ], ["policy-syntax"]),
    f("wrong-key", [policy, selector(split(key))], ["key-mismatch"], {
      localKey: "other",
    }),
  ];
}

function _fqdn(relative: string, domain: string): string {
  return relative === "" ? domain : `${relative}.${domain}`;
}

/** The fixtures as dnsmasq TXT records, zones and NODATA names. */
export function toDnsmasq(
  fixtures: DnsFixture[],
): { zones: string[]; txt: TxtRecord[]; nodata: string[] } {
  return {
    zones: fixtures.map((f) => f.domain),
    txt: fixtures.flatMap((f) =>
      f.txt.map((t) => ({ name: _fqdn(t.name, f.domain), strings: t.strings }))
    ),
    nodata: fixtures.flatMap((f) => f.exists.map((n) => _fqdn(n, f.domain))),
  };
}

function _bindString(s: string): string {
  return `"${s.replace(/["\\]/g, "\\$&")}"`;
}

/** One fixture as a BIND zone file (with SOA and NS, relative names). */
export function toBindZone(f: DnsFixture): string {
  const lines = [
    `$ORIGIN ${f.domain}.`,
    "$TTL 3600",
    "@ IN SOA ns hostmaster 1 3600 900 604800 300",
    "  IN NS ns",
    "ns IN A 192.0.2.1",
  ];
  for (const t of f.txt) {
    lines.push(
      `${t.name || "@"} IN TXT ${t.strings.map(_bindString).join(" ")}`,
    );
  }
  for (const n of f.exists) lines.push(`${n} IN A 192.0.2.2`);
  return lines.join("\n") + "\n";
}

function _octal(bytes: Uint8Array): string {
  let out = "";
  for (const b of bytes) {
    out += b === 0x3a || b === 0x5c || b < 0x21 || b > 0x7e
      ? "\\" + b.toString(8).padStart(3, "0")
      : String.fromCharCode(b);
  }
  return out;
}

/** All fixtures as one tinydns `data` file; TXT as generic lines so the strings stay exactly as given. */
export function toTinydnsData(fixtures: DnsFixture[]): string {
  const te = new TextEncoder();
  const lines: string[] = [];
  for (const f of fixtures) {
    lines.push(`.${f.domain}::ns.${f.domain}`);
    for (const t of f.txt) {
      const rdata = t.strings.flatMap((
        s,
      ) => [te.encode(s).length, ...te.encode(s)]);
      lines.push(
        `:${_fqdn(t.name, f.domain)}:16:${_octal(new Uint8Array(rdata))}`,
      );
    }
    for (const n of f.exists) lines.push(`+${_fqdn(n, f.domain)}:192.0.2.2`);
  }
  return lines.join("\n") + "\n";
}
