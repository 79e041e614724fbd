/**
 * Whole-program tests of `dk rules` through the launcher: compile against
 * the real tcprules, bad input (old cdb untouched, no temporary file left),
 * warnings, check and lint exit codes and output.
 */

import { generateKeyPairSync } from "node:crypto";
import {
  assertEquals,
  assertMatch,
  assertStrictEquals,
} from "./helpers/assert.ts";

const ROOT = new URL("..", import.meta.url).pathname;
const DK = `${ROOT}scripts/dk`;
const HAVE_TCPRULES = (() => {
  try {
    Deno.statSync("/usr/bin/tcprules");
    return true;
  } catch {
    return false;
  }
})();

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function dk(
  args: string[],
  cwd?: string,
  env?: Record<string, string>,
): Promise<Run> {
  const out = await new Deno.Command(DK, {
    args,
    cwd,
    env,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  return {
    code: out.code,
    stdout: dec.decode(out.stdout),
    stderr: dec.decode(out.stderr),
  };
}

async function tcprules(source: string, out: string): Promise<number> {
  const child = new Deno.Command("/usr/bin/tcprules", {
    args: [out, out + ".tmp"],
    stdin: "piped",
    stdout: "null",
    stderr: "null",
  }).spawn();
  const w = child.stdin.getWriter();
  await w.write(await Deno.readFile(source));
  await w.close();
  return (await child.status).code;
}

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "dk-rules-cli-" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

const TCP_SMTP = `# QmailToaster-style tcp.smtp
127.:allow,RELAYCLIENT="",DKSIGN="/var/qmail/control/domainkeys/%/private"
10.1.1.1-20:allow,RELAYCLIENT="",DKSIGN="/var/qmail/control/domainkeys/%/private"
192.168.5.66:deny
=.spammer.example:deny
:allow,BADMIMETYPE="",BADLOADERTYPE="M",CHKUSER_RCPTLIMIT="50",DKVERIFY="DEGIJKfh",QMAILQUEUE="/var/qmail/bin/qmail-dk"
`;

Deno.test({
  name:
    "dk rules compile writes tcprules' bytes to FILE.cdb by rename, mode 0644",
  ignore: !HAVE_TCPRULES,
  async fn() {
    await withDir(async (dir) => {
      await Deno.writeTextFile(`${dir}/tcp.smtp`, TCP_SMTP);
      const run = await dk(["rules", "compile", "tcp.smtp"], dir);
      assertStrictEquals(run.code, 0, run.stderr);
      assertStrictEquals(run.stdout, "tcp.smtp.cdb: 5 rules, 24 keys\n");
      assertStrictEquals(run.stderr, "");
      assertStrictEquals(
        await tcprules(`${dir}/tcp.smtp`, `${dir}/ref.cdb`),
        0,
      );
      assertEquals(
        await Deno.readFile(`${dir}/tcp.smtp.cdb`),
        await Deno.readFile(`${dir}/ref.cdb`),
      );
      assertStrictEquals(
        (await Deno.stat(`${dir}/tcp.smtp.cdb`)).mode! & 0o777,
        0o644 & ~0o022 & 0o777,
      );
      const names = [...Deno.readDirSync(dir)].map((e) => e.name).sort();
      assertEquals(names, ["ref.cdb", "tcp.smtp", "tcp.smtp.cdb"]);
    });
  },
});

const BAD: [string, string, RegExp][] = [
  [
    "unbalanced quote",
    '127.:allow\n1.:allow,X="1\n',
    /^dk: tcp\.smtp line 2: the value of "X" has no closing "/,
  ],
  [
    "unquoted value",
    "127.:allow\n\n1.:allow,X=1\n",
    /^dk: tcp\.smtp line 3: the value of "X" is not quoted/,
  ],
  [
    "comment after a rule",
    "127.:allow # relay\n",
    /^dk: tcp\.smtp line 1: a comment cannot follow a rule/,
  ],
  [
    "CRLF line endings",
    "# c\r\n\r\n127.:allow\r\n",
    /^dk: tcp\.smtp line 3 ends in CR: the file has DOS line endings/,
  ],
  [
    "non-number in a range",
    "1.2.3.1-x:allow\n",
    /^dk: tcp\.smtp line 1: the range in "1\.2\.3\.1-x" has "x", which is not a number/,
  ],
  [
    "NUL byte",
    "127.:allow\n1.2\0:allow\n",
    /^dk: tcp\.smtp line 2: byte 4 is a NUL byte/,
  ],
];

for (const [what, text, want] of BAD) {
  Deno.test(`dk rules compile refuses ${what}: one line naming file and line, old cdb untouched`, async () => {
    await withDir(async (dir) => {
      const old = new Uint8Array([1, 2, 3, 4]);
      await Deno.writeFile(`${dir}/tcp.smtp.cdb`, old);
      await Deno.writeFile(`${dir}/tcp.smtp`, new TextEncoder().encode(text));
      const run = await dk(["rules", "compile", "tcp.smtp"], dir);
      assertStrictEquals(run.code, 100);
      assertMatch(run.stderr, want);
      assertStrictEquals(
        run.stderr.trimEnd().split("\n").length,
        1,
        run.stderr,
      );
      assertStrictEquals(run.stdout, "");
      assertEquals(await Deno.readFile(`${dir}/tcp.smtp.cdb`), old);
      assertEquals([...Deno.readDirSync(dir)].map((e) => e.name).sort(), [
        "tcp.smtp",
        "tcp.smtp.cdb",
      ]);
    });
  });
}

Deno.test("dk rules compile refuses a 100 MB file's bad last line, naming it, old cdb untouched", async () => {
  await withDir(async (dir) => {
    const old = new Uint8Array([9, 9, 9]);
    await Deno.writeFile(`${dir}/tcp.smtp.cdb`, old);
    const line = '127.0.0.1:allow,RELAYCLIENT=""\n'; // 31 bytes
    const perChunk = 32768;
    const chunk = new TextEncoder().encode(line.repeat(perChunk));
    const chunks = Math.ceil(100e6 / chunk.length);
    const file = await Deno.open(`${dir}/tcp.smtp`, {
      write: true,
      create: true,
    });
    for (let i = 0; i < chunks; i++) await file.write(chunk);
    await file.write(new TextEncoder().encode('1.:allow,X="oops\n'));
    file.close();
    const run = await dk(["rules", "compile", "tcp.smtp"], dir);
    assertStrictEquals(run.code, 100);
    assertStrictEquals(
      run.stderr,
      `dk: tcp.smtp line ${
        chunks * perChunk + 1
      }: the value of "X" has no closing ": "1.:allow,X=\\"oops"\n`,
    );
    assertEquals(await Deno.readFile(`${dir}/tcp.smtp.cdb`), old);
    assertStrictEquals([...Deno.readDirSync(dir)].length, 2);
  });
});

Deno.test({
  name:
    "dk rules compile warns about lines tcprules silently accepts, and writes its bytes",
  ignore: !HAVE_TCPRULES,
  async fn() {
    await withDir(async (dir) => {
      await Deno.writeTextFile(
        `${dir}/tcp.smtp`,
        '127.0.0.1 allow\n 10.:allow,RELAYCLIENT=""\n:allow\n',
      );
      const run = await dk(["rules", "compile", "tcp.smtp", "out.cdb"], dir);
      assertStrictEquals(run.code, 0);
      const lines = run.stderr.trimEnd().split("\n");
      assertStrictEquals(lines.length, 2);
      assertMatch(
        lines[0],
        /^dk: tcp\.smtp line 1: warning: "127\.0\.0\.1 allow" has no ":", so tcprules skips it/,
      );
      assertMatch(
        lines[1],
        /^dk: tcp\.smtp line 2: warning: the address " 10\." contains white space/,
      );
      assertStrictEquals(
        await tcprules(`${dir}/tcp.smtp`, `${dir}/ref.cdb`),
        0,
      );
      assertEquals(
        await Deno.readFile(`${dir}/out.cdb`),
        await Deno.readFile(`${dir}/ref.cdb`),
      );
    });
  },
});

Deno.test("dk rules compile: usage errors and unreadable files exit 2", async () => {
  assertStrictEquals((await dk(["rules", "compile"])).code, 2);
  const missing = await dk(["rules", "compile", "/nonexistent/tcp.smtp"]);
  assertStrictEquals(missing.code, 2);
  assertStrictEquals(
    missing.stderr,
    "dk: Cannot read /nonexistent/tcp.smtp: no such file\n",
  );
  await withDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/r`, ":allow\n");
    assertStrictEquals((await dk(["rules", "compile", "r", "r"], dir)).code, 2);
    assertStrictEquals(await Deno.readTextFile(`${dir}/r`), ":allow\n");
  });
});

Deno.test({
  name:
    "dk rules check answers from the source and from the cdb, as tcprulescheck does",
  ignore: !HAVE_TCPRULES,
  async fn() {
    await withDir(async (dir) => {
      await Deno.writeTextFile(`${dir}/tcp.smtp`, TCP_SMTP);
      assertStrictEquals(
        await tcprules(`${dir}/tcp.smtp`, `${dir}/tcp.smtp.cdb`),
        0,
      );
      const relay = await dk([
        "rules",
        "check",
        "tcp.smtp",
        "10.1.1.7",
        "--json",
      ], dir);
      assertStrictEquals(relay.code, 0);
      assertEquals(JSON.parse(relay.stdout), {
        action: "allow",
        rule: "10.1.1.7",
        env: {
          RELAYCLIENT: "",
          DKSIGN: "/var/qmail/control/domainkeys/%/private",
        },
        line: 3,
      });
      const denied = await dk([
        "rules",
        "check",
        "tcp.smtp.cdb",
        "1.1.1.1",
        "--host",
        "mx.spammer.example",
        "--json",
      ], dir);
      assertEquals(JSON.parse(denied.stdout), {
        action: "deny",
        rule: "=.spammer.example",
        env: {},
      });
      assertStrictEquals(denied.code, 0);
      const text = await dk(
        ["rules", "check", "tcp.smtp.cdb", "127.0.0.1"],
        dir,
      );
      const ref = await new Deno.Command("/usr/bin/tcprulescheck", {
        args: [`${dir}/tcp.smtp.cdb`],
        env: { TCPREMOTEIP: "127.0.0.1" },
        clearEnv: true,
        stdout: "piped",
      }).output();
      assertStrictEquals(text.stdout, new TextDecoder().decode(ref.stdout));
      const none = await dk(
        ["rules", "check", "tcp.smtp", "1.2.3.4", "--json"],
        dir,
      );
      assertEquals(JSON.parse(none.stdout).rule, "");
    });
  },
});

Deno.test("dk rules check: no rule matched gives rule null; bad usage and files exit 2", async () => {
  await withDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/r`, "127.:allow\n");
    const none = await dk(["rules", "check", "r", "1.2.3.4", "--json"], dir);
    assertEquals(JSON.parse(none.stdout), {
      action: "allow",
      rule: null,
      env: {},
    });
    assertStrictEquals((await dk(["rules", "check", "r"], dir)).code, 2);
    assertStrictEquals(
      (await dk(["rules", "check", "missing", "1.2.3.4"], dir)).code,
      2,
    );
    await Deno.writeTextFile(`${dir}/broken.cdb`, "not a cdb");
    const broken = await dk(["rules", "check", "broken.cdb", "1.2.3.4"], dir);
    assertStrictEquals(broken.code, 2);
    assertMatch(broken.stderr, /Cannot read broken\.cdb as a cdb/);
  });
});

