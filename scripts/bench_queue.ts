/**
 * `scripts/bench-queue`: what qmail pays per message for `dk queue`. In one
 * run, interleaved so that machine load hits every case alike: a bare
 * `deno run` of an empty script (the baseline), `dk queue` passing, signing
 * and verifying (key from a local dnsmasq) a 4 KB message, the compiled
 * binary when `dist/dk` exists; then peak RSS for a 30 MB message signed
 * and verified, and for ~1 MB header sections of hostile shapes (many short
 * lines, one long line, deep folding, many signatures). Run as root, it measures the same again as qmail runs dk:
 * as an unprivileged user (nobody) who can only read the cache that
 * `scripts/dk --prepare` filled, against a bare run as that user. Prints
 * medians, ratios to the baseline and the targets (≤ 1.5× bare Deno; peak
 * RSS ≤ message size + 100 MB). `--json` prints one object instead.
 *
 * @module
 */

import { ed25519Key, serveDns, split, throwawayKey } from "./lab.ts";

const ROOT = new URL("../", import.meta.url).pathname.replace(/\/$/, "");
const DK = `${ROOT}/scripts/dk`;
const DENO = Deno.execPath();
const ROUNDS = Number(Deno.env.get("BENCH_ROUNDS") ?? "15");
const json = Deno.args.includes("--json");

const dir = await Deno.makeTempDir({ prefix: "dk-bench-queue-" });
await Deno.mkdir(`${dir}/keys/example.com`, { recursive: true });
const key = await throwawayKey();
await Deno.writeTextFile(`${dir}/keys/example.com/private`, key.pem, {
  mode: 0o600,
});
// DKIM (dkim.md 6): the same RSA key under the control directory, and an
// Ed25519 one, each with its DKIM record.
const control = `${dir}/control`;
await Deno.mkdir(`${control}/domainkeys/example.com`, { recursive: true });
await Deno.writeTextFile(`${control}/domainkeys/example.com/rsa`, key.pem, {
  mode: 0o600,
});
const ed = await ed25519Key();
await Deno.writeTextFile(`${control}/domainkeys/example.com/ed`, ed.pem, {
  mode: 0o600,
});
const dns = serveDns(
  new Map([
    ["private._domainkey.example.com", [split(key.record)]],
    ["rsa._domainkey.example.com", [split(key.dkimRecord)]],
    ["ed._domainkey.example.com", [split(ed.record)]],
  ]),
);

