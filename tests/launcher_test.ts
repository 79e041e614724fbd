/**
 * The launcher's queue-mode permissions and exit codes: `scripts/dk` lets
 * Deno run only the queue program, write only the spool directory and
 * /dev/fd, read only what queue mode reads and ask only the DNS servers it
 * will ask, so it finds all of these in `sh` before Deno starts. These tests
 * run a copy of the launcher with a stand-in `deno` that prints its
 * arguments, and check, over grids of environments, names and resolv.conf
 * texts, that it names exactly the program `core/queue/plan.ts` runs, the
 * directory `spool.ts` writes, the key `key_path.ts` reads and the servers
 * `core/dns/server.ts` parses; and that each exit code it uses is the one
 * `core/status.ts` names.
 */
import { assertEquals } from "./helpers/assert.ts";
import { planQueue } from "../core/queue/plan.ts";
import { programPath } from "../core/queue/handoff.ts";
import { resolveKeyPath } from "../core/queue/key_path.ts";
import { tempDir } from "../core/queue/spool.ts";
import { firstNameserver, parseServer } from "../core/dns/server.ts";
import { CLI_EXIT, QUEUE_EXIT, RULES_EXIT } from "../core/status.ts";
import { ROOT, run } from "./helpers/mail_dkim.ts";
import { cleanup, workDir } from "./helpers/queue_run.ts";

/** A tree with the real launcher and a `deno` that prints its arguments. */
async function fakeTree(dir: string): Promise<string> {
  const bin = `${dir}/node_modules/@deno/linux-x64-glibc`;
  await Deno.mkdir(bin, { recursive: true });
  await Deno.mkdir(`${dir}/scripts`);
  await Deno.writeTextFile(`${bin}/deno`, '#!/bin/sh\nprintf "%s\\n" "$@"\n');
  await Deno.chmod(`${bin}/deno`, 0o755);
  await Deno.copyFile(`${ROOT}/scripts/dk`, `${dir}/scripts/dk`);
  await Deno.chmod(`${dir}/scripts/dk`, 0o755);
  for (const name of ["qmail-queue", "qmail-dk", "qmail-dkim"]) {
    await Deno.symlink(`${dir}/scripts/dk`, `${dir}/${name}`);
  }
  return `${dir}/scripts/dk`;
}

/** Runs `argv` with only PATH and `env` in its environment. */
function runWith(argv: string[], env: Record<string, string>) {
  return run("env", [
    "-i",
    "PATH=/usr/bin:/bin",
    ...Object.entries(env).map(([k, v]) => `${k}=${v}`),
    ...argv,
  ]);
}

/** The arguments the launcher gives deno for `argv` under `env`. */
async function launched(
  argv: string[],
  env: Record<string, string>,
): Promise<string[]> {
  const r = await runWith(argv, env);
  assertEquals(r.code, 0, r.stderrText);
  return r.stdoutText.trimEnd().split("\n");
}

/** The value of `--allow-NAME=…` among `args`, or null when not given. */
function grant(args: string[], name: string): string | null {
  const flag = args.find((a) => a.startsWith(`--allow-${name}`));
  if (flag === undefined) return null;
  return flag.startsWith(`--allow-${name}=`)
    ? flag.slice(`--allow-${name}=`.length)
    : "";
}

/**
 * What queue mode reads, as the launcher should grant it: the tree, the
 * cache, the qmail home, the queue program, the spool, /dev/fd, resolv.conf,
 * the invoked name, the key directory and the zone file.
 */
function expectedRead(
  root: string,
  env: Record<string, string>,
  argv0: string,
): string[] {
  const plan = planQueue((name) => env[name], argv0);
  const read = [
    root,
    env.DK_DENO_DIR || `${root}/.deno-cache`,
    plan.home,
    programPath(plan.program, plan.home),
    tempDir(env.TMPDIR),
    "/dev/fd",
    "/etc/resolv.conf",
  ];
  if (argv0.includes("/")) read.push(argv0);
  const dksign = env.DKSIGN;
  if (dksign) {
    const at = dksign.indexOf("%");
    if (at < 0) read.push(dksign);
    else {
      const before = dksign.slice(0, at);
      const slash = before.lastIndexOf("/");
      read.push(slash < 0 ? "." : slash === 0 ? "/" : before.slice(0, slash));
    }
  }
  if (env.DK_ZONE) read.push(env.DK_ZONE);
  if (plan.dkim) {
    // The control directory, and each absolute DKIM key path's directory
    // before its first % (core/queue/dkim_key.ts fills every %).
    read.push(plan.dkim.controlDir);
    for (const name of ["DKIMSIGN", "DKIMKEY", "DKIMSIGNEXTRA"]) {
      const path = env[name];
      if (!path?.startsWith("/")) continue;
      const at = path.indexOf("%");
      if (at < 0) read.push(path);
      else {
        const before = path.slice(0, at);
        read.push(before.slice(0, before.lastIndexOf("/")) || "/");
      }
    }
  }
  return read;
}

