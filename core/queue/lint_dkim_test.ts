import {
  assertEquals,
  assertMatch,
  assertStrictEquals,
} from "../../tests/helpers/assert.ts";
import type { Finding } from "../../rules/finding.ts";
import { parseRules, type RuleFile } from "../../rules/parse.ts";
import type { PathFacts } from "./lint.ts";
import { lintDkim, readsDkimKeys } from "./lint_dkim.ts";
import { dir, fakeHost, file, pem } from "./_lint_testing.ts";

const CONTROL = "/var/qmail/control";
const KEYS = `${CONTROL}/domainkeys`;

const FS: Record<string, PathFacts> = {
  "/var": dir(),
  "/var/qmail": dir(),
  [CONTROL]: dir(),
  [`${CONTROL}/rcpthosts`]: file(0o644, 0),
  [KEYS]: dir(),
  [`${KEYS}/example.com`]: dir(),
  [`${KEYS}/example.com/default`]: file(),
  [`${KEYS}/example.com/rsa2`]: file(),
  [`${KEYS}/example.com/ed`]: file(),
};
const TEXTS = {
  [`${KEYS}/example.com/default`]: pem("rsa1024"),
  [`${KEYS}/example.com/rsa2`]: pem("rsa1024"),
  [`${KEYS}/example.com/ed`]: pem("ed25519"),
};

function rules(text: string): RuleFile {
  const parsed = parseRules(new TextEncoder().encode(text));
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.value;
}

function lint(
  text: string,
  fs: Record<string, PathFacts> = FS,
  texts: Record<string, string> = TEXTS,
): Finding[] {
  return lintDkim(rules(text), fakeHost(fs, texts), CONTROL);
}

function codes(text: string, fs = FS, texts = TEXTS): [number, string][] {
  return lint(text, fs, texts).map((f) => [f.line, f.code]);
}

const QUEUE = 'QMAILQUEUE="/var/qmail/bin/qmail-dkim"';

Deno.test("lintDkim() finds nothing in a qmail-dkim tcp.smtp done right", () => {
  assertEquals(
    codes(
      `127.:allow,RELAYCLIENT="",DKIMSIGN="domainkeys/%/default",DKIMSIGNEXTRA="domainkeys/%/ed",DKIMSIGNOPTIONS="-c r -q",${QUEUE}\n` +
        `10.:allow,RELAYCLIENT="",${QUEUE}\n` +
        `:allow,DKIMVERIFY="FGHIKLMNORTUVW",DKVERIFY="DEGIJKfh",${QUEUE}\n`,
    ),
    [],
  );
});

Deno.test("lintDkim() ignores rules without DKIM and deny rules", () => {
  assertEquals(
    codes('127.:allow,RELAYCLIENT="",DKSIGN="/nope"\n1.:deny,DKIMSIGN="/x"\n'),
    [],
  );
});

Deno.test("lintDkim() reports DKIMSIGN without RELAYCLIENT or AUTHINFO", () => {
  assertEquals(codes(':allow,DKIMSIGN="domainkeys/%/default"\n'), [
    [1, "dkimsign-without-relay"],
  ]);
  assertEquals(
    codes(':allow,AUTHINFO="",DKIMSIGN="domainkeys/%/default"\n'),
    [],
  );
  assertEquals(codes(':allow,DKIMSIGN=""\n'), []);
});

Deno.test("lintDkim() checks DKIMSIGN, DKIMKEY and DKIMSIGNEXTRA key paths", () => {
  assertEquals(
    codes(
      '1.:allow,RELAYCLIENT="",DKIMSIGN="domainkeys/x/y"\n' +
        '2.:allow,RELAYCLIENT="",DKIMKEY="/keys/%/k"\n' +
        '3.:allow,RELAYCLIENT="",DKIMSIGN="domainkeys/%/default",DKIMSIGNEXTRA="domainkeys/%/none"\n',
    ),
    [[1, "dkimsign-missing"], [2, "dkimsign-missing"], [3, "dkimsign-missing"]],
  );
  const found = lint('1.:allow,RELAYCLIENT="",DKIMKEY="domainkeys/x/y"\n');
  assertMatch(
    found[0].message,
    /^the DKIMKEY key file "\/var\/qmail\/control\/domainkeys\/x\/y"/,
  );
});

