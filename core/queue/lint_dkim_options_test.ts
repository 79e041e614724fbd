import { assertEquals, assertMatch } from "../../tests/helpers/assert.ts";
import type { AddFinding } from "./lint.ts";
import type { LintedKey } from "./lint_dkim_key.ts";
import {
  excludeFinding,
  expireFinding,
  identityFinding,
  signOptionFindings,
} from "./lint_dkim_options.ts";

function collect(fn: (add: AddFinding) => void): [string, string][] {
  const found: [string, string][] = [];
  fn((code, message) => found.push([code, message]));
  return found;
}

const codes = (fn: (add: AddFinding) => void) =>
  collect(fn).map(([code]) => code);

const RSA: LintedKey[] = [{ domain: null, type: "rsa" }];
const ED: LintedKey[] = [{ domain: "example.com", type: "ed25519" }];

Deno.test("signOptionFindings() finds nothing in good options", () => {
  assertEquals(
    codes((add) =>
      signOptionFindings(
        "DKIMSIGNOPTIONS",
        "-c r -q -t -b 1 -x 600 -i @example.com -z 2",
        RSA,
        add,
      )
    ),
    [],
  );
  assertEquals(
    codes((add) => signOptionFindings("DKIMSIGNOPTIONS", "", [], add)),
    [],
  );
});

Deno.test("signOptionFindings() reports options that would be a configuration error as dkim-option-bad", () => {
  for (const bad of ["-c x", "-y", "-x", "-x 0", "-z 9", "relaxed"]) {
    const found = collect((add) =>
      signOptionFindings("DKIMSIGNOPTIONSEXTRA", bad, [], add)
    );
    assertEquals(found.map(([code]) => code), ["dkim-option-bad"], bad);
    assertMatch(
      found[0][1],
      /^DKIMSIGNOPTIONSEXTRA ".*" cannot be used \([a-z]/,
    );
  }
});

Deno.test("signOptionFindings() reports -l and -h as ignored, not -t or -b", () => {
  const found = collect((add) =>
    signOptionFindings("DKIMSIGNOPTIONS", "-lh -t -b 3", [], add)
  );
  assertEquals(found.map(([code]) => code), [
    "dkim-option-ignored",
    "dkim-option-ignored",
  ]);
  assertMatch(found[0][1], /has -l, which dk ignores: dk never writes l=/);
  assertMatch(found[1][1], /has -h, which dk ignores: dk never writes z=/);
});

Deno.test("signOptionFindings() reports -z asking for rsa-sha1, whatever the key", () => {
  for (const z of ["1", "3"]) {
    const found = collect((add) =>
      signOptionFindings("DKIMSIGNOPTIONS", `-z ${z}`, [], add)
    );
    assertEquals(found.map(([code]) => code), ["dkim-option-ignored"]);
    assertMatch(found[0][1], /never signs with rsa-sha1/);
  }
});

Deno.test("signOptionFindings() reports a -z that contradicts the key's type, and only then", () => {
  assertEquals(
    codes((add) => signOptionFindings("DKIMSIGNOPTIONS", "-z 2", RSA, add)),
    [],
  );
  assertEquals(
    codes((add) => signOptionFindings("DKIMSIGNOPTIONS", "-z 4", ED, add)),
    [],
  );
  const wrong = collect((add) =>
    signOptionFindings("DKIMSIGNOPTIONS", "-z 2", ED, add)
  );
  assertEquals(wrong.map(([code]) => code), ["dkim-option-ignored"]);
  assertMatch(
    wrong[0][1],
    /-z 2 \(rsa-sha256\), but the key of example\.com is Ed25519/,
  );
  assertMatch(
    collect((add) =>
      signOptionFindings("DKIMSIGNOPTIONS", "-z4", RSA, add)
    )[0][1],
    /but the key is RSA/,
  );
});

Deno.test("signOptionFindings() reports a -i that is not [local]@domain", () => {
  const found = collect((add) =>
    signOptionFindings("DKIMSIGNOPTIONS", "-i postmaster", [], add)
  );
  assertEquals(found.map(([code]) => code), ["dkimidentity-syntax"]);
  assertMatch(
    found[0][1],
    /^the -i of DKIMSIGNOPTIONS, "postmaster", is not \[local\]@domain/,
  );
});

Deno.test("identityFinding() reports a DKIMIDENTITY that is not [local]@domain; empty is none", () => {
  assertEquals(codes((add) => identityFinding("@example.com", add)), []);
  assertEquals(codes((add) => identityFinding("", add)), []);
  assertEquals(codes((add) => identityFinding("me@exa mple.com", add)), [
    "dkimidentity-syntax",
  ]);
});

Deno.test("expireFinding() reports a DKIMEXPIRE that is not a positive decimal as dkim-option-bad", () => {
  assertEquals(codes((add) => expireFinding("604800", add)), []);
  assertEquals(codes((add) => expireFinding("", add)), []);
  assertEquals(codes((add) => expireFinding("7d", add)), ["dkim-option-bad"]);
  assertEquals(codes((add) => expireFinding("0", add)), ["dkim-option-bad"]);
});

Deno.test("excludeFinding() reports from in EXCLUDE_DKIMSIGN, in any case", () => {
  assertEquals(codes((add) => excludeFinding("received:x-mailer", add)), []);
  assertEquals(codes((add) => excludeFinding("received: From ", add)), [
    "dkim-option-ignored",
  ]);
});
