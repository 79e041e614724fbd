import {
  assertEquals,
  assertMatch,
  assertStrictEquals,
} from "../../tests/helpers/assert.ts";
import type { Account } from "../../rules/accounts.ts";
import {
  type AddFinding,
  DKSIGN_NAMING,
  isDkimRule,
  keyFileFindings,
  lintDomainKeys,
  type PathFacts,
  selectorFinding,
} from "./lint.ts";
import { parseRules } from "../../rules/parse.ts";
import { dir, fakeHost, file as key, QMAILD } from "./_lint_testing.ts";

const GOOD_FS = {
  "/var": dir(),
  "/var/qmail": dir(),
  "/var/qmail/control": dir(),
  "/var/qmail/control/domainkeys": dir(),
  "/var/qmail/control/domainkeys/example.com": dir(),
  "/var/qmail/control/domainkeys/example.com/private": key(),
  "/keys": dir(),
  "/keys/sel": key(),
};

const SIGN =
  'RELAYCLIENT="",DKSIGN="/var/qmail/control/domainkeys/%/private",QMAILQUEUE="/var/qmail/bin/qmail-dk"';
const VERIFY = 'DKVERIFY="DEGIJKfh",QMAILQUEUE="/var/qmail/bin/qmail-dk"';

function codes(
  text: string,
  files: Record<string, PathFacts> = GOOD_FS,
  user?: Account | null,
): [number, string][] {
  const parsed = parseRules(new TextEncoder().encode(text));
  if (!parsed.ok) throw new Error(parsed.error.message);
  return lintDomainKeys(
    parsed.value,
    fakeHost(files, {}, user === undefined ? QMAILD : user),
  ).map((f) => [f.line, f.code]);
}

Deno.test("lintDomainKeys() finds nothing in the toaster's tcp.smtp", () => {
  assertEquals(
    codes(
      `127.:allow,${SIGN}\n10.1.:allow,RELAYCLIENT="",DKSIGN="/keys/sel"\n:allow,${VERIFY}\n`,
    ),
    [],
  );
});

Deno.test("lintDomainKeys() reports a DKSIGN file that does not exist", () => {
  assertEquals(codes('127.:allow,RELAYCLIENT="",DKSIGN="/keys/nope"\n'), [[
    1,
    "dksign-missing",
  ]]);
});

Deno.test("lintDomainKeys() with % checks the key directory, then the domains' keys", () => {
  assertEquals(
    codes('127.:allow,RELAYCLIENT="",DKSIGN="/nowhere/%/private"\n'),
    [[1, "dksign-missing"]],
  );
  assertEquals(
    codes('127.:allow,RELAYCLIENT="",DKSIGN="/keys/%/private"\n'),
    [[1, "dksign-missing"]],
  );
});

Deno.test("lintDomainKeys() reports a key readable by everyone", () => {
  const fs = { ...GOOD_FS, "/keys/sel": key(0o644) };
  assertEquals(codes('127.:allow,RELAYCLIENT="",DKSIGN="/keys/sel"\n', fs), [
    [1, "key-world-readable"],
  ]);
});

Deno.test("lintDomainKeys() reports a key the qmail-smtpd user cannot read", () => {
  const fs = { ...GOOD_FS, "/keys/sel": key(0o600) };
  const found = codes('127.:allow,RELAYCLIENT="",DKSIGN="/keys/sel"\n', fs);
  assertEquals(found, [[1, "key-unreadable"]]);
  const closedDir = { ...GOOD_FS, "/keys": dir(0o700) };
  assertEquals(
    codes('127.:allow,RELAYCLIENT="",DKSIGN="/keys/sel"\n', closedDir),
    [[1, "key-unreadable"]],
  );
  assertEquals(
    codes('127.:allow,RELAYCLIENT="",DKSIGN="/keys/sel"\n', fs, null),
    [],
  );
});