Deno.test("dk rules lint: a clean file says nothing and exits 0; findings exit 1", async () => {
  await withDir(async (dir) => {
    await Deno.mkdir(`${dir}/keys/example.com`, { recursive: true });
    await Deno.writeTextFile(`${dir}/keys/example.com/private`, "key");
    await Deno.chmod(`${dir}/keys/example.com/private`, 0o640);
    const clean =
      `127.:allow,RELAYCLIENT="",DKSIGN="${dir}/keys/%/private",QMAILQUEUE="/var/qmail/bin/qmail-dk"
:allow,DKVERIFY="DEGIJKfh",QMAILQUEUE="/var/qmail/bin/qmail-dk"
`;
    await Deno.writeTextFile(`${dir}/clean`, clean);
    const ok = await dk(["rules", "lint", "clean", "--user", "root"], dir);
    assertStrictEquals(ok.stdout + ok.stderr, "");
    assertStrictEquals(ok.code, 0);

    await Deno.chmod(`${dir}/keys/example.com/private`, 0o644);
    await Deno.writeTextFile(
      `${dir}/bad`,
      clean + `10.:allow,RELAYCLIENT="",DKSIGN="${dir}/nokey"\n127.:deny\n`,
    );
    const bad = await dk(["rules", "lint", "bad", "--user", "root"], dir);
    assertStrictEquals(bad.code, 1);
    const lines = bad.stdout.trimEnd().split("\n");
    assertMatch(
      lines[0],
      /^bad line 1: the key file ".*\/keys\/example\.com\/private" \(mode 0644\) can be read by every user/,
    );
    assertMatch(
      lines[1],
      /^bad line 3: the DKSIGN key file ".*\/nokey" does not exist/,
    );
    assertMatch(
      lines[2],
      /^bad line 4: this rule never applies: line 1 has the same address "127\."/,
    );
    assertStrictEquals(lines.length, 3);

    const json = await dk(
      ["rules", "lint", "bad", "--user", "root", "--json"],
      dir,
    );
    assertEquals(
      json.stdout.trimEnd().split("\n").map((l) => JSON.parse(l).code),
      [
        "key-world-readable",
        "dksign-missing",
        "shadowed",
      ],
    );
  });
});