Deno.test("lintDkim() does not check DKIMKEY when DKIMSIGN is set (it is never read)", () => {
  assertEquals(
    codes(
      '1.:allow,RELAYCLIENT="",DKIMSIGN="domainkeys/%/default",DKIMKEY="/nope"\n',
    ),
    [],
  );
});

Deno.test("lintDkim() checks the default key of relay mail under qmail-dkim unless dkimkeys has lines", () => {
  const fs = { ...FS };
  delete fs[`${KEYS}/example.com/default`];
  const found = lint(`1.:allow,RELAYCLIENT="",${QUEUE}\n`, fs);
  assertEquals(found.map((f) => f.code), ["dkimsign-missing"]);
  assertMatch(
    found[0].message,
    /^no domain has a key file "\/var\/qmail\/control\/domainkeys\/%\/default"/,
  );
  assertEquals(codes('1.:allow,RELAYCLIENT=""\n', fs), []);
  assertEquals(
    codes(`1.:allow,RELAYCLIENT="",DKIMVERIFY="",${QUEUE}\n`, fs),
    [],
  );
  const withKeys = { ...fs, [`${CONTROL}/dkimkeys`]: file(0o644, 0) };
  const texts = { ...TEXTS, [`${CONTROL}/dkimkeys`]: "*:domainkeys/%/rsa2\n" };
  assertEquals(
    codes(`1.:allow,RELAYCLIENT="",${QUEUE}\n`, withKeys, texts),
    [],
  );
  assertEquals(
    codes(`1.:allow,RELAYCLIENT="",NODKIMKEYS="",${QUEUE}\n`, withKeys, texts),
    [[1, "dkimsign-missing"]],
  );
});

Deno.test("lintDkim() reports two DKIM keys of one type on a rule", () => {
  assertEquals(
    codes(
      '1.:allow,RELAYCLIENT="",DKIMSIGN="domainkeys/%/default",DKIMSIGNEXTRA="domainkeys/%/rsa2"\n',
    ),
    [[1, "dkim-keys-same-type"]],
  );
});

Deno.test("lintDkim() reports weak and unusable keys", () => {
  const texts = {
    ...TEXTS,
    [`${KEYS}/example.com/default`]: pem("rsa512"),
    [`${KEYS}/example.com/ed`]: "garbage",
  };
  assertEquals(
    codes(
      '1.:allow,RELAYCLIENT="",DKIMSIGN="domainkeys/%/default",DKIMSIGNEXTRA="domainkeys/%/ed"\n',
      FS,
      texts,
    ),
    [[1, "key-weak"], [1, "key-unusable"]],
  );
});

Deno.test("lintDkim() reports DKIMVERIFY letters, P and J, A, and a copy of DKVERIFY", () => {
  assertEquals(codes(':allow,DKIMVERIFY="IUz1"\n'), [[
    1,
    "dkimverify-letters",
  ]]);
  assertEquals(codes(':allow,DKIMVERIFY="IP"\n'), [[1, "dkimverify-never"]]);
  assertEquals(codes(':allow,DKIMVERIFY="Ij"\n'), [[1, "dkimverify-never"]]);
  assertEquals(codes(':allow,DKIMVERIFY="IpJP"\n'), [
    [1, "dkimverify-never"],
    [1, "dkimverify-never"],
  ]);
  assertEquals(codes(':allow,DKIMVERIFY="aI"\n'), [[1, "dkimverify-good"]]);
  assertEquals(codes(':allow,DKIMVERIFY="DI",DKVERIFY="DI"\n'), [
    [1, "dkimverify-copied"],
  ]);
  assertEquals(codes(':allow,DKIMVERIFY="",DKVERIFY=""\n'), []);
  assertEquals(codes(':allow,DKIMVERIFY="Y",DKVERIFY="B"\n'), []);
});

