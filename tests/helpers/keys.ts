/**
 * Fresh RSA keys for the interop tests, made at test time with `openssl
 * genrsa` (PEM PKCS#1, what dknewkey wrote, or PKCS#8), and the public half
 * as the base64 SubjectPublicKeyInfo a selector record's `p=` carries
 * (`domainkeys.md` 1.8, 5.1).
 *
 * @module
 */

import { run } from "./mail_dkim.ts";

/** A private key file and its public half. */
export interface RsaKey {
  bits: number;
  /** Path of the PEM private key file. */
  file: string;
  /** Base64 DER SubjectPublicKeyInfo (`MIGf…`, `MIIB…`). */
  spki: string;
}

/**
 * Makes an RSA key of `bits` bits in `dir` as `name` (the file name is the
 * selector by dk's default). PKCS#1 unless `pkcs8` is set.
 */
export async function generateRsaKey(
  dir: string,
  name: string,
  bits: number,
  pkcs8 = false,
): Promise<RsaKey> {
  const file = `${dir}/${name}`;
  const args = ["genrsa", ...(pkcs8 ? [] : ["-traditional"]), "-out", file];
  const made = await run("openssl", [...args, String(bits)]);
  if (made.code !== 0) {
    throw new Error(
      `Cannot make a ${bits}-bit key with openssl: ${made.stderrText}`,
    );
  }
  return { bits, file, spki: await publicKeyOf(file) };
}

/** The base64 SubjectPublicKeyInfo of a private key file, via `openssl rsa -pubout`. */
export async function publicKeyOf(file: string): Promise<string> {
  const out = await run("openssl", ["rsa", "-in", file, "-pubout"]);
  if (out.code !== 0) {
    throw new Error(`Cannot read public key of "${file}": ${out.stderrText}`);
  }
  return out.stdoutText.split("\n").filter((l) => l && !l.startsWith("-----"))
    .join("");
}

/** A selector record value: `k=rsa; p=SPKI`, with optional tags before `p=`. */
export function keyRecord(spki: string, extra = "k=rsa"): string {
  return `${extra}${extra ? "; " : ""}p=${spki}`;
}

/** The sending domain of the interop messages. */
export const DOMAIN = "example.test";
/** A second served domain (From/d= mismatch cases). */
export const OTHER_DOMAIN = "other.test";
/** A domain whose queries fail (SERVFAIL or timeout): the temporary F. */
export const BROKEN_DOMAIN = "broken.test";

/** The keys of one interop run and the DNS data that publishes them. */
export interface KeyWorld {
  dir: string;
  k1024: RsaKey;
  k2048: RsaKey;
  /** A 1024-bit key stored as PKCS#8 (`BEGIN PRIVATE KEY`). */
  k1024pkcs8: RsaKey;
  /** A key that is published nowhere under its own selector ("wrong key"). */
  other: RsaKey;
  /** 512 bits: too short for dk (`domainkeys.md` 1.8). */
  k512: RsaKey;
  /** TXT records for dnsmasq: selector name (without the domain) → records. */
  records: Map<string, string[][]>;
  /** Selector names that exist without TXT (NODATA). */
  nodata: string[];
  /** Removes the key files. */
  cleanup(): Promise<void>;
}

/**
 * Makes the keys of an interop run and the selector records under
 * `DOMAIN` (and `OTHER_DOMAIN`):
 *
 * | selector | record |
 * |---|---|
 * | `s1024` | `k=rsa; p=` 1024-bit key, one string |
 * | `s2048` | 2048-bit key, split into strings of 255 octets |
 * | `s2048t` | 2048-bit key with `t=y`, split into strings of 127 octets (as tinydns-data does) |
 * | `pkcs8` | the PKCS#8 key |
 * | `wrong` | `other`'s public key (sign with `k1024` → B) |
 * | `revoked` | `k=rsa; p=` (J) |
 * | `badb64` | `p=` not base64 (E) |
 * | `notspki` | `p=` base64 but not a SubjectPublicKeyInfo (E) |
 * | `kfoo` | `k=foo` (E) |
 * | `upper` | `K=rsa` — tag names are one lowercase letter (E) |
 * | `duptag` | `k=` twice (E) |
 * | `short` | the 512-bit key (E, "key too short") |
 * | `gbob` | `g=bob` (L unless the local part is bob) |
 * | `gwild` | `g=bo*` (exact match only: L even for bob) |
 * | `gempty` | `g=` (any local part) |
 * | `spf` | an SPF TXT record and the 1024-bit key record (A) |
 * | `several` | `other`'s key and the 1024-bit key, two records (A) |
 * | `severalbad` | `other`'s key and a revoked record (B) |
 * | `nop` | `k=rsa; t=y`, no `p=` (D) |
 * | `nodata` | exists without TXT (D) |
 * | `nokey` | nothing: NXDOMAIN (D) |
 */