/**
 * Server texts that `parseServer` accepts but Deno cannot be granted or
 * cannot send to: a zone index, and the looser forms of its IPv6 check.
 * The launcher grants nothing for them, so dk's lookup fails as it would
 * anyway (F, temporary).
 */
function grantable(host: string): boolean {
  return !host.includes("%") && !/:::|\..*:/.test(host);
}

/** One server as a grant: `host:port`, `[v6]:port`, and its socket's address. */
function serverGrant(text: string): string[] {
  const parsed = parseServer(text);
  if (!parsed.ok || !grantable(parsed.value.host)) return [];
  const { host, port, family } = parsed.value;
  return family === 4
    ? [`${host}:${port}`, "0.0.0.0:0"]
    : [`[${host}]:${port}`, "[::]:0"];
}

/**
 * The servers queue mode may ask, as a set: none with DK_ZONE; each item of
 * DK_DNS; else every usable nameserver line of `resolvConf` (select.ts asks
 * the first), else 127.0.0.1.
 */
function expectedNet(env: Record<string, string>, resolvConf: string) {
  if (env.DK_ZONE) return null;
  let grants: string[];
  if (env.DK_DNS) {
    grants = env.DK_DNS.split(",").flatMap(serverGrant);
  } else {
    grants = resolvConf.split("\n").flatMap((line) => {
      const server = firstNameserver(line);
      if (server === null || !grantable(server.host)) return [];
      return serverGrant(
        server.family === 6 ? `[${server.host}]` : server.host,
      );
    });
    if (grants.length === 0) grants = serverGrant("127.0.0.1");
  }
  return [...new Set(grants)].sort();
}

/** A `--allow-net` value as a sorted set, or null when not given. */
function netSet(args: string[]): string[] | null {
  const net = grant(args, "net");
  return net === null ? null : [...new Set(net.split(","))].sort();
}

Deno.test("queue mode may run only the queue program plan.ts picks, write only the spool directory, read only what it reads", async () => {
  const dir = await workDir();
  try {
    const dk = await fakeTree(dir);
    const resolvConf = await Deno.readTextFile("/etc/resolv.conf")
      .catch(() => "");
    const envs: Record<string, string>[] = [
      {},
      { DKQUEUE: "/opt/queue/qq" },
      { DKQUEUE: "bin/qq", DK_QMAIL_HOME: "/home/q" },
      { DKQUEUE: "", DK_QMAIL_HOME: "" },
      { DK_QMAIL_HOME: "/var/qmail2", TMPDIR: "/var/tmp" },
      { TMPDIR: "relative/tmp" },
      { TMPDIR: "" },
      { RELAYCLIENT: "", DKSIGN: "/etc/dk/%/private" },
      { RELAYCLIENT: "", DKSIGN: "/etc/dk/keys/example.com" },
      { RELAYCLIENT: "", DKSIGN: "keys/%/sel" },
      { RELAYCLIENT: "", DKSIGN: "%/sel" },
      { RELAYCLIENT: "", DKSIGN: "/%/sel" },
      { RELAYCLIENT: "", DKSIGN: "/k/pre%/x%/sel" },
      { RELAYCLIENT: "", DKSIGN: "" },
      { RELAYCLIENT: "", DK_QMAIL_HOME: "/q" },
      { DKVERIFY: "DEG", DK_ZONE: "/etc/dk/zone" },
      { DKVERIFY: "", DK_ZONE: "" },
      { DK_DENO_DIR: "/srv/deno" },
      // DKIM (dkim.md 6.15): DKIMQUEUE first, the control directory, keys.
      { DKIMVERIFY: "" },
      { DKIMQUEUE: "/opt/q/qq", DKQUEUE: "/opt/q/other" },
      { DKIMQUEUE: "", DKQUEUE: "/opt/q/other", CONTROLDIR: "/etc/qc" },
      { RELAYCLIENT: "", DKIMSIGN: "/etc/dkim/%/sel", CONTROLDIR: "ctl" },
      { RELAYCLIENT: "", DKIMSIGN: "domainkeys/%/s", DKIMSIGNEXTRA: "/k/%/%" },
      { AUTHINFO: "", DKIMKEY: "/keys/x", DK_QMAIL_HOME: "/q" },
    ];
    const invocations: [string[], string][] = [
      [[dk, "queue"], dk],
      [[`${dir}/qmail-queue`], `${dir}/qmail-queue`],
      [[`${dir}/qmail-dk`], `${dir}/qmail-dk`],
      [[`${dir}/qmail-dkim`], `${dir}/qmail-dkim`],
    ];
    for (const env of envs) {
      for (const [argv, argv0] of invocations) {
        const args = await launched(argv, env);
        const plan = planQueue((name) => env[name], argv0);
        const where = JSON.stringify({ argv0, env });
        assertEquals(
          args.filter((a) => /^--allow-(run|write|all)\b/.test(a)),
          [
            `--allow-run=${programPath(plan.program, plan.home)}`,
            `--allow-write=${tempDir(env.TMPDIR)},/dev/fd`,
          ],
          where,
        );
        const read = grant(args, "read")?.split(",");
        assertEquals(read, expectedRead(dir, env, argv0), where);
        assertEquals(netSet(args), expectedNet(env, resolvConf), where);
        // The key dk will read for any sending domain lies in what is granted.
        if (plan.action.kind === "sign") {
          const key = resolveKeyPath(plan.action.dksign, "mail.example.com");
          if (key.kind !== "key") throw new Error(`${where}: ${key.reason}`);
          const covered = read!.some((r) =>
            key.path === r ||
            key.path.startsWith(r.endsWith("/") ? r : r + "/") ||
            (r === "." && !key.path.startsWith("/"))
          );
          assertEquals(covered, true, `${where}: ${key.path}`);
        }
      }
    }
  } finally {
    await cleanup(dir);
  }
});