Deno.test("lintDkim() reports the options of DKIMSIGNOPTIONS, DKIMSIGNOPTIONSEXTRA, DKIMIDENTITY, DKIMEXPIRE, EXCLUDE_DKIMSIGN", () => {
  assertEquals(
    codes(
      '1.:allow,RELAYCLIENT="",DKIMSIGN="domainkeys/%/default",DKIMSIGNEXTRA="domainkeys/%/ed",DKIMSIGNOPTIONS="-z 4",DKIMSIGNOPTIONSEXTRA="-l",DKIMIDENTITY="x",DKIMEXPIRE="-1",EXCLUDE_DKIMSIGN="from"\n',
    ),
    [
      [1, "dkim-option-ignored"],
      [1, "dkim-option-ignored"],
      [1, "dkimidentity-syntax"],
      [1, "dkim-option-bad"],
      [1, "dkim-option-ignored"],
    ],
  );
});

Deno.test("lintDkim() reports qmail-dkim's ignored variables; generic names only on DKIM rules", () => {
  assertEquals(
    codes(':allow,SIGNATUREDOMAINS="a",QREGEX="x",DEATH="5",VERBOSE=""\n'),
    [[1, "ignored-variable"], [1, "ignored-variable"]],
  );
  const found = lint(`:allow,DEATH="5",VERBOSE="",${QUEUE}\n`);
  assertEquals(found.map((f) => f.code), [
    "ignored-variable",
    "ignored-variable",
  ]);
  assertMatch(found[0].message, /^VERBOSE is read by qmail-dkim, not by dk/);
});

Deno.test("lintDkim() reports DK_DKIM_SHA1 and SELECTOR_DATA", () => {
  const found = lint(':allow,DK_DKIM_SHA1="accept",SELECTOR_DATA="k=rsa"\n');
  assertEquals(found.map((f) => f.code), ["dkim-sha1", "selector-data"]);
  assertMatch(found[0].message, /lets rsa-sha1 signatures pass/);
  assertMatch(
    lint(':allow,DK_DKIM_SHA1="yes"\n')[0].message,
    /means nothing to queue mode/,
  );
});

Deno.test("lintDkim() reports DKQUEUE and DKIMQUEUE apart, and a DKIMQUEUE that is cat", () => {
  assertEquals(
    codes(
      ':allow,DKQUEUE="/var/qmail/bin/qmail-dkim",DKIMQUEUE="/var/qmail/bin/qmail-queue"\n',
    ),
    [[1, "queue-mismatch"]],
  );
  assertEquals(
    codes(':allow,DKQUEUE="/bin/q",DKIMQUEUE="/bin/q"\n'),
    [],
  );
  assertEquals(codes(':allow,DKIMQUEUE="/bin/cat"\n'), [[1, "queue-filter"]]);
});

Deno.test("lintDkim() lints dkimkeys after the rules, with its file, only when a DKIM rule may read it", () => {
  const fs = { ...FS, [`${CONTROL}/dkimkeys`]: file(0o644, 0) };
  const texts = { ...TEXTS, [`${CONTROL}/dkimkeys`]: "nocolon\n" };
  const found = lintDkim(
    rules(`:allow,DKIMVERIFY="aI"\n`),
    fakeHost(fs, texts),
    CONTROL,
  );
  assertEquals(found.map((f) => [f.file, f.line, f.code]), [
    [undefined, 1, "dkimverify-good"],
    [`${CONTROL}/dkimkeys`, 1, "dkimkeys-syntax"],
  ]);
  assertEquals(codes(':allow,DKVERIFY="D"\n', fs, texts), []);
  assertEquals(codes(':allow,DKIMVERIFY="",NODKIMKEYS=""\n', fs, texts), []);
});

Deno.test("readsDkimKeys() is true for an allow rule that is DKIM's and reads dkimkeys", () => {
  assertStrictEquals(readsDkimKeys(rules(':allow,DKIMVERIFY=""\n')), true);
  assertStrictEquals(readsDkimKeys(rules(`:allow,${QUEUE}\n`)), true);
  assertStrictEquals(readsDkimKeys(rules(':allow,DKVERIFY=""\n')), false);
  assertStrictEquals(readsDkimKeys(rules('1.:deny,DKIMVERIFY=""\n')), false);
  assertStrictEquals(
    readsDkimKeys(rules(':allow,DKIMVERIFY="",NODKIMKEYS="1"\n')),
    false,
  );
});
