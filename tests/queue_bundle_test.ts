/**
 * The queue bundle (`dist/queue.js`, built by `scripts/dk --prepare`): the
 * launcher runs it in queue mode while its sources are unchanged, and the
 * sources themselves once any of them changes or when there is no bundle.
 * Works on a copy of the tree, so that the copy's sources and bundle can be
 * edited to tell which of the two ran.
 */
import { assertEquals } from "./helpers/assert.ts";
import { ROOT, run } from "./helpers/mail_dkim.ts";
import { generateRsaKey } from "./helpers/keys.ts";
import {
  cleanup,
  message,
  type QueueOutcome,
  recorded,
  runQueue,
  workDir,
} from "./helpers/queue_run.ts";

/** A copy of what the launcher runs, sharing the repository's node_modules. */
async function copyTree(dir: string): Promise<void> {
  for (
    const part of [
      "main.ts",
      "core",
      "rules",
      "wasm/core_wasm.ts",
      "wasm/bench_wasm.ts",
    ]
  ) {
    const to = `${dir}/${part}`;
    await Deno.mkdir(to.slice(0, to.lastIndexOf("/")), { recursive: true });
    const r = await run("cp", ["-R", `${ROOT}/${part}`, to]);
    assertEquals(r.code, 0, r.stderrText);
  }
  await Deno.mkdir(`${dir}/scripts`);
  for (const file of ["dk", "prepare.ts", "lab.ts"]) {
    await Deno.copyFile(`${ROOT}/scripts/${file}`, `${dir}/scripts/${file}`);
  }
  await Deno.chmod(`${dir}/scripts/dk`, 0o755);
  await Deno.symlink(`${ROOT}/node_modules`, `${dir}/node_modules`);
}

/** Replaces the first `from` in `path` (it must be there). */
async function edit(path: string, from: string, to: string): Promise<void> {
  const text = await Deno.readTextFile(path);
  assertEquals(text.includes(from), true, `${from} in ${path}`);
  await Deno.writeTextFile(path, text.replace(from, to));
}

Deno.test("queue mode runs the bundle while its sources are unchanged, else the sources", async () => {
  const tree = await workDir();
  const cache = await workDir();
  try {
    await copyTree(tree);
    const dk = `${tree}/scripts/dk`;
    const env = { DK_DENO_DIR: cache };
    // Under a umask that would hide the bundle from the mail user.
    const prepared = await run(
      "sh",
      ["-c", 'umask 077 && exec "$0" --prepare', dk],
      {
        env: { ...env, PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin" },
        timeoutMs: 120_000,
      },
    );
    assertEquals(prepared.code, 0, prepared.stderrText);
    const bundle = `${tree}/dist/queue.js`;
    assertEquals((await Deno.stat(bundle)).mode! & 0o777, 0o644);
    assertEquals((await Deno.stat(`${tree}/dist`)).mode! & 0o777, 0o755);

    const header = async () => {
      const o: QueueOutcome = await runQueue({
        message: message("a@example.com"),
        env: { ...env, DKVERIFY: "" },
        argv: [dk, "queue"],
      });
      try {
        assertEquals([o.code, o.stderr], [0, ""]);
        return (await recorded(o, "message"))?.split("\n")[0];
      } finally {
        await cleanup(o.dir);
      }
    };
    assertEquals(await header(), "DomainKey-Status: no signature");

    // The launcher picks the bundle by the schemes a run uses (dkim.md 6.1):
    // DKIM alone runs queue-dkim.js, DKIM with DomainKeys queue-dual.js.
    const dkimOnly = `${tree}/dist/queue-dkim.js`;
    const dual = `${tree}/dist/queue-dual.js`;
    for (const file of [dkimOnly, dual]) {
      assertEquals((await Deno.stat(file)).mode! & 0o777, 0o644);
    }
    const dkimMarker = '"none", "no signature")';
    await edit(dkimOnly, dkimMarker, '"none", "no signature (dkim bundle)")');
    await edit(dual, dkimMarker, '"none", "no signature (dual bundle)")');
    const dkimStatus = async (vars: Record<string, string>) => {
      const o = await runQueue({
        message: message("a@example.com"),
        env: { ...env, DK_AUTHSERV_ID: "mx.example", ...vars },
        argv: [dk, "queue"],
      });
      try {
        assertEquals([o.code, o.stderr], [0, ""]);
        const text = await recorded(o, "message") ?? "";
        return /^DKIM-Status: (.*)$/m.exec(text)?.[1];
      } finally {
        await cleanup(o.dir);
      }
    };
    assertEquals(
      await dkimStatus({ DKIMVERIFY: "" }),
      "no signature (dkim bundle)",
    );
    assertEquals(
      await dkimStatus({ DKIMVERIFY: "", DKVERIFY: "" }),
      "no signature (dual bundle)",
    );

    // An edit inside the bundle shows when the bundle runs: its manifest
    // still matches the sources.
    await edit(bundle, '"no signature"', '"no signature (bundle)"');
    assertEquals(await header(), "DomainKey-Status: no signature (bundle)");

    // Once a source changes, the sources run, not the stale bundle: both
    // the verifying and the signing code load from them.
    await edit(
      `${tree}/core/status.ts`,
      'word: "no signature"',
      'word: "no signature (source)"',
    );
    assertEquals(await header(), "DomainKey-Status: no signature (source)");
    await Deno.mkdir(`${cache}/keys/example.com`, { recursive: true });
    await generateRsaKey(`${cache}/keys/example.com`, "private", 1024);
    const signed = await runQueue({
      message: message("a@example.com"),
      env: { ...env, RELAYCLIENT: "", DKSIGN: `${cache}/keys/%/private` },
      argv: [dk, "queue"],
    });
    try {
      assertEquals([signed.code, signed.stderr], [0, ""]);
      const text = await recorded(signed, "message");
      assertEquals(text?.startsWith("DomainKey-Signature: a=rsa-sha1;"), true);
    } finally {
      await cleanup(signed.dir);
    }

    // Without a bundle the launcher runs the sources.
    await Deno.remove(bundle);
    assertEquals(await header(), "DomainKey-Status: no signature (source)");

    // --prepare again: a fresh bundle of the edited sources.
    const again = await run(dk, ["--prepare"], { env, timeoutMs: 120_000 });
    assertEquals(again.code, 0, again.stderrText);
    await edit(bundle, '"no signature (source)"', '"no signature (rebuilt)"');
    assertEquals(await header(), "DomainKey-Status: no signature (rebuilt)");
  } finally {
    await cleanup(tree, cache);
  }
});

Deno.test("--prepare fails with one line when dk does not find its own signature good", async () => {
  const tree = await workDir();
  const cache = await workDir();
  try {
    await copyTree(tree);
    await edit(`${tree}/core/status.ts`, 'word: "good"', 'word: "fine"');
    const r = await run(`${tree}/scripts/dk`, ["--prepare"], {
      env: { DK_DENO_DIR: cache },
      timeoutMs: 120_000,
    });
    assertEquals(r.code, 1);
    assertEquals(
      r.stderrText,
      "dk --prepare: queue mode (verify, DNS) did not find its own signature " +
        "good: DomainKey-Status: fine\n",
    );
  } finally {
    await cleanup(tree, cache);
  }
});