Deno.test("dk rules lint: a file tcprules refuses is a finding; usage and unreadable exit 2", async () => {
  await withDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/crlf`, ":allow\r\n");
    const run = await dk(["rules", "lint", "crlf"], dir);
    assertStrictEquals(run.code, 1);
    assertStrictEquals(
      run.stdout,
      "crlf line 1 ends in CR: the file has DOS line endings, which tcprules refuses (convert it with dos2unix)\n",
    );
    assertStrictEquals((await dk(["rules", "lint", "missing"], dir)).code, 2);
    assertStrictEquals(
      (await dk(["rules", "lint", "crlf", "--user", "no-such-user-here"], dir))
        .code,
      2,
    );
    assertStrictEquals((await dk(["rules", "lint"], dir)).code, 2);
  });
});

/** A PEM RSA private key of `bits` bits. */
function rsaPem(bits: number): string {
  return generateKeyPairSync("rsa", {
    modulusLength: bits,
    publicKeyEncoding: { type: "spki", format: "pem" },
    privateKeyEncoding: { type: "pkcs1", format: "pem" },
  }).privateKey;
}

const DKIM_SMTP =
  `127.:allow,RELAYCLIENT="",DKIMSIGN="domainkeys/%/default",DKIMSIGNEXTRA="domainkeys/example.com/weak",QMAILQUEUE="/var/qmail/bin/qmail-dkim"
10.:allow,DKIMSIGN="domainkeys/%/default",DKIMSIGNOPTIONS="-l -c x"
11.:allow,DKIMVERIFY="DEGIJKfh",DKVERIFY="DEGIJKfh",DKIMIDENTITY="bad id",DK_DKIM_SHA1="accept",SELECTOR_DATA="k=rsa",DKQUEUE="/var/qmail/bin/qmail-queue",DKIMQUEUE="/bin/cat",SIGNATUREDOMAINS="example.com"
:allow,DKIMVERIFY="AP",QMAILQUEUE="/var/qmail/bin/qmail-dkim"
`;

const DKIMKEYS = `# qmail-dkim's keys
nocolon
*.example.com:domainkeys/%/default
example.com:domainkeys/%/default:FOO=1
*:domainkeys/%/default
`;

const DKIM_CODES = [
  [1, "key-weak"],
  [1, "dkim-keys-same-type"],
  [2, "dkimsign-without-relay"],
  [2, "dkim-option-bad"],
  [3, "ignored-variable"],
  [3, "dkimidentity-syntax"],
  [3, "dkimverify-never"],
  [3, "dkimverify-copied"],
  [3, "dkim-sha1"],
  [3, "selector-data"],
  [3, "queue-mismatch"],
  [3, "queue-filter"],
  [4, "dkimverify-never"],
  [4, "dkimverify-good"],
];
const DKIMKEYS_CODES = [
  [2, "dkimkeys-syntax"],
  [3, "dkimkeys-pattern"],
  [4, "dkimkeys-edit"],
  [5, "dkimkeys-star-never"],
];

Deno.test("dk rules lint --control-dir: DKIM findings by rule, then dkimkeys findings by line with their file", async () => {
  await withDir(async (dir) => {
    const keys = `${dir}/control/domainkeys/example.com`;
    await Deno.mkdir(keys, { recursive: true });
    await Deno.writeTextFile(`${keys}/default`, rsaPem(1024));
    await Deno.writeTextFile(`${keys}/weak`, rsaPem(512));
    await Deno.chmod(`${keys}/default`, 0o640);
    await Deno.chmod(`${keys}/weak`, 0o640);
    await Deno.writeTextFile(`${dir}/control/dkimkeys`, DKIMKEYS);
    await Deno.writeTextFile(`${dir}/tcp.smtp`, DKIM_SMTP);
    const args = ["rules", "lint", "tcp.smtp", "--user", "root"];

    const json = await dk([...args, "--control-dir", "control", "--json"], dir);
    assertStrictEquals(json.code, 1, json.stderr);
    const found = json.stdout.trimEnd().split("\n").map((l) => JSON.parse(l));
    assertEquals(
      found.filter((f) => f.file === undefined).map((f) => [f.line, f.code]),
      DKIM_CODES,
    );
    assertEquals(
      found.filter((f) => f.file !== undefined).map((f) => [f.line, f.code]),
      DKIMKEYS_CODES,
    );
    assertEquals(
      [...new Set(found.map((f) => f.file))],
      [undefined, "control/dkimkeys"],
    );

    const text = await dk([...args, "--control-dir", "control"], dir);
    const lines = text.stdout.trimEnd().split("\n");
    assertStrictEquals(lines.length, DKIM_CODES.length + DKIMKEYS_CODES.length);
    assertMatch(
      lines[0],
      /^tcp\.smtp line 1: the key file ".*\/weak" is a 512-bit RSA key/,
    );
    assertMatch(
      lines[DKIM_CODES.length],
      /^control\/dkimkeys line 2: "nocolon" has no ":"/,
    );
    assertMatch(
      lines.at(-1)!,
      /^control\/dkimkeys line 5: this \* line never signs/,
    );

    // Without --control-dir: $CONTROLDIR; relative paths then follow it.
    const byEnv = await dk([...args, "--json"], dir, {
      CONTROLDIR: `${dir}/control`,
    });
    const files = byEnv.stdout.trimEnd().split("\n").map((l) =>
      JSON.parse(l).file
    ).filter((f) => f !== undefined);
    assertEquals(files, DKIMKEYS_CODES.map(() => `${dir}/control/dkimkeys`));
  });
});

Deno.test("dk rules lint: dkimkeys is not read when no rule sets a DKIM variable", async () => {
  await withDir(async (dir) => {
    await Deno.mkdir(`${dir}/control`);
    await Deno.writeTextFile(`${dir}/control/dkimkeys`, "nocolon\n");
    await Deno.writeTextFile(`${dir}/tcp.smtp`, ':allow,DKVERIFY="DEGIJKfh"\n');
    const run = await dk(
      ["rules", "lint", "tcp.smtp", "--control-dir", "control"],
      dir,
    );
    assertStrictEquals(run.stdout + run.stderr, "");
    assertStrictEquals(run.code, 0);
  });
});
