/**
 * `dk queue` as a whole program, the qmail-queue side: envelope and message
 * handed over byte for byte, exit codes passed through, a missing or crashing
 * queue program, the qmail home, the default program by argv[0], refusing to
 * run itself, the deadline, the custom-error channel on a real pipe; the
 * envelope checked and held back until the whole message is over, so that
 * no death of dk (a signal, SIGKILL) lets the queue program commit; the
 * environment passed on byte for byte, the loader's variables dropped.
 */
import { assert, assertEquals } from "./helpers/assert.ts";
import { DK, ROOT } from "./helpers/mail_dkim.ts";
import {
  cleanup,
  ENVELOPE,
  FAKE_QUEUE,
  message,
  queueEnded,
  type QueueOutcome,
  type QueueRun,
  recorded,
  runQueue,
  waitForFile,
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
  // The queue program would read everything and commit after 3 s; dk's
  // deadline (1 s) comes while it waits to write the rest of the message.
  const o = await runQueue({
    message: bigMessage(2 << 20),
    env: {
      ...SPOOLED,
      DK_QUEUE_TIMEOUT: "1",
      FAKE_QUEUE_MODE: "slowread",
      FAKE_QUEUE_SLEEP: "3",
    },
    timeoutMs: 20_000,
  });
  try {
    assertEquals([o.code, o.stderr], [QUEUE_EXIT.timeout, ""]);
    assert(o.ms < 10_000, `took ${o.ms} ms`);
    assert(await queueEnded(o), "the queue program is still running");
    assertEquals(await recorded(o, "message"), null);
    assert(await recorded(o, "complete") !== "yes\n");
  } finally {
    await cleanup(o.dir);
  }
});

/** A message of about `size` bytes (LF line ends, a From for signing). */
function bigMessage(size: number): Uint8Array {
  const head = message("a@example.com", "", "");
  const line = "0123456789".repeat(7) + "abcdefghi\n";
  const body = new TextEncoder().encode(line.repeat(Math.ceil(size / 80)));
  const all = new Uint8Array(head.length + body.length);
  all.set(head);
  all.set(body, head.length);
  return all;
}

/** The three ways through dk: pass, sign (spooled, unsigned), verify. */
const MODES: Record<string, Record<string, string>> = {
  pass: {},
  sign: SPOOLED,
  verify: { DKVERIFY: "", DK_DNS: "127.0.0.1:1", DK_DNS_TIMEOUT: "1" },
};

/**
 * Runs dk on `r` with a queue program that sleeps a while before reading
 * and sends `signal` to dk (its parent) as soon as it has started, that is
 * while dk is handing over a message bigger than the pipe can hold.
 */
async function killedDuringHandoff(
  r: QueueRun,
  signal: Deno.Signal,
): Promise<QueueOutcome> {
  let dir = "";
  const running = runQueue({
    ...r,
    env: { ...r.env, FAKE_QUEUE_MODE: "slowread", FAKE_QUEUE_SLEEP: "1" },
    onDir: (d) => dir = d,
  });
  while (dir === "") await new Promise((r) => setTimeout(r, 10));
  const ppid = await waitForFile(`${dir}/queue/ppid`);
  assert(ppid !== null, "the queue program did not start");
  Deno.kill(Number(ppid), signal);
  const o = await running;
  assert(await queueEnded(o), "the queue program is still running");
  return o;
}

Deno.test("dk killed by SIGTERM or SIGKILL while handing a message over: nothing is committed", async () => {
  const big = bigMessage(6 << 20);
  const wrong: string[] = [];
  const ways = [
    ...Object.entries(MODES).map(([mode, env]) => ({ mode, env, file: false })),
    { mode: "sign, envelope in a file", env: MODES.sign, file: true },
  ];
  for (const { mode, env, file } of ways) {
    for (const signal of ["SIGTERM", "SIGKILL"] as const) {
      const o = await killedDuringHandoff(
        { message: big, env, envelopeFile: file },
        signal,
      );
      try {
        // The queue program either was killed before it read anything or
        // met the end of its envelope pipe before the final NUL.
        const got = await recorded(o, "message") ??
          await recorded(o, "message.tmp");
        const seen = {
          committed: await recorded(o, "message") !== null,
          complete: await recorded(o, "complete") === "yes\n",
          whole: got !== null && got.length === big.length,
          code: signal === "SIGTERM" ? o.code : QUEUE_EXIT.signalled,
          // (bash reports a SIGKILL on its stderr)
          stderr: signal === "SIGTERM" ? o.stderr : "",
        };
        const want = {
          committed: false,
          complete: false,
          whole: false,
          code: QUEUE_EXIT.signalled,
          stderr: "",
        };
        if (JSON.stringify(seen) !== JSON.stringify(want)) {
          wrong.push(`${mode}, ${signal}: ${JSON.stringify(seen)}`);
        }
      } finally {
        await cleanup(o.dir);
      }
    }
  }
  assertEquals(wrong, []);
});