Deno.test("lintDomainKeys() reports DKSIGN without RELAYCLIENT", () => {
  assertEquals(codes('127.:allow,DKSIGN="/keys/sel"\n'), [[
    1,
    "dksign-without-relay",
  ]]);
});

Deno.test("lintDomainKeys() reports RELAYCLIENT without DKSIGN", () => {
  assertEquals(codes('127.:allow,RELAYCLIENT="",DKVERIFY="DEGIJKfh"\n'), [[
    1,
    "relay-without-dksign",
  ]]);
  const implicit = codes('127.:allow,RELAYCLIENT=""\n');
  assertStrictEquals(implicit[0][1], "relay-without-dksign");
});

Deno.test("lintDomainKeys() reports DKVERIFY letters outside A-L", () => {
  assertEquals(codes(':allow,DKVERIFY="DEGIJKfhXZ1"\n'), [[
    1,
    "dkverify-letters",
  ]]);
});

Deno.test("lintDomainKeys() reports A in DKVERIFY", () => {
  assertEquals(codes(':allow,DKVERIFY="ADEGIJKfh"\n'), [[
    1,
    "dkverify-good",
  ]]);
  assertEquals(codes(':allow,DKVERIFY="aD"\n'), [[1, "dkverify-good"]]);
});

Deno.test("lintDomainKeys() reports QMAILQUEUE not pointing at qmail-dk", () => {
  assertEquals(
    codes(':allow,DKVERIFY="D",QMAILQUEUE="/var/qmail/bin/simscan"\n'),
    [[1, "qmailqueue"]],
  );
  assertEquals(codes(':allow,QMAILQUEUE="/usr/local/bin/dk"\n'), [[
    1,
    "qmailqueue",
  ]]);
  assertEquals(codes(':allow,QMAILQUEUE="/var/qmail/bin/simscan"\n'), []);
});

Deno.test("lintDomainKeys() reports DKSIGNOPTIONS and DKEXCLUDEHEADERS as ignored", () => {
  assertEquals(codes(':allow,DKSIGNOPTIONS="-b 2",DKEXCLUDEHEADERS="X"\n'), [
    [1, "ignored-variable"],
    [1, "ignored-variable"],
  ]);
});

Deno.test("lintDomainKeys() reports a selector that is not a DNS name", () => {
  const fs = { ...GOOD_FS, "/keys/my_key.pem": key() };
  assertEquals(
    codes('127.:allow,RELAYCLIENT="",DKSIGN="/keys/my_key.pem"\n', fs),
    [[1, "selector-name"]],
  );
});

Deno.test("lintDomainKeys() reports a selector label over 63 octets, as queue mode refuses it", () => {
  const long = "s".repeat(64);
  const fs = { ...GOOD_FS, [`/keys/${long}`]: key() };
  assertEquals(
    codes(`127.:allow,RELAYCLIENT="",DKSIGN="/keys/${long}"\n`, fs),
    [[1, "selector-name"]],
  );
  const fine = "s".repeat(63);
  assertEquals(
    codes(`127.:allow,RELAYCLIENT="",DKSIGN="/keys/${fine}"\n`, {
      ...GOOD_FS,
      [`/keys/${fine}`]: key(),
    }),
    [],
  );
});

Deno.test("lintDomainKeys() skips deny rules", () => {
  assertEquals(codes('1.:deny,DKSIGN="/nope"\n'), []);
});

Deno.test("lintDomainKeys() takes a QMAILQUEUE naming qmail-dkim as pointing at dk", () => {
  assertEquals(
    codes(':allow,DKVERIFY="D",QMAILQUEUE="/var/qmail/bin/qmail-dkim"\n'),
    [],
  );
});

