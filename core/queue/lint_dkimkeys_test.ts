import {
  assertEquals,
  assertMatch,
  assertStrictEquals,
} from "../../tests/helpers/assert.ts";
import type { PathFacts } from "./lint.ts";
import { lintDkimKeysFile } from "./lint_dkimkeys.ts";
import { dir, fakeHost, file, pem } from "./_lint_testing.ts";

const CONTROL = "/var/qmail/control";
const DKIMKEYS = `${CONTROL}/dkimkeys`;
const KEYS = `${CONTROL}/domainkeys`;

const FS: Record<string, PathFacts> = {
  "/var": dir(),
  "/var/qmail": dir(),
  [CONTROL]: dir(),
  [DKIMKEYS]: file(0o644, 0),
  [`${CONTROL}/rcpthosts`]: file(0o644, 0),
  [KEYS]: dir(),
  [`${KEYS}/example.com`]: dir(),
  [`${KEYS}/example.com/rsa`]: file(),
  [`${KEYS}/example.com/ed`]: file(),
};

function lint(
  text: string,
  fs: Record<string, PathFacts> = FS,
  texts: Record<string, string> = {},
) {
  return lintDkimKeysFile(
    fakeHost(fs, {
      [DKIMKEYS]: text,
      [`${KEYS}/example.com/rsa`]: pem("rsa1024"),
      [`${KEYS}/example.com/ed`]: pem("ed25519"),
      ...texts,
    }),
    CONTROL,
  );
}

const summary = (findings: { line: number; code: string }[]) =>
  findings.map((f) => [f.line, f.code]);

Deno.test("lintDkimKeysFile() finds nothing in a good file and names the file in every finding", () => {
  const good = lint(
    "# keys\nexample.com:domainkeys/%/rsa:DKIMSIGNEXTRA=domainkeys/%/ed\n*:domainkeys/%/rsa\n",
  );
  assertEquals(good.findings, []);
  assertStrictEquals(good.keys?.lines.length, 2);
  const bad = lint("nocolon\n");
  assertEquals(bad.findings.map((f) => f.file), [DKIMKEYS]);
});

Deno.test("lintDkimKeysFile() gives nothing for a missing file", () => {
  const fs = { ...FS };
  delete fs[DKIMKEYS];
  assertEquals(lint("", fs), { findings: [], keys: null });
});

Deno.test("lintDkimKeysFile() reports the file's own problems by line", () => {
  const { findings } = lint(
    "nocolon\n*.example.com:domainkeys/%/rsa\nexample.com:domainkeys/%/rsa:QREGEX=1\n",
  );
  assertEquals(summary(findings), [
    [1, "dkimkeys-syntax"],
    [2, "dkimkeys-pattern"],
    [3, "dkimkeys-edit"],
  ]);
});

Deno.test("lintDkimKeysFile() checks each line's key path relative to CONTROLDIR", () => {
  const { findings } = lint(
    "example.com:domainkeys/example.com/none\nexample.net:/keys/%/x\n",
  );
  assertEquals(summary(findings), [
    [1, "dkimsign-missing"],
    [2, "dkimsign-missing"],
  ]);
  assertMatch(
    findings[0].message,
    /^the key file "\/var\/qmail\/control\/domainkeys\/example\.com\/none" does not exist, so every message from this line's domain fails temporarily/,
  );
  assertMatch(findings[1].message, /\(the key path before the %\)/);
});

Deno.test("lintDkimKeysFile() checks the edits as the variables they set", () => {
  const { findings } = lint(
    "example.com:domainkeys/%/rsa:DKIMSIGNOPTIONS=-c x,DKIMIDENTITY=nobody,DKIMEXPIRE=soon,DKIMSIGNOPTIONSEXTRA=-z 2,DKIMSIGNEXTRA=domainkeys/%/ed\n",
  );
  assertEquals(summary(findings), [
    [1, "dkim-option-bad"],
    [1, "dkim-option-ignored"],
    [1, "dkimidentity-syntax"],
    [1, "dkim-option-bad"],
  ]);
  assertMatch(
    findings[1].message,
    /^DKIMSIGNOPTIONSEXTRA has -z 2 .* is Ed25519/,
  );
});

Deno.test("lintDkimKeysFile() reports a line's key and DKIMSIGNEXTRA of one type", () => {
  const { findings } = lint(
    "example.com:domainkeys/%/rsa:DKIMSIGNEXTRA=domainkeys/example.com/rsa\n",
  );
  assertEquals(summary(findings), [[1, "dkim-keys-same-type"]]);
});

Deno.test("lintDkimKeysFile() reports the first * line when there is no rcpthosts or morercpthosts.cdb", () => {
  const text =
    "example.com:domainkeys/%/rsa\n*:domainkeys/%/rsa\n*:domainkeys/%/ed\n";
  assertEquals(lint(text).findings, []);
  const none = { ...FS };
  delete none[`${CONTROL}/rcpthosts`];
  const { findings } = lint(text, none);
  assertEquals(summary(findings), [[2, "dkimkeys-star-never"]]);
  assertMatch(
    findings[0].message,
    /has neither rcpthosts nor morercpthosts\.cdb/,
  );
  const cdbOnly = { ...none, [`${CONTROL}/morercpthosts.cdb`]: file(0o644, 0) };
  assertEquals(lint(text, cdbOnly).findings, []);
});

Deno.test("lintDkimKeysFile() reports a file lint or the qmail-smtpd user cannot read, on line 0", () => {
  const closed = { ...FS, [DKIMKEYS]: file(0o600, 0) };
  const { findings } = lint("example.com:domainkeys/%/rsa\n", closed);
  assertEquals(summary(findings), [[0, "dkimkeys-unreadable"]]);
  assertMatch(
    findings[0].message,
    /^qmaild, the user qmail-smtpd runs as, cannot read it/,
  );
  const host = fakeHost(FS, {});
  const unreadable = lintDkimKeysFile(host, CONTROL);
  assertEquals(summary(unreadable.findings), [[0, "dkimkeys-unreadable"]]);
  assertMatch(
    unreadable.findings[0].message,
    /^cannot be read \(permission denied\)/,
  );
  assertStrictEquals(unreadable.keys, null);
});