Deno.test("dk queue with SIGTERM, SIGHUP or SIGINT before the handoff exits 81", async () => {
  // dk waits for the rest of a message that does not come: the queue
  // program never starts.
  for (const signal of ["SIGTERM", "SIGHUP", "SIGINT"] as const) {
    const dir = await workDir();
    try {
      const child = new Deno.Command("bash", {
        args: [
          "-c",
          'exec 3< <(printf "Fa\\0\\0"); ' +
          'exec "$0" queue 1<&3 3<&- < <(exec sleep 10 2>/dev/null)',
          DK,
        ],
        clearEnv: true,
        env: {
          PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
          HOME: dir,
          DKQUEUE: FAKE_QUEUE,
          DK_QMAIL_HOME: dir,
          FAKE_QUEUE_DIR: dir,
        },
        stdout: "null",
        stderr: "piped",
      }).spawn();
      // The launcher execs Deno: wait until that happened, then a little.
      let comm = "";
      for (let i = 0; i < 500 && comm !== "deno"; i++) {
        await new Promise((r) => setTimeout(r, 20));
        comm = (await Deno.readTextFile(`/proc/${child.pid}/comm`)).trim();
      }
      assertEquals(comm, "deno");
      await new Promise((r) => setTimeout(r, 1000));
      Deno.kill(child.pid, signal);
      const out = await child.output();
      assertEquals(
        [out.code, new TextDecoder().decode(out.stderr)],
        [QUEUE_EXIT.signalled, ""],
        signal,
      );
    } finally {
      await cleanup(dir);
    }
  }
});

Deno.test("dk queue takes an envelope in a file (as simscan hands it on) through a pipe of its own", async () => {
  for (const env of Object.values(MODES)) {
    const o = await runQueue({ message: MSG, env, envelopeFile: true });
    const empty = await runQueue({
      message: MSG,
      env,
      envelopeFile: true,
      envelope: new Uint8Array(),
    });
    await cleanup(o.dir, empty.dir);
    assertEquals([o.code, o.stderr, o.envelope], [0, "", ENVELOPE]);
    // (verify mode puts its DomainKey-Status line on top)
    assertEquals(o.queued?.subarray(o.queued.length - MSG.length), MSG);
    assertEquals(
      [empty.code, empty.stderr, empty.queued],
      [QUEUE_EXIT.readError, "", null],
    );
  }
});

Deno.test("dk queue checks the envelope as qmail-queue does: 91, 11, 54; a bounce passes", async () => {
  const e = (s: string) => new TextEncoder().encode(s);
  const long = "a".repeat(1003);
  const cases: [string, number][] = [
    ["F\0\0", 0],
    ["F\0Tb@example.org\0\0", 0],
    ["Xa\0Tb\0\0", QUEUE_EXIT.envelopeFormat],
    ["Fa\0Xb\0\0", QUEUE_EXIT.envelopeFormat],
    [`Fa\0T${long}\0\0`, QUEUE_EXIT.addressTooLong],
    ["Fa\0Tb\0", QUEUE_EXIT.readError],
    ["", QUEUE_EXIT.readError],
  ];
  for (const env of Object.values(MODES)) {
    for (const [envelope, want] of cases) {
      const o = await runQueue({ message: MSG, env, envelope: e(envelope) });
      await cleanup(o.dir);
      const what = JSON.stringify([envelope.slice(0, 20), env]);
      assertEquals([o.code, o.stderr], [want, ""], what);
      assertEquals(o.envelope, want === 0 ? e(envelope) : null, what);
    }
  }
});

Deno.test("dk queue drops LD_* (even empty) from the queue program's environment and queues", async () => {
  for (const env of Object.values(MODES)) {
    const o = await runQueue({
      message: MSG,
      env: {
        ...env,
        LD_PRELOAD: "",
        LD_LIBRARY_PATH: "/nonexistent/dk-test",
      },
    });
    try {
      assertEquals([o.code, o.stderr], [0, ""], JSON.stringify(env));
      assertEquals(o.queued !== null, true);
      const seen = (await recorded(o, "env"))!;
      assert(!/^(LD_|DYLD_)/m.test(seen), seen);
    } finally {
      await cleanup(o.dir);
    }
  }
});

Deno.test("dk queue passes a value that is not UTF-8 on byte for byte (pass, verify)", async () => {
  for (const mode of ["pass", "verify"]) {
    const o = await runQueue({
      message: MSG,
      env: MODES[mode],
      rawEnv: { DK_TEST_LATIN1: "caf\\xe9 cr\\xe8me" },
    });
    try {
      assertEquals([o.code, o.stderr], [0, ""], mode);
      const seen = await Deno.readFile(`${o.dir}/queue/env`);
      const want = new Uint8Array([
        ...new TextEncoder().encode("\nDK_TEST_LATIN1=caf"),
        0xe9,
        ...new TextEncoder().encode(" cr"),
        0xe8,
        ...new TextEncoder().encode("me\n"),
      ]);
      assert(indexOf(seen, want) >= 0, mode);
    } finally {
      await cleanup(o.dir);
    }
  }
});

function indexOf(haystack: Uint8Array, needle: Uint8Array): number {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) {
      if (haystack[i + j] !== needle[j]) continue outer;
    }
    return i;
  }
  return -1;
}

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
