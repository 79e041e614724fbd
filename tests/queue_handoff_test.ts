/**
 * `dk queue` as a whole program, the qmail-queue side: envelope and message
 * handed over byte for byte, exit codes passed through, a missing or crashing
 * queue program, the qmail home, the default program by argv[0], refusing to
 * run itself, the deadline, and the custom-error channel on a real pipe.
 */
import {
  deepStrictEqual as assertEquals,
  ok as assert,
} from "node:assert/strict";
import { DK, ROOT } from "./helpers/mail_dkim.ts";
import {
  cleanup,
  ENVELOPE,
  FAKE_QUEUE,
  message,
  recorded,
  runQueue,
  workDir,
} from "./helpers/queue_run.ts";
import { QUEUE_EXIT } from "../core/status.ts";
import { createHash } from "node:crypto";

const MSG = message("Someone <someone@example.com>");
/** Sign mode with `%` and no key: the message goes through the spool unsigned. */
const SPOOLED = { RELAYCLIENT: "", DKSIGN: "/nonexistent/%/private" };

Deno.test("dk queue passes message and envelope on byte for byte (no mode)", async () => {
  const o = await runQueue({ message: MSG });
  try {
    assertEquals(o.code, 0);
    assertEquals(o.stderr, "");
    assertEquals(o.queued, MSG);
    assertEquals(o.envelope, ENVELOPE);
    assertEquals((await recorded(o, "argv"))!.split("\n")[0], FAKE_QUEUE);
    assertEquals(
      (await recorded(o, "cwd"))!.trim(),
      await Deno.realPath(o.dir),
    );
  } finally {
    await cleanup(o.dir);
  }
});

Deno.test("dk queue passes message and envelope on byte for byte (spooled)", async () => {
  const o = await runQueue({ message: MSG, env: SPOOLED });
  try {
    assertEquals([o.code, o.stderr], [0, ""]);
    assertEquals(o.queued, MSG);
    assertEquals(o.envelope, ENVELOPE);
  } finally {
    await cleanup(o.dir);
  }
});

Deno.test("dk queue exits with the queue program's code (0, 11, 31, 71, 81)", async () => {
  for (const env of [{}, SPOOLED]) {
    for (const code of [0, 11, 31, 71, 81]) {
      const o = await runQueue({
        message: MSG,
        env: { ...env, FAKE_QUEUE_EXIT: String(code) },
      });
      await cleanup(o.dir);
      assertEquals(
        [o.code, o.stderr],
        [code, ""],
        `${code} ${JSON.stringify(env)}`,
      );
    }
  }
});

Deno.test("dk queue gives 120 for a missing queue program, 57 for one killed by a signal", async () => {
  for (const env of [{}, SPOOLED]) {
    const missing = await runQueue({
      message: MSG,
      env: { ...env, DKQUEUE: "/nonexistent/qq" },
    });
    const killed = await runQueue({
      message: MSG,
      env: { ...env, FAKE_QUEUE_MODE: "signal" },
    });
    await cleanup(missing.dir, killed.dir);
    assertEquals([missing.code, missing.stderr], [QUEUE_EXIT.execFailed, ""]);
    assertEquals([killed.code, killed.stderr], [QUEUE_EXIT.queueCrashed, ""]);
  }
});

Deno.test("dk queue takes the code of a queue program that stops reading", async () => {
  const big = new Uint8Array(4 << 20).fill(0x61);
  const msg = new Uint8Array([...message("a@example.com", "", ""), ...big]);
  const o = await runQueue({
    message: msg,
    env: { ...SPOOLED, FAKE_QUEUE_MODE: "noread", FAKE_QUEUE_EXIT: "71" },
  });
  await cleanup(o.dir);
  assertEquals([o.code, o.stderr], [71, ""]);
});

Deno.test("dk queue gives 61 when the qmail home is missing", async () => {
  const o = await runQueue({
    message: MSG,
    env: { DK_QMAIL_HOME: "/nonexistent/qmail" },
  });
  await cleanup(o.dir);
  assertEquals([o.code, o.stderr, o.queued], [QUEUE_EXIT.homeError, "", null]);
});

Deno.test("dk queue refuses to run itself (81)", async () => {
  const dir = await workDir();
  try {
    await Deno.symlink(DK, `${dir}/qmail-queue`);
    for (
      const dkqueue of [
        DK,
        `${dir}/qmail-queue`,
        `${ROOT}/main.ts`,
        Deno.execPath(),
      ]
    ) {
      for (const env of [{}, SPOOLED]) {
        const o = await runQueue({
          message: MSG,
          env: { ...env, DKQUEUE: dkqueue },
        });
        await cleanup(o.dir);
        assertEquals([o.code, o.stderr], [QUEUE_EXIT.internalBug, ""], dkqueue);
      }
    }
    // Through a wrapper script it is caught by the nesting limit.
    await Deno.writeTextFile(
      `${dir}/wrapper`,
      `#!/bin/sh\nexec "${DK}" queue\n`,
    );
    await Deno.chmod(`${dir}/wrapper`, 0o755);
    const o = await runQueue({
      message: MSG,
      env: { DKQUEUE: `${dir}/wrapper` },
    });
    await cleanup(o.dir);
    assertEquals([o.code, o.stderr], [QUEUE_EXIT.internalBug, ""]);
  } finally {
    await cleanup(dir);
  }
});

