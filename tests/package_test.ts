/**
 * `deno task package` (scripts/package) and the `.run` file it makes: built
 * twice to the same bytes; installed into a temporary root with a PATH of
 * plain tools only (no node, npm or deno); queue mode run from the installed
 * tree as `nobody` through a `qmail-dk` link, signing then verifying; `dk
 * verify` and `dk demo` from the installed tree; a second install switching
 * `current` without a moment where it is missing or unprepared;
 * `--uninstall` leaving the root as it was; a damaged file refused. Needs
 * root (setpriv, and `--install --user`); ignored otherwise.
 */

import { assert, assertEquals } from "./helpers/assert.ts";
import { ROOT } from "./helpers/mail_dkim.ts";
import { sourceModules } from "./helpers/modules.ts";
import { generateRsaKey } from "./helpers/keys.ts";
import { cleanup, message, recorded, runQueue } from "./helpers/queue_run.ts";

const isRoot = Deno.uid() === 0;
const decoder = new TextDecoder();
const NOBODY = [
  "setpriv",
  "--reuid=nobody",
  "--regid=nogroup",
  "--clear-groups",
];
/**
 * What the `.run` file, the launcher and the test's queue harness may use:
 * the README's list, plus bash, env and setpriv for the harness and od, tr,
 * grep, touch and sleep for the fake queue program.
 */
const TOOLS = [
  "sh",
  "tail",
  "sha256sum",
  "gzip",
  "tar",
  "mktemp",
  "mkdir",
  "rmdir",
  "rm",
  "mv",
  "ln",
  "ls",
  "chmod",
  "cat",
  "id",
  "env",
  "readlink",
  "uname",
  "setpriv",
  "bash",
  "od",
  "tr",
  "grep",
  "touch",
  "sleep",
];

interface Ran {
  code: number;
  out: string;
  err: string;
}

