/**
 * The launcher's queue-mode permissions: `scripts/dk` lets Deno run only the
 * queue program and write only the spool directory and /dev/fd, so it finds
 * both in `sh` before Deno starts. These tests run a copy of the launcher
 * with a stand-in `deno` that prints its arguments, and check, over a grid of
 * environments and names, that it names exactly the program that
 * `core/queue/plan.ts` will run and the directory `spool.ts` will write.
 */
import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { planQueue } from "../core/queue/plan.ts";
import { programPath } from "../core/queue/handoff.ts";
import { tempDir } from "../core/queue/spool.ts";
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
  for (const name of ["qmail-queue", "qmail-dk"]) {
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

Deno.test("queue mode may run only the queue program plan.ts picks, and write only the spool directory", async () => {
  const dir = await workDir();
  try {
    const dk = await fakeTree(dir);
    const envs: Record<string, string>[] = [
      {},
      { DKQUEUE: "/opt/queue/qq" },
      { DKQUEUE: "bin/qq", DK_QMAIL_HOME: "/home/q" },
      { DKQUEUE: "", DK_QMAIL_HOME: "" },
      { DK_QMAIL_HOME: "/var/qmail2", TMPDIR: "/var/tmp" },
      { TMPDIR: "relative/tmp" },
      { TMPDIR: "" },
    ];
    const invocations: [string[], string][] = [
      [[dk, "queue"], dk],
      [[`${dir}/qmail-queue`], `${dir}/qmail-queue`],
      [[`${dir}/qmail-dk`], `${dir}/qmail-dk`],
    ];
    for (const env of envs) {
      for (const [argv, argv0] of invocations) {
        const args = await launched(argv, env);
        const lookup = (name: string) => env[name];
        const plan = planQueue(lookup, argv0);
        const where = JSON.stringify({ argv0, env });
        assertEquals(
          args.filter((a) => /^--allow-(run|write|all)\b/.test(a)),
          [
            `--allow-run=${programPath(plan.program, plan.home)}`,
            `--allow-write=${tempDir(env.TMPDIR)},/dev/fd`,
          ],
          where,
        );
      }
    }
  } finally {
    await cleanup(dir);
  }
});

Deno.test("a comma in DKQUEUE or TMPDIR, which Deno would split, ends queue mode with 81 before Deno starts", async () => {
  const dir = await workDir();
  try {
    const dk = await fakeTree(dir);
    const envs: Record<string, string>[] = [
      { DKQUEUE: "/q/qq,/bin/sh" },
      { TMPDIR: "/tmp/a,/etc" },
    ];
    for (const env of envs) {
      const r = await runWith([dk, "queue"], env);
      assertEquals([r.code, r.stdoutText, r.stderrText], [81, "", ""]);
    }
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