Deno.test("lintDomainKeys() asks a DKIM rule for no DKSIGN (dkim.md 6.14)", () => {
  assertEquals(
    codes('127.:allow,RELAYCLIENT="",DKIMSIGN="/keys/%/default"\n'),
    [],
  );
  assertEquals(
    codes('127.:allow,RELAYCLIENT="",QMAILQUEUE="/var/qmail/bin/qmail-dkim"\n'),
    [],
  );
  assertEquals(
    codes('127.:allow,RELAYCLIENT="",QMAILQUEUE="/var/qmail/bin/qmail-dk"\n')
      .map(([, code]) => code),
    ["relay-without-dksign"],
  );
});

Deno.test("lintDomainKeys() tells a DKIM rule whose QMAILQUEUE is another program to use qmail-dkim", () => {
  const parsed = parseRules(
    new TextEncoder().encode(
      ':allow,DKIMVERIFY="I",QMAILQUEUE="/var/qmail/bin/simscan"\n',
    ),
  );
  if (!parsed.ok) throw new Error(parsed.error.message);
  const found = lintDomainKeys(parsed.value, fakeHost(GOOD_FS));
  assertEquals(found.map((f) => f.code), ["qmailqueue"]);
  assertMatch(found[0].message, /not qmail-dkim, so the DKIM variables/);
});

Deno.test("isDkimRule() is true for a qmail-dkim variable or QMAILQUEUE running qmail-dkim", () => {
  assertStrictEquals(isDkimRule(new Map([["DKIMVERIFY", ""]])), true);
  assertStrictEquals(isDkimRule(new Map([["EXCLUDE_DKIMSIGN", "x"]])), true);
  assertStrictEquals(
    isDkimRule(new Map([["QMAILQUEUE", "/var/qmail/bin/qmail-dkim"]])),
    true,
  );
  assertStrictEquals(
    isDkimRule(
      new Map([["QMAILQUEUE", "/var/qmail/bin/qmail-dk"], ["DKSIGN", "x"]]),
    ),
    false,
  );
});

function collect(fn: (add: AddFinding) => void): string[] {
  const found: string[] = [];
  fn((code, message) => found.push(`${code}: ${message}`));
  return found;
}

Deno.test("keyFileFindings() with every % substituted finds keys named by the domain alone", () => {
  const fs = {
    "/k": dir(),
    "/k/example.com": key(),
    "/k/example.net": dir(),
    "/k/example.net/example.net": key(),
    "/k/localhost": key(),
  };
  const naming = { ...DKSIGN_NAMING, everyPercent: true };
  let found: unknown;
  assertEquals(
    collect((add) =>
      found = keyFileFindings("/k/%", fakeHost(fs), add, naming)
    ),
    [],
  );
  assertEquals(found, [{ path: "/k/example.com", domain: "example.com" }]);
  collect((add) =>
    found = keyFileFindings("/k/%/%", fakeHost(fs), add, naming)
  );
  assertEquals(found, [{
    path: "/k/example.net/example.net",
    domain: "example.net",
  }]);
});

Deno.test("keyFileFindings() never puts a name that is not a domain in place of %", () => {
  const fs = { "/k": dir(), "/k/localhost": dir(), "/k/localhost/s": key() };
  const found = collect((add) =>
    keyFileFindings("/k/%/s", fakeHost(fs), add, DKSIGN_NAMING)
  );
  assertEquals(found.length, 1);
  assertMatch(
    found[0],
    /^dksign-missing: no domain has a key file "\/k\/%\/s"/,
  );
});

Deno.test("selectorFinding() reads the selector before substitution for DKSIGN, after it for DKIM", () => {
  const dkim = { ...DKSIGN_NAMING, everyPercent: true };
  assertEquals(collect((add) => selectorFinding("/k/%", add, dkim)), []);
  assertEquals(
    collect((add) => selectorFinding("/k/%", add, DKSIGN_NAMING)).length,
    1,
  );
  assertMatch(
    collect((add) => selectorFinding("/k/my_key", add, dkim))[0],
    /^selector-name: the selector \(the last part of DKSIGN, "my_key"\)/,
  );
});