try {
  // The files every case reads: message, envelope, a queue program that drains fd 0.
  const body = Array.from(
    { length: 64 },
    (_, i) => `Line ${i} of the message body, with enough words to fill it.\n`,
  ).join("");
  const plain =
    `From: Alice <alice@example.com>\nTo: bob@example.org\nSubject: bench\n\n${body}`;
  await Deno.writeTextFile(`${dir}/plain`, plain);
  await Deno.writeTextFile(
    `${dir}/envelope`,
    "Fa@example.com\0Tb@example.org\0\0",
  );
  await Deno.writeTextFile(`${dir}/empty.ts`, "");
  await Deno.writeTextFile(`${dir}/keep`, '#!/bin/sh\nexec cat >"$KEEP"\n');
  await Deno.chmod(`${dir}/keep`, 0o755);
  // The queue program is /bin/true: its own start is paid with or without dk,
  // so the figures are dk's cost (a 4 KB message fits the pipe buffer).
  const common = { DK_QMAIL_HOME: dir, DKQUEUE: "/bin/true" };
  const signEnv = {
    ...common,
    RELAYCLIENT: "",
    DKSIGN: `${dir}/keys/%/private`,
  };
  const verifyEnv = { ...common, DKVERIFY: "", DK_DNS: dns.address };
  const dkim = { ...common, CONTROLDIR: control, DK_AUTHSERV_ID: "bench" };
  const dkimSignEnv = {
    ...dkim,
    RELAYCLIENT: "",
    DKSIGN: "",
    DKIMSIGN: "domainkeys/%/rsa",
  };
  const dkimVerifyEnv = { ...dkim, DKIMVERIFY: "", DK_DNS: dns.address };

  // A signed copy for the verify case, made by dk queue itself.
  const signedFile = `${dir}/signed`;
  const made = await runOnce([DK, "queue"], `${dir}/plain`, {
    ...signEnv,
    DKQUEUE: `${dir}/keep`,
    KEEP: signedFile,
  });
  if (made.code !== 0) {
    throw new Error(`Cannot sign the bench message: exit ${made.code}`);
  }
  const dkimSignedFile = `${dir}/dkim-signed`;
  const dkimMade = await runOnce([DK, "queue"], `${dir}/plain`, {
    ...dkimSignEnv,
    DKQUEUE: `${dir}/keep`,
    KEEP: dkimSignedFile,
  });
  if (dkimMade.code !== 0) {
    throw new Error(
      `Cannot DKIM-sign the bench message: exit ${dkimMade.code}`,
    );
  }
  const size = (await Deno.stat(`${dir}/plain`)).size;

  const cases: {
    name: string;
    argv: string[];
    env: Record<string, string>;
    input: string;
    /** Index of the case this one is a ratio to (default 0). */
    base?: number;
  }[] = [
    {
      name: "bare deno run (empty script)",
      argv: [DENO, "run", "--no-config", "--quiet", `${dir}/empty.ts`],
      env: {},
      input: `${dir}/plain`,
    },
    {
      name: "dk queue, pass",
      argv: [DK, "queue"],
      env: common,
      input: `${dir}/plain`,
    },
    {
      name: "dk queue, sign",
      argv: [DK, "queue"],
      env: signEnv,
      input: `${dir}/plain`,
    },
    {
      name: "dk queue, verify",
      argv: [DK, "queue"],
      env: verifyEnv,
      input: signedFile,
    },
    {
      name: "dk queue, DKIM sign rsa-sha256",
      argv: [DK, "queue"],
      env: dkimSignEnv,
      input: `${dir}/plain`,
    },
    {
      name: "dk queue, DKIM sign ed25519-sha256",
      argv: [DK, "queue"],
      env: { ...dkimSignEnv, DKIMSIGN: "domainkeys/%/ed" },
      input: `${dir}/plain`,
    },
    {
      name: "dk queue, DKIM verify",
      argv: [DK, "queue"],
      env: dkimVerifyEnv,
      input: dkimSignedFile,
    },
    {
      name: "dk queue, DK + DKIM sign",
      argv: [DK, "queue"],
      env: { ...dkimSignEnv, DKSIGN: `${dir}/keys/%/private` },
      input: `${dir}/plain`,
    },
  ];
  const compiled = `${ROOT}/dist/dk`;
  if (await exists(compiled)) {
    cases.push(
      {
        name: "dist/dk queue, sign",
        argv: [compiled, "queue"],
        env: signEnv,
        input: `${dir}/plain`,
      },
      {
        name: "dist/dk queue, verify",
        argv: [compiled, "queue"],
        env: verifyEnv,
        input: signedFile,
      },
    );
  }
  // As qmail runs it: an unprivileged user and a cache it cannot write.
  // The envelope's pipe is made by that user too, as qmail-smtpd makes it
  // (dk cannot reopen another user's pipe through /dev/fd).
  const asUser = [
    "setpriv",
    "--reuid=nobody",
    "--regid=nogroup",
    "--clear-groups",
    "sh",
    "-c",
    'exec 3<&0; cat "$B_ENV" | "$@" 1<&0 0<&3 3<&-',
    "_",
  ];
  if (Deno.uid() === 0 && await exists("/usr/bin/setpriv")) {
    for (const path of [dir, `${dir}/keys`, `${dir}/keys/example.com`]) {
      await Deno.chmod(path, 0o755);
    }
    await Deno.chmod(`${dir}/keys/example.com/private`, 0o644);
    const base = cases.length;
    cases.push(
      {
        ...cases[0],
        name: "as nobody: bare deno run",
        argv: [...asUser, ...cases[0].argv],
        base,
      },
      {
        ...cases[2],
        name: "as nobody: dk queue, sign",
        argv: [...asUser, DK, "queue"],
        base,
      },
      {
        ...cases[3],
        name: "as nobody: dk queue, verify",
        argv: [...asUser, DK, "queue"],
        base,
      },
    );
  }
  // Warm up once each (and check every case works), then interleave.
  for (const c of cases) {
    const r = await runOnce(c.argv, c.input, c.env);
    if (r.code !== 0) throw new Error(`${c.name}: exit ${r.code}`);
  }
  const times: number[][] = cases.map(() => []);
  for (let round = 0; round < ROUNDS; round++) {
    for (const [i, c] of cases.entries()) {
      times[i].push((await runOnce(c.argv, c.input, c.env)).ms);
    }
  }
  const medians = times.map(median);

  // Peak RSS for a 30 MB message.
  const bigFile = `${dir}/big`;
  const line = "0123456789".repeat(7) + "abcdefghi\n";
  const big = await Deno.open(bigFile, { write: true, create: true });
  await big.write(new TextEncoder().encode(plain));
  const block = new TextEncoder().encode(line.repeat(10000));
  for (let n = 0; n < (30 << 20); n += block.length) await big.write(block);
  big.close();
  const bigSize = (await Deno.stat(bigFile)).size;
  const drain = { DKQUEUE: `${dir}/keep`, KEEP: "/dev/null" };
  const rss = {
    sign: await peakRss([DK, "queue"], bigFile, { ...signEnv, ...drain }),
    verify: await peakRss([DK, "queue"], bigFile, { ...verifyEnv, ...drain }),
  };

  // Peak RSS for hostile header sections of about 1 MB (just under the
  // 1 MiB limit), each signed and then its signed copy verified.
  const shapes: Record<
    string,
    { bytes: number; sign: number | null; verify: number | null }
  > = {};
  for (const [name, text] of Object.entries(headerShapes(body))) {
    const file = `${dir}/shape`;
    await Deno.writeTextFile(file, text);
    const signedShape = `${dir}/shape-signed`;
    const signedRun = await runOnce([DK, "queue"], file, {
      ...signEnv,
      DKQUEUE: `${dir}/keep`,
      KEEP: signedShape,
    });
    if (signedRun.code !== 0) {
      throw new Error(`${name}: dk queue sign exit ${signedRun.code}`);
    }
    shapes[name] = {
      bytes: text.length,
      sign: await peakRss([DK, "queue"], file, { ...signEnv, ...drain }),
      verify: await peakRss([DK, "queue"], signedShape, {
        ...verifyEnv,
        ...drain,
      }),
    };
  }

  const report = {
    message_bytes: size,
    rounds: ROUNDS,
    median_ms: Object.fromEntries(
      cases.map((c, i) => [c.name, round1(medians[i])]),
    ),
    ratio_to_bare_deno: Object.fromEntries(
      cases.flatMap((c, i) =>
        i === (c.base ?? 0)
          ? []
          : [[c.name, round2(medians[i] / medians[c.base ?? 0])]]
      ),
    ),
    big_message_bytes: bigSize,
    peak_rss_bytes: rss,
    peak_rss_limit_bytes: bigSize + 100 * 1024 * 1024,
    header_shapes: Object.fromEntries(
      Object.entries(shapes).map(([name, r]) => [name, {
        message_bytes: r.bytes,
        peak_rss_bytes: { sign: r.sign, verify: r.verify },
        peak_rss_limit_bytes: r.bytes + 100 * 1024 * 1024,
      }]),
    ),
    // Part B's target (dkim.md 6, issue 15): DKIM within 10 % of DomainKeys.
    dkim_to_dk: {
      "DKIM sign rsa-sha256 / DK sign": round2(medians[4] / medians[2]),
      "DKIM sign ed25519-sha256 / DK sign": round2(medians[5] / medians[2]),
      "DKIM verify / DK verify": round2(medians[6] / medians[3]),
      "DK + DKIM sign / DK sign": round2(medians[7] / medians[2]),
    },
    targets: { ratio: 1.5, dkim_to_dk: 1.1 },
  };
  if (json) {
    console.log(JSON.stringify(report));
  } else {
    console.log(
      `dk queue: ${size}-byte message, median of ${ROUNDS} interleaved runs`,
    );
    for (const [i, c] of cases.entries()) {
      const b = c.base ?? 0;
      const ratio = i === b
        ? "baseline"
        : `${(medians[i] / medians[b]).toFixed(2)}x`;
      console.log(
        `  ${c.name.padEnd(34)} ${
          medians[i].toFixed(1).padStart(7)
        } ms  ${ratio}`,
      );
    }
    console.log("  target: at most 1.50x the bare deno run");
    console.log("DKIM beside DomainKeys (same run; target at most 1.10x):");
    for (const [name, ratio] of Object.entries(report.dkim_to_dk)) {
      console.log(`  ${name.padEnd(34)} ${ratio.toFixed(2)}x`);
    }
    const mb = (n: number | null) =>
      n === null ? "n/a" : `${(n / 1048576).toFixed(1)} MB`;
    console.log(
      `peak RSS, ${mb(bigSize)} message (limit ${
        mb(report.peak_rss_limit_bytes)
      }):`,
    );
    console.log(`  sign ${mb(rss.sign)}, verify ${mb(rss.verify)}`);
    console.log("peak RSS, hostile header sections (limit size + 100 MB):");
    for (const [name, r] of Object.entries(shapes)) {
      console.log(
        `  ${name.padEnd(28)} ${mb(r.bytes)}: sign ${mb(r.sign)}, verify ${
          mb(r.verify)
        }`,
      );
    }
  }
} finally {
  await dns.close();
  await Deno.remove(dir, { recursive: true });
}