/** Runs `argv` with exactly `env` (nothing inherited), from `cwd`. */
async function exec(
  argv: string[],
  env: Record<string, string>,
  cwd = "/",
): Promise<Ran> {
  const r = await new Deno.Command(argv[0], {
    args: argv.slice(1),
    clearEnv: true,
    env,
    cwd,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  return {
    code: r.code,
    out: decoder.decode(r.stdout),
    err: decoder.decode(r.stderr),
  };
}

/** Builds a package into `dir` (with `version` if given); its path. */
async function build(dir: string, version?: string): Promise<string> {
  const env: Record<string, string> = {
    PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
    DK_PACKAGE_DIR: dir,
  };
  if (version) env.DK_PACKAGE_VERSION = version;
  const r = await exec([`${ROOT}/scripts/package`], env, ROOT);
  assertEquals(r.code, 0, r.err);
  const path = r.out.trim();
  assert(
    /^.*\/dk-[A-Za-z0-9._+-]+-linux-x64\.run$/.test(path),
    `package printed ${path}`,
  );
  return path;
}

/** Every entry under `dir`: path, type, mode, size, mtime and link target. */
async function snapshot(dir: string): Promise<string[]> {
  const lines: string[] = [];
  const walk = async (path: string, rel: string) => {
    for await (const e of Deno.readDir(path)) {
      const p = `${path}/${e.name}`;
      const st = await Deno.lstat(p);
      const link = e.isSymlink ? ` -> ${await Deno.readLink(p)}` : "";
      lines.push(
        `${rel}${e.name} ${st.mode?.toString(8)} ${st.uid} ${
          e.isFile ? st.size : "-"
        } ${st.mtime?.getTime()}${link}`,
      );
      if (e.isDirectory) await walk(p, `${rel}${e.name}/`);
    }
  };
  await walk(dir, "");
  return lines.sort();
}

/** A folder of links to only `TOOLS`: the PATH of a host without Node.js. */
async function toolsDir(dir: string): Promise<string> {
  await Deno.mkdir(dir);
  for (const tool of TOOLS) {
    const found = await exec(["sh", "-c", `command -v ${tool}`], {
      PATH: "/usr/bin:/bin:/usr/sbin:/sbin",
    });
    assertEquals(found.code, 0, `${tool} is not installed`);
    await Deno.symlink(found.out.trim(), `${dir}/${tool}`);
  }
  return dir;
}

/** The selector record of `spki` as a zone line, split into 255-octet strings. */
function zoneLine(name: string, spki: string): string {
  const value = `k=rsa; p=${spki}`;
  const strings = value.match(/.{1,255}/g)!.map((s) => `"${s}"`).join(" ");
  return `${name}. IN TXT ${strings}\n`;
}

Deno.test({
  name:
    "the .run package builds reproducibly, installs, runs queue mode as nobody, switches, uninstalls",
  ignore: !isRoot,
  sanitizeResources: false,
  async fn(t) {
    // A 0755 base, so that nobody can reach the installed tree.
    const base = await Deno.makeTempDir({ prefix: "dk-package-test-" });
    await Deno.chmod(base, 0o755);
    try {
      const [a, b, c] = await Promise.all([
        build(`${base}/a`),
        build(`${base}/b`),
        build(`${base}/c`, "99990101-newer"),
      ]);
      const bytesA = await Deno.readFile(a);

      await t.step("built twice: the same bytes", async () => {
        const bytesB = await Deno.readFile(b);
        assertEquals(a.split("/").pop(), b.split("/").pop());
        assertEquals(bytesA.length, bytesB.length);
        assert(
          bytesA.every((x, i) => x === bytesB[i]),
          "the two builds differ",
        );
      });

      const tools = await toolsDir(`${base}/tools`);
      const env = { PATH: tools };
      const noNode = await exec([
        "sh",
        "-c",
        "command -v node || command -v npm || command -v deno",
      ], env);
      assert(noNode.code !== 0, `PATH has ${noNode.out}`);

      await t.step("the archive: what dk runs, owner 0, mtime 0", async () => {
        const listed = await exec(["sh", a, "--list"], env);
        assertEquals(listed.code, 0, listed.err);
        const lines = listed.out.trim().split("\n");
        const files = lines.filter((l) => !l.startsWith("d")).map((l) =>
          l.split(/\s+/).pop()!
        ).sort();
        const expected = [
          ...await sourceModules(),
          "README.md",
          "VERSION",
          "node_modules/@deno/linux-x64-glibc/deno",
          "scripts/dk",
          "scripts/lab.ts",
          "scripts/prepare.ts",
          "wasm/dk_core.wasm",
        ];
        const esbuild = files.filter((f) => f.startsWith(".deno-cache/"));
        assertEquals(esbuild.length, 1, esbuild.join(" "));
        assert(/^\.deno-cache\/dl\/esbuild-[^/]+\/esbuild-linux-x64$/.test(
          esbuild[0],
        ));
        assertEquals(files, [...esbuild, ...expected].sort());
        for (const line of lines) {
          assert(/ 0\/0 /.test(line) && / 1970-01-01 /.test(line), line);
        }
        // One pass over the unpacked stream: the build path must not be in
        // it, and a marker of dk's sources must (so the pipe did run).
        const found = await exec([
          "sh",
          "-c",
          'tail -n "+$(sed -n "s/^PAYLOAD_LINE=//p" "$1")" "$1" | gzip -dc | grep -o -aF -e "$2" -e "$3" | sort | uniq -c',
          "_",
          a,
          ROOT,
          "@@DK_QUEUE_MANIFEST@@",
        ], { PATH: "/usr/bin:/bin" });
        assert(
          /^\d+ @@DK_QUEUE_MANIFEST@@$/.test(found.out.trim()),
          `the build path is in the archive, or it cannot be read: ${found.out}`,
        );
      });

      const opt = `${base}/opt`;
      await Deno.mkdir(opt);
      const before = await snapshot(opt);
      const dir = `${opt}/dk`;
      const versionA = (await exec([
        "sh",
        "-c",
        `sed -n "s/^VERSION='\\(.*\\)'$/\\1/p" "$1"`,
        "_",
        a,
      ], {
        PATH: "/usr/bin:/bin",
      })).out.trim();
      assert(versionA.length > 0);

      await t.step("a damaged or truncated .run file is refused", async () => {
        for (
          const [name, bytes] of [
            ["truncated", bytesA.slice(0, bytesA.length - 4096)],
            [
              "flipped",
              bytesA.map((x, i) => i === bytesA.length - 100000 ? x ^ 1 : x),
            ],
          ] as const
        ) {
          const file = `${base}/${name}.run`;
          await Deno.writeFile(file, bytes);
          const r = await exec(["sh", file, "--install", dir], env);
          assertEquals(r.code, 1, name);
          assertEquals(r.err.trim().split("\n").length, 1, r.err);
          assert(r.err.includes("damaged"), r.err);
          assertEquals(await snapshot(opt), before);
        }
      });

      await t.step(
        "a folder holding other files, or an unknown user, is refused",
        async () => {
          const other = `${opt}/other`;
          await Deno.mkdir(other);
          await Deno.writeTextFile(`${other}/keep`, "mine\n");
          const r = await exec(["sh", a, "--install", other], env);
          assertEquals(r.code, 1);
          assert(r.err.includes("holds no dk install"), r.err);
          assertEquals(await Deno.readTextFile(`${other}/keep`), "mine\n");
          await Deno.remove(other, { recursive: true });
          const noUser = await exec(
            ["sh", a, "--install", dir, "--user", "no-such-user-dk"],
            env,
          );
          assertEquals(noUser.code, 1);
          assert(noUser.err.includes("no such user"), noUser.err);
          assertEquals(await snapshot(opt), before);
        },
      );

      await t.step(
        "a tree the mail user cannot read fails its self-test and leaves nothing",
        async () => {
          // Root can write here, nobody cannot enter: prepare (as root) works,
          // the self-test as nobody must not.
          const closed = `${base}/closed`;
          await Deno.mkdir(closed, { mode: 0o700 });
          await Deno.chmod(closed, 0o700);
          const r = await exec(
            ["sh", a, "--install", `${closed}/dk`, "--user", "nobody"],
            env,
          );
          assertEquals(r.code, 1, r.out);
          assert(r.err.includes("queue mode does not work as nobody"), r.err);
          assertEquals(await snapshot(closed), []);
        },
      );

      const installed = await exec(
        ["sh", a, "--install", dir, "--user", "nobody"],
        env,
      );
      assertEquals(installed.code, 0, installed.err);
      const releaseA = `${dir}/${await Deno.readLink(`${dir}/current`)}`;

      await t.step(
        "--install: the launcher, a prepared read-only tree, the two lines",
        async () => {
          assertEquals(installed.err, "");
          assert(installed.out.includes(`ln -s ${dir}/bin/dk qmail-queue`));
          assert(
            installed.out.includes(
              `ln -s ${dir}/bin/dk /var/qmail/bin/qmail-dk`,
            ),
          );
          assert(installed.out.includes('QMAILQUEUE="bin/qmail-dk"'));
          assertEquals(
            await Deno.readLink(`${dir}/bin/dk`),
            "../current/scripts/dk",
          );
          assertEquals(
            (await Deno.readTextFile(`${releaseA}/VERSION`)).trim(),
            versionA,
          );
          assert((await Deno.stat(`${releaseA}/dist/queue.js`)).isFile);
          assert((await Deno.stat(`${releaseA}/.deno-cache`)).isDirectory);
          for (const line of await snapshot(releaseA)) {
            const [path, mode, uid] = line.split(" ");
            assertEquals(uid, "0", path);
            if (!line.includes(" -> ")) {
              assertEquals(
                parseInt(mode, 8) & 0o022,
                0,
                `${path} is writable by others`,
              );
              assertEquals(
                parseInt(mode, 8) & 0o004,
                0o004,
                `${path} is not readable by others`,
              );
            }
          }
        },
      );

      const keys = `${base}/keys`;
      await Deno.mkdir(keys);
      const key = await generateRsaKey(keys, "sel", 2048);
      await Deno.chmod(key.file, 0o644);
      const zone = `${base}/zone`;
      await Deno.writeTextFile(
        zone,
        zoneLine("sel._domainkey.example.com", key.spki),
      );
      const qmailBin = `${base}/qmail/bin`;
      await Deno.mkdir(qmailBin, { recursive: true });
      const qmailDk = `${qmailBin}/qmail-dk`;
      await Deno.symlink(`${dir}/bin/dk`, qmailDk);

      await t.step(
        "queue mode as nobody through qmail-dk: sign, then verify",
        async () => {
          const tree = await snapshot(releaseA);
          const signing = await runQueue({
            message: message("Someone <someone@example.com>"),
            argv: [qmailDk],
            prefix: NOBODY,
            env: { PATH: tools, RELAYCLIENT: "", DKSIGN: key.file },
          });
          const signed = signing.queued;
          await cleanup(signing.dir);
          assertEquals([signing.code, signing.stderr], [0, ""]);
          assert(signed !== null);
          assert(decoder.decode(signed).startsWith("DomainKey-Signature:"));
          const verifying = await runQueue({
            message: signed,
            argv: [qmailDk],
            prefix: NOBODY,
            env: { PATH: tools, DKVERIFY: "", DK_ZONE: zone },
          });
          const queuedEnv = await recorded(verifying, "env");
          await cleanup(verifying.dir);
          assertEquals([verifying.code, verifying.stderr], [0, ""]);
          assert(
            decoder.decode(verifying.queued!).startsWith(
              "DomainKey-Status: good",
            ),
          );
          // The installed tree ran (its Deno cache), not this checkout.
          assert(
            queuedEnv?.includes(`DENO_DIR=${releaseA}/.deno-cache\n`),
            queuedEnv ?? "",
          );
          const file = `${base}/signed.eml`;
          await Deno.writeFile(file, signed, { mode: 0o644 });
          const verify = await exec(
            [...NOBODY, `${dir}/bin/dk`, "verify", "--zone", zone, file],
            { ...env, HOME: "/" },
          );
          assertEquals(verify.code, 0, verify.out + verify.err);
          assertEquals(await snapshot(releaseA), tree);
        },
      );

      await t.step(
        "dk demo runs from the installed tree as nobody",
        async () => {
          const demo = await exec([...NOBODY, `${dir}/bin/dk`, "demo"], {
            ...env,
            HOME: "/",
          });
          assertEquals(demo.code, 0, demo.out + demo.err);
          assert(demo.out.includes("every step gave the expected result"));
        },
      );

      await t.step(
        "a second --install switches current at once, prepared",
        async () => {
          const seen = new Set<string>();
          let installing = true;
          const watching = (async () => {
            while (installing) {
              try {
                const v = (await Deno.readTextFile(`${dir}/current/VERSION`))
                  .trim();
                await Deno.stat(`${dir}/current/dist/queue.js`);
                seen.add(v);
              } catch (e) {
                seen.add(`error: ${e}`);
              }
              await new Promise((r) => setTimeout(r, 2));
            }
          })();
          const second = await exec(
            ["sh", c, "--install", dir, "--user", "nobody"],
            { ...env, DK_QMAIL_HOME: `${base}/qmail` },
          );
          installing = false;
          await watching;
          assertEquals(second.code, 0, second.err);
          // qmail-dk links to the launcher already: no lines to run again.
          assert(
            second.out.includes(
              `Already in place: ${qmailDk} -> ${dir}/bin/dk`,
            ),
            second.out,
          );
          assert(!second.out.includes("mv qmail-queue"), second.out);
          assertEquals(
            [...seen].filter((v) => v !== versionA && v !== "99990101-newer"),
            [],
          );
          const releaseC = `${dir}/${await Deno.readLink(`${dir}/current`)}`;
          assert(releaseC !== releaseA);
          assertEquals(
            (await Deno.readTextFile(`${releaseC}/VERSION`)).trim(),
            "99990101-newer",
          );
          assertEquals(
            await Deno.readLink(`${dir}/bin/dk`),
            "../current/scripts/dk",
          );
          // The release it replaced stays for queue runs still in it.
          assert((await Deno.stat(`${releaseA}/scripts/dk`)).isFile);
          assertEquals(
            (await Array.fromAsync(Deno.readDir(`${dir}/releases`))).length,
            2,
          );
        },
      );

      await t.step("--uninstall leaves the root as it was", async () => {
        const env2 = { ...env, DK_QMAIL_HOME: `${base}/qmail` };
        const refused = await exec(["sh", c, "--uninstall", dir], env2);
        assertEquals(refused.code, 1);
        assert(refused.err.includes("still points at"), refused.err);
        await Deno.remove(qmailDk);
        const removed = await exec(["sh", c, "--uninstall", dir], env2);
        assertEquals(removed.code, 0, removed.err);
        assertEquals(await snapshot(opt), before);
      });
    } finally {
      await Deno.remove(base, { recursive: true });
    }
  },
});