Deno.test("queue mode may ask only the DNS servers of DK_DNS, as core/dns/server.ts parses them", async () => {
  const dir = await workDir();
  try {
    const dk = await fakeTree(dir);
    const values = [
      "127.0.0.1",
      "127.0.0.1:5353",
      " 10.0.0.1:053 ",
      "10.0.0.1:00053",
      "[::1]:5353",
      "[::1]",
      "::1",
      "::",
      "1::",
      "::ffff:10.1.2.3",
      "[::ffff:10.1.2.3]:53",
      "1:2:3:4:5:6:7:8",
      "1:2:3:4:5:6:7::",
      "1:2:3:4:5:6:10.1.2.3",
      "FE80::A",
      "0.0.0.0",
      "255.255.255.255:65535",
      "10.1.2.3,[::1]:54,10.1.2.3:55",
      "10.1.2.3,,bad",
      // refused by parseServer: nothing granted (dk then exits 55)
      "999.1.1.1",
      "01.2.3.4",
      "1.2.3",
      "1.2.3.4.5",
      "ns.example",
      "1.2.3.4:0",
      "1.2.3.4:65536",
      "1.2.3.4:",
      "1.2.3.4:53x",
      "1.2.3.4:000053",
      "[::1]x",
      "[::1]:",
      "[1.2.3.4]",
      "[::1",
      "1:2:3:4:5:6:7:8:9",
      "1::2::3",
      ":1",
      "1:",
      "12345::",
      "g::1",
      " ",
      // accepted by parseServer, not grantable (see grantable())
      "fe80::1%eth0",
      "[fe80::1%eth0]:53",
      "a:::b",
      "10.1.2.3::1",
    ];
    for (const value of values) {
      const env = { DK_DNS: value, DKVERIFY: "" };
      const args = await launched([dk, "queue"], env);
      const expected = expectedNet(env, "");
      assertEquals(netSet(args), expected!.length ? expected : null, value);
    }
    // DK_ZONE answers instead of DNS: no network at all.
    const args = await launched([dk, "queue"], {
      DK_DNS: "10.1.2.3",
      DK_ZONE: "/z",
    });
    assertEquals(grant(args, "net"), null);
  } finally {
    await cleanup(dir);
  }
});

