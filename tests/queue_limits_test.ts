/**
 * What the launcher settles before Deno starts in queue mode: the memory
 * limits a qmail run script sets (`softlimit -m N` sets soft limits only,
 * which the launcher raises; a hard limit too low for Deno is exit 51 with
 * one line saying what to change) and the two descriptors qmail hands over
 * (a closed fd 0 or fd 1 is exit 54, never an empty message queued).
 */
import { assert, assertEquals } from "./helpers/assert.ts";
import dgram from "node:dgram";
import { answerTxtQuery } from "../core/dns/wire.ts";
import { CLI_EXIT, QUEUE_EXIT, RULES_EXIT } from "../core/status.ts";
import { generateRsaKey, keyRecord } from "./helpers/keys.ts";
import { ROOT, run } from "./helpers/mail_dkim.ts";
import {
  cleanup,
  ENVELOPE,
  message,
  runQueue,
  workDir,
} from "./helpers/queue_run.ts";

/** The launcher itself (these are its tests, whatever DK_UNDER_TEST says). */
const LAUNCHER = `${ROOT}/scripts/dk`;
const decoder = new TextDecoder();

/** A one-record DNS server on 127.0.0.1 (UDP) for the selector record. */
async function serveKey(name: string, record: string) {
  const strings = record.match(/.{1,255}/g)!;
  const zone = new Map([[name, [strings]]]);
  const udp = dgram.createSocket("udp4");
  await new Promise<void>((resolve, reject) => {
    udp.once("error", reject);
    udp.bind(0, "127.0.0.1", () => resolve());
  });
  udp.on(
    "message",
    (query: Uint8Array, from: { address: string; port: number }) => {
      const answer = answerTxtQuery(new Uint8Array(query), zone);
      if (answer) udp.send(answer, from.port, from.address);
    },
  );
  return {
    address: `127.0.0.1:${udp.address().port}`,
    close: () => new Promise<void>((resolve) => udp.close(() => resolve())),
  };
}

Deno.test("queue mode signs and verifies under softlimit -m, as qmail run scripts start it", async () => {
  const dir = await workDir();
  const key = await generateRsaKey(dir, "sel", 1024);
  await Deno.mkdir(`${dir}/keys/example.com`, { recursive: true });
  await Deno.rename(key.file, `${dir}/keys/example.com/sel`);
  await Deno.chmod(`${dir}/keys/example.com/sel`, 0o644); // for setpriv runs
  const dns = await serveKey("sel._domainkey.example.com", keyRecord(key.spki));
  const big = "Some body text, long enough to fill a line of mail.\n"
    .repeat(40_000); // 2 MB: spooled to a file
  try {
    // 64 MB, as run scripts set; 100 GB, whose stack limit (softlimit -m
    // sets it too) would leave Deno no room for its threads.
    for (const limit of ["64000000", "100000000000"]) {
      for (const body of ["Hello.\n", big]) {
        const prefix = ["softlimit", "-m", limit];
        const signed = await runQueue({
          message: message("alice@example.com", "", body),
          env: { RELAYCLIENT: "", DKSIGN: `${dir}/keys/%/sel` },
          argv: [LAUNCHER, "queue"],
          prefix,
        });
        await cleanup(signed.dir);
        assertEquals([signed.code, signed.stderr], [0, ""], limit);
        assertEquals(signed.envelope, ENVELOPE);
        const text = decoder.decode(signed.queued!);
        assert(text.startsWith("DomainKey-Signature: "), text.slice(0, 200));
        const verified = await runQueue({
          message: signed.queued!,
          env: { DKVERIFY: "B", DK_DNS: dns.address },
          argv: [LAUNCHER, "queue"],
          prefix,
        });
        await cleanup(verified.dir);
        assertEquals([verified.code, verified.stderr], [0, ""], limit);
        const first = decoder.decode(verified.queued!).split("\n")[0];
        assertEquals(first, "DomainKey-Status: good", limit);
      }
    }
  } finally {
    await dns.close();
    await cleanup(dir);
  }
});

Deno.test("a hard memory limit too low for Deno is 51 in queue mode, with one line saying what to change", async () => {
  const limits: [string[], string][] = [
    [["--as=64000000", "--data=64000000"], "ulimit -H -v"],
    [["--data=64000000"], "ulimit -H -d"],
  ];
  for (const [limit, named] of limits) {
    const o = await runQueue({
      message: message("alice@example.com"),
      env: { RELAYCLIENT: "", DKSIGN: "/nonexistent/%/sel" },
      argv: [LAUNCHER, "queue"],
      prefix: ["prlimit", ...limit], // soft and hard alike
    });
    await cleanup(o.dir);
    assertEquals([o.code, o.queued], [QUEUE_EXIT.outOfMemory, null], named);
    const lines = o.stderr.trimEnd().split("\n");
    assertEquals(lines.length, 1, o.stderr);
    assert(lines[0].startsWith("dk: ") && lines[0].includes(named), o.stderr);
  }
  // Called as qmail-dk, whatever its arguments say, it is queue mode.
  const dir = await workDir();
  try {
    await Deno.symlink(LAUNCHER, `${dir}/qmail-dk`);
    const o = await runQueue({
      message: message("alice@example.com"),
      argv: [`${dir}/qmail-dk`, "rules", "compile"],
      prefix: ["prlimit", "--as=64000000"],
    });
    await cleanup(o.dir);
    assertEquals([o.code, o.queued], [QUEUE_EXIT.outOfMemory, null]);
  } finally {
    await cleanup(dir);
  }
});

Deno.test("the other commands give the same line under a hard limit too low: 75, rules compile 111", async () => {
  const cases: [string[], number][] = [
    [["verify", "/dev/null"], CLI_EXIT.tempFail],
    [["keygen", "/nonexistent/k"], CLI_EXIT.tempFail],
    [["rules", "compile", "/nonexistent/tcp.smtp"], RULES_EXIT.ioError],
    [["rules", "check", "/nonexistent/tcp.smtp", "1.2.3.4"], CLI_EXIT.tempFail],
  ];
  for (const [args, code] of cases) {
    const r = await run("prlimit", ["--as=64000000", LAUNCHER, ...args]);
    assertEquals(r.code, code, args.join(" "));
    assertEquals(r.stdoutText, "");
    assert(/^dk: .*ulimit -H -v.*\n$/.test(r.stderrText), r.stderrText);
  }
});

Deno.test("queue mode with fd 0 or fd 1 closed is 54 and queues nothing", async () => {
  for (const close of ["<&-", ">&-"]) {
    const envs: Record<string, string>[] = [
      {},
      { RELAYCLIENT: "", DKSIGN: "/nonexistent/%/s" },
    ];
    for (const env of envs) {
      const o = await runQueue({
        message: message("alice@example.com"),
        env,
        // runQueue opens fd 0 and fd 1; this shell closes one of them.
        argv: ["sh", "-c", `exec "$0" queue ${close}`, LAUNCHER],
      });
      await cleanup(o.dir);
      assertEquals(
        [o.code, o.stderr, o.queued],
        [QUEUE_EXIT.readError, "", null],
        close,
      );
    }
  }
});
