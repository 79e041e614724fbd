import {
  assertEquals,
  assertMatch,
  assertStrictEquals,
} from "../../tests/helpers/assert.ts";
import type { AddFinding } from "./lint.ts";
import {
  dkimKeyFindings,
  dkimNaming,
  type LintedKey,
  sameTypeFinding,
} from "./lint_dkim_key.ts";
import { dir, fakeHost, file, pem } from "./_lint_testing.ts";

const CONTROL = "/var/qmail/control";
const KEYS = `${CONTROL}/domainkeys`;

const FS = {
  "/var": dir(),
  "/var/qmail": dir(),
  [CONTROL]: dir(),
  [KEYS]: dir(),
  [`${KEYS}/example.com`]: dir(),
  [`${KEYS}/example.com/default`]: file(),
  [`${KEYS}/example.net`]: dir(),
  [`${KEYS}/example.net/default`]: file(),
  "/etc": dir(),
  "/etc/ed": file(),
};

function lint(
  keyPath: string,
  texts: Record<string, string>,
  fs = FS,
): { keys: LintedKey[]; found: [string, string][] } {
  const found: [string, string][] = [];
  const keys = dkimKeyFindings(
    keyPath,
    CONTROL,
    fakeHost(fs, texts),
    (code, message) => found.push([code, message]),
    dkimNaming("DKIMSIGN"),
  );
  return { keys, found };
}

Deno.test("dkimKeyFindings() reads a path relative to CONTROLDIR and gives each key's type", () => {
  const { keys, found } = lint("domainkeys/%/default", {
    [`${KEYS}/example.com/default`]: pem("rsa1024"),
    [`${KEYS}/example.net/default`]: pem("ed25519"),
  });
  assertEquals(found, []);
  assertEquals(keys, [
    { domain: "example.com", type: "rsa" },
    { domain: "example.net", type: "ed25519" },
  ]);
  const absolute = lint("/etc/ed", { "/etc/ed": pem("ed25519") });
  assertEquals(absolute.keys, [{ domain: null, type: "ed25519" }]);
});

Deno.test("dkimKeyFindings() reports a missing %-less key as dkimsign-missing, naming the variable", () => {
  const { keys, found } = lint("domainkeys/example.org/default", {});
  assertEquals(keys, []);
  assertEquals(found.map(([code]) => code), ["dkimsign-missing"]);
  assertMatch(
    found[0][1],
    /^the DKIMSIGN key file "\/var\/qmail\/control\/domainkeys\/example\.org\/default" does not exist, .*dk keygen --scheme dkim /,
  );
});

Deno.test("dkimKeyFindings() reports RSA keys under 1024 bits as key-weak", () => {
  const { keys, found } = lint("/etc/ed", { "/etc/ed": pem("rsa512") });
  assertEquals(found.map(([code]) => code), ["key-weak"]);
  assertMatch(found[0][1], /is a 512-bit RSA key/);
  assertEquals(keys, [{ domain: null, type: "rsa" }]);
});

Deno.test("dkimKeyFindings() reports a file that is no private key as key-unusable", () => {
  const publicOnly =
    "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA\n-----END PUBLIC KEY-----\n";
  const { keys, found } = lint("/etc/ed", { "/etc/ed": publicOnly });
  assertEquals(keys, []);
  assertEquals(found.map(([code]) => code), ["key-unusable"]);
  assertMatch(found[0][1], /^the key file "\/etc\/ed" cannot sign: /);
});

Deno.test("dkimKeyFindings() skips the type checks of a key lint cannot read", () => {
  const { keys, found } = lint("/etc/ed", {});
  assertEquals(keys, []);
  assertEquals(found, []);
});

Deno.test("dkimKeyFindings() checks permissions and the selector as for DKSIGN", () => {
  const fs = { ...FS, "/etc/my_key": file(0o644) };
  const { found } = lint("/etc/my_key", { "/etc/my_key": pem("ed25519") }, fs);
  assertEquals(found.map(([code]) => code), [
    "key-world-readable",
    "selector-name",
  ]);
  assertMatch(found[1][1], /the last part of DKIMSIGN, "my_key"/);
});

Deno.test("dkimNaming() names a variable's key file, or another source's", () => {
  assertStrictEquals(dkimNaming("DKIMKEY").keyFile, "the DKIMKEY key file");
  assertStrictEquals(
    dkimNaming("the default DKIM key path").keyFile,
    "the key file of the default DKIM key path",
  );
  assertStrictEquals(dkimNaming("DKIMKEY").everyPercent, true);
  assertStrictEquals(dkimNaming("DKIMKEY").missingCode, "dkimsign-missing");
});

function sameType(main: LintedKey[], extra: LintedKey[]): string[] {
  const found: string[] = [];
  const add: AddFinding = (code, message) => found.push(`${code}: ${message}`);
  sameTypeFinding("DKIMSIGN", main, extra, add);
  return found;
}

Deno.test("sameTypeFinding() reports two keys of one type for a domain, once", () => {
  const rsa = (domain: string | null): LintedKey => ({ domain, type: "rsa" });
  const ed = (domain: string | null): LintedKey => ({
    domain,
    type: "ed25519",
  });
  assertEquals(sameType([rsa(null)], [ed(null)]), []);
  assertEquals(
    sameType([rsa("a.example"), ed("b.example")], [
      ed("a.example"),
      rsa("b.example"),
    ]),
    [],
  );
  const found = sameType([rsa("a.example"), rsa("b.example")], [
    rsa("a.example"),
    rsa("b.example"),
  ]);
  assertEquals(found.length, 1);
  assertMatch(
    found[0],
    /^dkim-keys-same-type: DKIMSIGN and DKIMSIGNEXTRA both give RSA keys \(for a\.example\)/,
  );
  assertEquals(sameType([ed(null)], [ed("b.example")]).length, 1);
  assertEquals(sameType([], [ed("b.example")]), []);
});
