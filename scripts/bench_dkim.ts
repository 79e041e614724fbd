/**
 * `scripts/bench-dkim` (part of `deno task bench`): DKIM whole-message
 * verification by dk against Mail::DKIM, in one run. The messages are
 * `dk bench`'s (`core/dkim/bench_set.ts`: 4 KB, `c=relaxed/relaxed`, key
 * records cached): dk verifies them in this process through the wasm
 * backend (`DkimVerifier`, as `dk verify` does); Mail::DKIM verifies the
 * `rsa-sha256` one in one perl process per slice
 * (`scripts/bench_dkim_peer.pl`, which times itself, so perl's start is not
 * counted). The slices are interleaved so that machine load hits both
 * alike. Mail::DKIM (Debian 1.20230212) has no Ed25519: that row is dk's
 * alone. Prints messages per second, the ratio and the issue's targets
 * (rsa-sha256 ≥ 8,000 messages/s and ≥ 4× Mail::DKIM); `--json` prints one
 * object instead. `--seconds N` is the time per contender (default 2).
 *
 * @module
 */

import { generateKeyPairSync } from "node:crypto";
import {
  benchMessage,
  dkimBench,
  type DkimKind,
} from "../core/dkim/bench_set.ts";
import { wasmBackend } from "../core/crypto/wasm.ts";

const ROOT = new URL("../", import.meta.url).pathname.replace(/\/$/, "");
const PEER = `${ROOT}/scripts/bench_dkim_peer.pl`;
const SLICES = 4;
const TARGET_RATE = 8000;
const TARGET_RATIO = 4;

const args = Deno.args;
const json = args.includes("--json");
const secondsAt = args.indexOf("--seconds");
const seconds = secondsAt >= 0 ? Number(args[secondsAt + 1]) : 2;
if (!Number.isFinite(seconds) || seconds <= 0 || seconds > 60) {
  console.error("bench-dkim: --seconds takes a number above 0, at most 60");
  Deno.exit(2);
}
const sliceSeconds = seconds / SLICES;

const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
const set = await dkimBench(
  privateKey.export({ type: "pkcs1", format: "pem" }).toString(),
  benchMessage(crypto.getRandomValues(new Uint8Array(4096)), 4096),
  wasmBackend,
);
if (typeof set === "string") {
  console.error(`bench-dkim: ${set}`);
  Deno.exit(1);
}
const dir = await Deno.makeTempDir({ prefix: "dk-bench-dkim-" });
try {
  await Deno.writeFile(`${dir}/rsa2048.eml`, set.signed.rsa2048);
  await Deno.writeTextFile(
    `${dir}/records`,
    Object.entries(set.records).map(([n, t]) => `${n} ${t}\n`).join(""),
  );
  const peerReady = await _hasMailDkim();

  const totals = new Map<string, { calls: number; ms: number }>();
  const add = (name: string, calls: number, ms: number) => {
    const t = totals.get(name) ?? { calls: 0, ms: 0 };
    t.calls += calls;
    t.ms += ms;
    totals.set(name, t);
  };
  const dkSlice = async (kind: DkimKind, ms: number) => {
    const start = performance.now();
    let now = start;
    let calls = 0;
    do {
      await set.verify(kind, wasmBackend);
      calls++;
      now = performance.now();
    } while (now - start < ms);
    return { calls, ms: now - start };
  };
  // Warm-up: V8 optimizes the hot path before anything is counted.
  await dkSlice("rsa2048", 300);
  await dkSlice("ed25519", 100);
  for (let slice = 0; slice < SLICES; slice++) {
    for (const kind of ["rsa2048", "ed25519"] as const) {
      const { calls, ms } = await dkSlice(kind, sliceSeconds * 1000);
      add(`dk/${kind}`, calls, ms);
    }
    if (peerReady) {
      const peer = await _peerSlice(dir, sliceSeconds);
      add("mail_dkim/rsa2048", peer.calls, peer.seconds * 1000);
    }
  }
  const rate = (name: string) => {
    const t = totals.get(name);
    return t ? Math.round(t.calls / (t.ms / 1000)) : null;
  };
  const dkRsa = rate("dk/rsa2048")!;
  const dkEd = rate("dk/ed25519")!;
  const peerRsa = rate("mail_dkim/rsa2048");
  const ratio = peerRsa ? Math.round((dkRsa / peerRsa) * 100) / 100 : null;
  const report = {
    seconds_per_contender: seconds,
    dk_dkim_verify_per_s: { rsa2048: dkRsa, ed25519: dkEd },
    mail_dkim_verify_per_s: { rsa2048: peerRsa },
    dk_over_mail_dkim_rsa2048: ratio,
    targets: {
      rsa2048_per_s: TARGET_RATE,
      over_mail_dkim: TARGET_RATIO,
      rate_met: dkRsa >= TARGET_RATE,
      ratio_met: ratio === null ? null : ratio >= TARGET_RATIO,
    },
  };
  if (json) console.log(JSON.stringify(report));
  else {
    console.log(
      `DKIM verify, whole 4 KB c=relaxed/relaxed message, key record cached, one process (${seconds} s each, ${SLICES} interleaved slices)`,
    );
    console.log("                         rsa-sha256  ed25519-sha256");
    console.log(
      `  dk (wasm backend)     ${String(dkRsa).padStart(10)}${
        String(dkEd).padStart(16)
      }`,
    );
    console.log(
      `  Mail::DKIM (perl)     ${String(peerRsa ?? "n/a").padStart(10)}${
        "n/a".padStart(16)
      }`,
    );
    if (!peerReady) {
      console.log("  (Mail::DKIM not installed: scripts/install-peers)");
    }
    console.log(
      `  dk / Mail::DKIM: ${
        ratio === null ? "n/a" : `${ratio}x`
      } (target ≥ ${TARGET_RATIO}x); dk rsa-sha256: ${dkRsa}/s (target ≥ ${TARGET_RATE}/s)`,
    );
  }
} finally {
  await Deno.remove(dir, { recursive: true });
}

/** True when perl can load Mail::DKIM and Net::DNS. */
async function _hasMailDkim(): Promise<boolean> {
  try {
    const { code } = await new Deno.Command("perl", {
      args: ["-MMail::DKIM::Verifier", "-MNet::DNS", "-e", "1"],
      stdout: "null",
      stderr: "null",
    }).output();
    return code === 0;
  } catch {
    return false;
  }
}

/** One Mail::DKIM slice: messages verified and the seconds perl counted. */
async function _peerSlice(
  dir: string,
  seconds: number,
): Promise<{ calls: number; seconds: number }> {
  const { code, stdout, stderr } = await new Deno.Command("perl", {
    args: [
      PEER,
      "--records",
      `${dir}/records`,
      "--seconds",
      String(seconds),
      `${dir}/rsa2048.eml`,
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (code !== 0) {
    console.error(
      `bench-dkim: Mail::DKIM failed: ${new TextDecoder().decode(stderr)}`,
    );
    Deno.exit(1);
  }
  const out = JSON.parse(new TextDecoder().decode(stdout));
  return { calls: out.calls, seconds: out.seconds };
}