Deno.test("dk queue through a qmail-dk link runs bin/qmail-queue, as qmail-queue bin/qmail-queue.orig", async () => {
  const dir = await workDir();
  try {
    await Deno.symlink(DK, `${dir}/qmail-dk`);
    await Deno.symlink(DK, `${dir}/qmail-queue`);
    for (
      const [name, program] of [["qmail-dk", "qmail-queue"], [
        "qmail-queue",
        "qmail-queue.orig",
      ]]
    ) {
      const home = await workDir();
      await Deno.mkdir(`${home}/bin`);
      await Deno.symlink(FAKE_QUEUE, `${home}/bin/${program}`);
      const o = await runQueue({
        message: MSG,
        argv: [`${dir}/${name}`],
        env: { DKQUEUE: "", DK_QMAIL_HOME: home, FAKE_QUEUE_EXIT: "0" },
      });
      try {
        assertEquals([o.code, o.stderr], [0, ""], name);
        assertEquals(o.queued, MSG);
        assertEquals(o.envelope, ENVELOPE);
        assertEquals(
          (await recorded(o, "argv"))!.split("\n")[0],
          `${home}/bin/${program}`,
        );
        assert(!(await recorded(o, "env"))!.includes("DK_ARGV0="));
      } finally {
        await cleanup(o.dir, home);
      }
    }
  } finally {
    await cleanup(dir);
  }
});

Deno.test("dk queue ends with 52 at its deadline and nothing is queued", async () => {
  const o = await runQueue({
    message: MSG,
    env: { ...SPOOLED, DK_QUEUE_TIMEOUT: "1", FAKE_QUEUE_MODE: "slow" },
    timeoutMs: 20_000,
  });
  await cleanup(o.dir);
  assertEquals([o.code, o.stderr, o.queued], [QUEUE_EXIT.timeout, "", null]);
  assert(o.ms < 10_000, `took ${o.ms} ms`);
});

Deno.test("dk queue writes a rejection's text on a pipe at fd 6, 4 or $ERROR_FD, and exits 82", async () => {
  const noFrom = new TextEncoder().encode(
    "To: a@example.org\nSubject: x\n\nbody\n",
  );
  const env = { RELAYCLIENT: "", DKSIGN: "/nonexistent/%/private" };
  const want =
    "DDomainKeys cannot sign: no usable From or Sender address (#5.3.0)";
  for (
    const [fd, extra] of [[6, {}], [4, {}], [9, { ERROR_FD: "9" }]] as const
  ) {
    const o = await runQueue({
      message: noFrom,
      env: { ...env, ...extra },
      channelFd: fd,
    });
    await cleanup(o.dir);
    assertEquals(
      [o.code, o.stderr, o.channel, o.queued],
      [82, "", want, null],
      `fd ${fd}`,
    );
  }
});

Deno.test("dk queue uses the plain exit code without a pipe at fd 6 or 4", async () => {
  const noFrom = new TextEncoder().encode(
    "To: a@example.org\nSubject: x\n\nbody\n",
  );
  const env = { RELAYCLIENT: "", DKSIGN: "/nonexistent/%/private" };
  const closed = await runQueue({ message: noFrom, env });
  const file = await runQueue({ message: noFrom, env, fileAtFd: 6 });
  await cleanup(closed.dir, file.dir);
  assertEquals([closed.code, closed.stderr, closed.queued], [31, "", null]);
  assertEquals([file.code, file.stderr, file.channel, file.queued], [
    31,
    "",
    "",
    null,
  ]);
});

Deno.test("dk queue hands a 30 MB message over intact", async () => {
  const dir = await workDir();
  try {
    const file = `${dir}/big`;
    const head = message("a@example.com", "", "");
    const line = new TextEncoder().encode(
      "0123456789".repeat(7) + "abcdefghi\n",
    );
    const f = await Deno.open(file, { write: true, create: true });
    await f.write(head);
    const block = new Uint8Array(line.length * 1000);
    for (let i = 0; i < 1000; i++) block.set(line, i * line.length);
    for (let written = 0; written < 30 << 20; written += block.length) {
      await f.write(block);
    }
    f.close();
    const want = sha256(await Deno.readFile(file));
    for (const env of [{}, SPOOLED]) {
      const o = await runQueue({ message: { file }, env });
      try {
        assertEquals([o.code, o.stderr], [0, ""]);
        assertEquals(sha256(o.queued!), want);
      } finally {
        await cleanup(o.dir);
      }
    }
  } finally {
    await cleanup(dir);
  }
});

function sha256(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}