Deno.test({
  name:
    "without DK_DNS queue mode may ask the nameservers of /etc/resolv.conf, else 127.0.0.1",
  // A private mount namespace puts each text at /etc/resolv.conf: root only.
  ignore: Deno.uid() !== 0,
  async fn() {
    const dir = await workDir();
    try {
      const dk = await fakeTree(dir);
      const texts = [
        "nameserver 10.1.2.3\nnameserver ::1\n",
        "# comment\n; nameserver 10.9.9.9\nsearch example.com\n" +
        "nameserver 10.1.2.3 # a comment\n  nameserver\t10.4.5.6;x\n",
        "nameserver fe80::1%eth0\nnameserver 10.1.2.3\n",
        "nameserver#x 10.9.9.9\nnameserver 10.1.2.3:53\nnameserver 999.1.2.3\n",
        "nameserver 10.1.2.3\r\nnameserver 10.4.5.6",
        "nameserver\n",
        "",
      ];
      for (const text of texts) {
        const file = `${dir}/resolv.conf`;
        await Deno.writeTextFile(file, text);
        const r = await run("unshare", [
          "-m",
          "sh",
          "-c",
          'mount --bind "$0" /etc/resolv.conf && exec env -i PATH=/usr/bin:/bin DKVERIFY= "$1" queue',
          file,
          dk,
        ]);
        assertEquals(r.code, 0, r.stderrText);
        const args = r.stdoutText.trimEnd().split("\n");
        assertEquals(netSet(args), expectedNet({}, text), text);
      }
    } finally {
      await cleanup(dir);
    }
  },
});

Deno.test("a comma in any path queue mode is granted, which Deno would split, ends queue mode with 81 before Deno starts", async () => {
  const dir = await workDir();
  try {
    const dk = await fakeTree(dir);
    const envs: Record<string, string>[] = [
      { DKQUEUE: "/q/qq,/bin/sh" },
      { TMPDIR: "/tmp/a,/etc" },
      { DK_QMAIL_HOME: "/var/qmail,/etc" },
      { DK_DENO_DIR: "/srv/deno,/etc" },
      { RELAYCLIENT: "", DKSIGN: "/etc/dk,/etc/%/private" },
      { DKVERIFY: "", DK_ZONE: "/etc/zone,/etc/shadow" },
    ];
    for (const env of envs) {
      const r = await runWith([dk, "queue"], env);
      assertEquals(
        [r.code, r.stdoutText, r.stderrText],
        [81, "", ""],
        JSON.stringify(env),
      );
    }
    // The name it runs under, which self.ts looks at.
    await Deno.mkdir(`${dir}/a,b`);
    await Deno.symlink(dk, `${dir}/a,b/qmail-dk`);
    const r = await runWith([`${dir}/a,b/qmail-dk`], {});
    assertEquals([r.code, r.stdoutText, r.stderrText], [81, "", ""]);
  } finally {
    await cleanup(dir);
  }
});

Deno.test("outside queue mode the launcher keeps its general permissions", async () => {
  const dir = await workDir();
  try {
    const dk = await fakeTree(dir);
    const args = await launched([dk, "verify", "x.eml"], {});
    assertEquals(args.includes("--allow-run"), true);
    assertEquals(args.includes("--allow-write"), true);
    assertEquals(args.slice(-2), ["verify", "x.eml"]);
  } finally {
    await cleanup(dir);
  }
});

Deno.test("every exit code in the launcher is the one core/status.ts names beside it", async () => {
  const tables: Record<string, Record<string, number>> = {
    QUEUE_EXIT,
    CLI_EXIT,
    RULES_EXIT,
  };
  const text = await Deno.readTextFile(`${ROOT}/scripts/dk`);
  const named: number[] = [];
  text.split("\n").forEach((line, i) => {
    const where = `scripts/dk:${i + 1}: ${line.trim()}`;
    const exit = /\bexit (\d+)\b/.exec(line);
    const name = /#\s*([A-Z_]+)\.(\w+)\s*$/.exec(line);
    if (exit === null && name === null) return;
    // A named code may also be set aside in a variable (no_memory=51).
    const code = exit ?? /\b[a-z_]+=(\d+)\s/.exec(line);
    if (code === null || name === null) {
      throw new Error(`${where}: an exit code and its name go together`);
    }
    const value = tables[name[1]]?.[name[2]];
    assertEquals(Number(code[1]), value, where);
    named.push(value);
  });
  // Queue mode's own refusals are there: internal bug, read error, memory.
  for (
    const code of [
      QUEUE_EXIT.internalBug,
      QUEUE_EXIT.readError,
      QUEUE_EXIT.outOfMemory,
    ]
  ) {
    assertEquals(named.includes(code), true, `exit ${code} is named`);
  }
});
