import {
  assertEquals,
  assertStrictEquals,
} from "../../tests/helpers/assert.ts";
import type { Account } from "../../rules/accounts.ts";
import { lintDomainKeys, type LintHost, type PathFacts } from "./lint.ts";
import { parseRules } from "../../rules/parse.ts";

const QMAILD: Account = { name: "qmaild", uid: 502, gids: [501, 600] };

/** A fake file system: path → facts; directories list their children. */
function host(
  files: Record<string, PathFacts>,
  user: Account | null = QMAILD,
): LintHost {
  return {
    stat: (p) => files[p] ?? null,
    list: (dir) => {
      if (files[dir]?.kind !== "dir") return null;
      const names = Object.keys(files)
        .filter((p) =>
          p.startsWith(dir + "/") && !p.slice(dir.length + 1).includes("/")
        )
        .map((p) => p.slice(dir.length + 1));
      return names;
    },
    user,
    groupName: (gid) => (gid === 600 ? "dkkeys" : String(gid)),
  };
}

const dir = (mode = 0o755): PathFacts => ({
  kind: "dir",
  uid: 0,
  gid: 0,
  mode,
});
const key = (mode = 0o640, gid = 600): PathFacts => ({
  kind: "file",
  uid: 0,
  gid,
  mode,
});

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
    host(files, user === undefined ? QMAILD : user),
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
