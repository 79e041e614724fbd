/**
 * Queue mode as the mail user: qmail-smtpd runs the queue program as an
 * unprivileged user (qmaild, vchkpw) whose home is not writable. This runs
 * the other queue tests again as `nobody` (setpriv), with dk's transpile
 * cache prepared by root beforehand and not writable by nobody, so dk must
 * work without writing anything but its spool file. Needs root to switch
 * users; ignored otherwise.
 */
import { assertEquals } from "./helpers/assert.ts";
import { DK, ROOT, run } from "./helpers/mail_dkim.ts";

const isRoot = Deno.uid() === 0;

Deno.test({
  name: "the queue tests pass as nobody, with the prepared cache read-only",
  ignore: !isRoot,
  async fn() {
    const prepared = await run(DK, ["--prepare"], { timeoutMs: 120_000 });
    assertEquals(prepared.code, 0, prepared.stderrText);
    // The test runner itself needs a cache of its own that nobody can write.
    const runnerCache = await Deno.makeTempDir({ prefix: "dk-nobody-deno-" });
    await Deno.chown(runnerCache, 65534, 65534);
    try {
      const r = await run("setpriv", [
        "--reuid=nobody",
        "--regid=nogroup",
        "--clear-groups",
        "env",
        `HOME=${runnerCache}`,
        `DENO_DIR=${runnerCache}`,
        `PATH=${Deno.env.get("PATH") ?? "/usr/bin:/bin"}:/usr/sbin:/sbin`,
        Deno.execPath(),
        "test",
        "--quiet",
        "--no-check",
        "-A",
        `${ROOT}/core/queue/`,
        `${ROOT}/tests/queue_handoff_test.ts`,
        `${ROOT}/tests/queue_sign_test.ts`,
        `${ROOT}/tests/queue_verify_test.ts`,
        `${ROOT}/tests/queue_dkim_test.ts`,
        `${ROOT}/tests/smtp_e2e_test.ts`,
      ], { timeoutMs: 300_000, cwd: "/" });
      assertEquals(
        r.code,
        0,
        r.stdoutText.slice(-4000) + r.stderrText.slice(-4000),
      );
    } finally {
      await Deno.remove(runnerCache, { recursive: true });
    }
  },
});