export async function makeKeyWorld(): Promise<KeyWorld> {
  const dir = await Deno.makeTempDir({ prefix: "dk-keys-" });
  const [k1024, k2048, k1024pkcs8, other, k512] = await Promise.all([
    generateRsaKey(dir, "s1024", 1024),
    generateRsaKey(dir, "s2048", 2048),
    generateRsaKey(dir, "pkcs8", 1024, true),
    generateRsaKey(dir, "other", 1024),
    generateRsaKey(dir, "short", 512),
  ]);
  const split = (value: string, size = 255): string[] => {
    const out: string[] = [];
    for (let i = 0; i < value.length; i += size) {
      out.push(value.slice(i, i + size));
    }
    return out;
  };
  const one = (value: string): string[][] => [split(value)];
  const records = new Map<string, string[][]>([
    ["s1024", one(keyRecord(k1024.spki))],
    ["s2048", [split(keyRecord(k2048.spki), 255)]],
    ["s2048t", [split(keyRecord(k2048.spki, "k=rsa; t=y"), 127)]],
    ["pkcs8", one(keyRecord(k1024pkcs8.spki))],
    ["wrong", one(keyRecord(other.spki))],
    ["revoked", [["k=rsa; p="]]],
    ["badb64", one(`k=rsa; p=MIGf!!not*base64${k1024.spki.slice(20, 60)}`)],
    ["notspki", [["k=rsa; p=aGVsbG8gd29ybGQsIHRoaXMgaXMgbm90IGEga2V5"]]],
    ["kfoo", one(keyRecord(k1024.spki, "k=foo"))],
    ["upper", one(keyRecord(k1024.spki, "K=rsa"))],
    ["duptag", one(keyRecord(k1024.spki, "k=rsa; k=rsa"))],
    ["short", one(keyRecord(k512.spki))],
    ["gbob", one(keyRecord(k1024.spki, "k=rsa; g=bob"))],
    ["gwild", one(keyRecord(k1024.spki, "k=rsa; g=bo*"))],
    ["gempty", one(keyRecord(k1024.spki, "k=rsa; g="))],
    ["spf", [["v=spf1 -all"], ...one(keyRecord(k1024.spki))]],
    ["several", [...one(keyRecord(other.spki)), ...one(keyRecord(k1024.spki))]],
    ["severalbad", [...one(keyRecord(other.spki)), ["k=rsa; p="]]],
    ["nop", [["k=rsa; t=y"]]],
  ]);
  return {
    dir,
    k1024,
    k2048,
    k1024pkcs8,
    other,
    k512,
    records,
    nodata: ["nodata"],
    cleanup: () => Deno.remove(dir, { recursive: true }),
  };
}

/** The dnsmasq zone data of a key world (see `tests/helpers/dnsmasq.ts`). */
export function worldZone(world: KeyWorld) {
  const txt: { name: string; strings: string[] }[] = [];
  for (const domain of [DOMAIN, OTHER_DOMAIN]) {
    for (const [selector, recs] of world.records) {
      for (const strings of recs) {
        txt.push({ name: `${selector}._domainkey.${domain}`, strings });
      }
    }
  }
  return {
    zones: [DOMAIN, OTHER_DOMAIN],
    txt,
    nodata: [DOMAIN, OTHER_DOMAIN].flatMap((d) =>
      world.nodata.map((s) => `${s}._domainkey.${d}`)
    ),
    servfail: [BROKEN_DOMAIN],
  };
}