/**
 * Messages whose header section is about 1 MB (under the 1 MiB limit) in
 * the shapes that once cost memory per line: many short lines, one long
 * line, one header folded into many lines, many signature headers.
 */
function headerShapes(body: string): Record<string, string> {
  const size = 1_000_000;
  const from = "From: Alice <alice@example.com>\nTo: bob@example.org\n";
  const fill = (unit: string) => unit.repeat(Math.floor(size / unit.length));
  const sig = "DomainKey-Signature: a=rsa-sha1; q=dns; c=nofws; " +
    "s=private; d=example.com; b=AAAA;\n";
  return {
    "many short header lines": `${from}${fill("a:b\n")}\n${body}`,
    "one long header line": `${from}X-Long: ${"x".repeat(size)}\n\n${body}`,
    "deep folding": `${from}Subject: x\n${fill(" y\n")}\n${body}`,
    "many signatures": `${fill(sig)}${from}\n${body}`,
  };
}

/** Runs one command with `input` on fd 0 and the envelope on a pipe at fd 1. */
async function runOnce(
  argv: string[],
  input: string,
  env: Record<string, string>,
): Promise<{ code: number; ms: number }> {
  const start = performance.now();
  const out = await new Deno.Command("bash", {
    args: ["-c", 'cat "$B_ENV" | "$@" 1<&0 <"$B_IN"', "_", ...argv],
    env: { ...env, B_IN: input, B_ENV: `${dir}/envelope` },
    stdin: "null",
    stdout: "null",
    stderr: "inherit",
  }).output();
  return { code: out.code, ms: performance.now() - start };
}

/** Peak RSS of one run in bytes, from /usr/bin/time -v; null without it. */
async function peakRss(
  argv: string[],
  input: string,
  env: Record<string, string>,
): Promise<number | null> {
  if (!(await exists("/usr/bin/time"))) return null;
  const out = await new Deno.Command("bash", {
    args: [
      "-c",
      'cat "$B_ENV" | /usr/bin/time -v "$@" 1<&0 <"$B_IN"',
      "_",
      ...argv,
    ],
    env: { ...env, B_IN: input, B_ENV: `${dir}/envelope` },
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stderr);
  const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(text);
  if (out.code !== 0 || !m) throw new Error(`peak RSS run failed: ${text}`);
  return Number(m[1]) * 1024;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s.length % 2
    ? s[(s.length - 1) / 2]
    : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}
