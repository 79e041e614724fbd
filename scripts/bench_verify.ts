/**
 * `scripts/bench-verify`: batch verification against the core's own speed.
 * Signed 4 KB DomainKeys messages (half RSA-1024, half RSA-2048, two keys,
 * each message its own text) in folders of 500 and 5,000; a DNS server on
 * 127.0.0.1 answering the two key records (scripts/lab.ts, TTL 60). In one
 * run, interleaved over `BENCH_ROUNDS` rounds (default 3), medians:
 * - `dk verify --json DIR` as a whole process (start included);
 * - Mail::DKIM in one perl process over the same folder
 *   (`scripts/maildkim_verify.pl --brief`), the peer;
 * - dk's in-process verifier over the same 5,000 messages held in memory,
 *   key records from an in-memory zone: `DkVerifier` with the wasm core
 *   (what `dk bench` calls "Whole message … verify wasm").
 * Then peak RSS of `dk verify` over each folder (/usr/bin/time). Targets
 * over the 5,000: batch ≥ 0.7× the in-process `DkVerifier` figure and ≥ 4×
 * Mail::DKIM; peak RSS flat between 500 and 5,000. Every verdict is checked
 * (all good) before a figure counts. `--json` prints one object.
 *
 * Where the batch's time goes, from the same rounds: `dk verify` over an
 * empty folder (the launcher, Deno's start, dk's modules and exit: the
 * fixed cost), and the marginal rate, the 4,500 messages the 5,000 have
 * beyond the 500 over the time they add (start and most of the JIT's
 * warm-up are in both, so they cancel).
 *
 * @module
 */

import { generateKeyPairSync } from "node:crypto";
import { serveDns, split } from "./lab.ts";
import { parsePrivateKeyPem } from "../core/crypto/keys.ts";
import { encodeBase64 } from "../core/crypto/base64.ts";
import { wasmBackend } from "../core/crypto/wasm.ts";
import { DkSigner } from "../core/dk/sign.ts";
import { DkVerifier } from "../core/dk/verify.ts";
import { memoryResolver } from "../core/dns/memory_resolver.ts";

const ROOT = new URL("../", import.meta.url).pathname.replace(/\/$/, "");
const DK = `${ROOT}/scripts/dk`;
const PEER = `${ROOT}/scripts/maildkim_verify.pl`;
const ROUNDS = Number(Deno.env.get("BENCH_ROUNDS") ?? "3");
const SIZES = [500, 5000] as const;
const MESSAGE_SIZE = 4096;
const json = Deno.args.includes("--json");
const say = json ? () => {} : (line: string) => console.log(line);
const te = new TextEncoder();

/** A signing key: its selector, record and parsed private key. */
function makeKey(bits: number, selector: string) {
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: bits });
  const pem = privateKey.export({ type: "pkcs1", format: "pem" }).toString();
  const parsed = parsePrivateKeyPem(pem);
  if (!parsed.ok) throw new Error(`Cannot use the bench key: ${parsed.error}`);
  const record = `k=rsa; p=${encodeBase64(parsed.value.publicKey.spki)}`;
  return { selector, record, key: parsed.value };
}

/** Message `i`: about 4 KB, CRLF, text of its own. */
function message(i: number): Uint8Array {
  const lines: string[] = [];
  let seed = i * 2654435761 >>> 0;
  for (let at = 0; at < MESSAGE_SIZE - 260; at += 72) {
    let line = "";
    for (let c = 0; c < 70; c++) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      line += String.fromCharCode(97 + (seed >>> 16) % 26);
    }
    lines.push(line);
  }
  return te.encode(
    `From: Bench <bench@example.com>\r\nTo: someone@example.net\r\n` +
      `Subject: dk bench ${i}\r\nDate: Wed, 25 Nov 2026 12:00:00 +0000\r\n` +
      `Message-ID: <bench-${i}@example.com>\r\n\r\n${lines.join("\r\n")}\r\n`,
  );
}

const dir = await Deno.makeTempDir({ prefix: "dk-bench-verify-" });
const keys = [makeKey(1024, "k1024"), makeKey(2048, "k2048")];
const dns = serveDns(
  new Map(
    keys.map((
      k,
    ) => [`${k.selector}._domainkey.example.com`, [split(k.record)]]),
  ),
);
const port = Number(dns.address.split(":")[1]);

try {
  // The messages, signed in process; the 500 are the first of the 5,000.
  const max = SIZES[SIZES.length - 1];
  const signed: Uint8Array[] = [];
  for (let i = 0; i < max; i++) {
    const body = message(i);
    const k = keys[i % 2];
    const signer = new DkSigner({ canon: "nofws" });
    signer.update(body);
    const header = await signer.sign(k.key, k.selector, "example.com", "\r\n");
    if (!header.ok) throw new Error(`Cannot sign: ${header.error.reason}`);
    const head = te.encode(header.value);
    const whole = new Uint8Array(head.length + body.length);
    whole.set(head);
    whole.set(body, head.length);
    signed.push(whole);
  }
  const folders: Record<number, string> = {};
  for (const n of SIZES) {
    folders[n] = `${dir}/m${n}`;
    await Deno.mkdir(folders[n]);
    for (let i = 0; i < n; i++) {
      await Deno.writeFile(
        `${folders[n]}/${String(i).padStart(5, "0")}`,
        signed[i],
      );
    }
  }

  const zone = memoryResolver(
    Object.fromEntries(
      keys.map((k) => [`${k.selector}._domainkey.example.com`, [[k.record]]]),
    ),
  );
  const inProcess = async (): Promise<number> => {
    const start = performance.now();
    for (const bytes of signed) {
      const v = new DkVerifier({ resolver: zone, backend: wasmBackend });
      v.update(bytes);
      const code = (await v.finish()).letter;
      if (code !== "A") throw new Error(`in-process verify gave ${code}`);
    }
    return signed.length / ((performance.now() - start) / 1000);
  };

  /** Runs `argv`; its rate over `n` messages, every verdict checked good. */
  const batch = async (argv: string[], n: number, good: RegExp) => {
    const start = performance.now();
    const out = await new Deno.Command(argv[0], {
      args: argv.slice(1),
      stdout: "piped",
      stderr: "piped",
      env: { NO_COLOR: "1" },
    }).output();
    const seconds = (performance.now() - start) / 1000;
    const lines = new TextDecoder().decode(out.stdout).trim().split("\n");
    const bad = lines.filter((l) => !good.test(l));
    if (lines.length !== n || bad.length || out.code !== 0) {
      throw new Error(
        `${
          argv.join(" ")
        }: exit ${out.code}, ${lines.length} lines, ${bad.length} not good: ${
          bad[0] ?? new TextDecoder().decode(out.stderr).slice(0, 300)
        }`,
      );
    }
    return n / seconds;
  };
  const dkVerify = (n: number) =>
    batch(
      [DK, "verify", "--json", "--quiet", "--dns", dns.address, folders[n]],
      n,
      /"code":"A"/,
    );
  /** Milliseconds of `dk verify` over an empty folder, checked silent. */
  const empty = `${dir}/empty`;
  await Deno.mkdir(empty);
  const startUp = async (): Promise<number> => {
    const start = performance.now();
    const out = await new Deno.Command(DK, {
      args: ["verify", "--json", "--quiet", "--dns", dns.address, empty],
      stdout: "piped",
      stderr: "piped",
      env: { NO_COLOR: "1" },
    }).output();
    const ms = performance.now() - start;
    if (out.code !== 0 || out.stdout.length || out.stderr.length) {
      throw new Error(`dk verify over an empty folder: exit ${out.code}`);
    }
    return ms;
  };
  const peer = (n: number) =>
    batch(
      ["perl", PEER, "--brief", "--port", String(port), folders[n]],
      n,
      / pass$/,
    );

  say(
    `dk verify DIR: ${
      SIZES.join(" and ")
    } signed 4 KB messages (RSA-1024/2048, two keys, loopback DNS), ${ROUNDS} interleaved rounds, medians`,
  );
  await dkVerify(SIZES[0]); // warm the transpile cache
  await inProcess(); // and the wasm tiers
  const samples: Record<string, number[]> = {};
  const add = (name: string, rate: number) => (samples[name] ??= []).push(rate);
  for (let round = 0; round < ROUNDS; round++) {
    add("start_ms", await startUp());
    for (const n of SIZES) add(`dk_verify_${n}`, await dkVerify(n));
    add("in_process_dk", await inProcess());
    for (const n of SIZES) add(`mail_dkim_${n}`, await peer(n));
  }
  const startMs = round2(median(samples.start_ms));
  delete samples.start_ms;
  const rates = Object.fromEntries(
    Object.entries(samples).map(([k, v]) => [k, Math.round(median(v))]),
  );
  const small = SIZES[0];
  const big = SIZES[SIZES.length - 1];
  // The messages the big folder has beyond the small, over the time they add.
  rates.dk_verify_marginal = Math.round(
    (big - small) /
      (big / rates[`dk_verify_${big}`] -
        small / rates[`dk_verify_${small}`]),
  );
  const rss: Record<string, number | null> = {};
  for (const n of SIZES) {
    rss[n] = await peakRss([
      DK,
      "verify",
      "--json",
      "--quiet",
      "--dns",
      dns.address,
      folders[n],
    ]);
  }
  const ratios = {
    batch_to_in_process: round2(
      rates[`dk_verify_${big}`] / rates.in_process_dk,
    ),
    batch_to_mail_dkim: round2(
      rates[`dk_verify_${big}`] / rates[`mail_dkim_${big}`],
    ),
    marginal_to_in_process: round2(
      rates.dk_verify_marginal / rates.in_process_dk,
    ),
    rss_big_to_small: rss[big] !== null && rss[SIZES[0]] !== null
      ? round2(rss[big]! / rss[SIZES[0]]!)
      : null,
  };
  const report = {
    messages: SIZES,
    rounds: ROUNDS,
    messages_per_s: rates,
    start_ms: startMs,
    peak_rss_bytes: rss,
    ratios,
    targets: {
      batch_to_in_process: 0.7,
      batch_to_mail_dkim: 4,
      rss_big_to_small: "flat",
    },
  };
  if (json) {
    console.log(JSON.stringify(report));
  } else {
    for (const n of SIZES) {
      say(
        `  ${String(n).padStart(5)} messages: dk verify ${
          String(rates[`dk_verify_${n}`]).padStart(6)
        }/s, Mail::DKIM ${String(rates[`mail_dkim_${n}`]).padStart(6)}/s (${
          round2(rates[`dk_verify_${n}`] / rates[`mail_dkim_${n}`])
        }×), peak RSS ${mb(rss[n])}`,
      );
    }
    say(
      `  in process (${big} messages in memory): DkVerifier ${rates.in_process_dk}/s (${
        perMessage(rates.in_process_dk)
      } a message)`,
    );
    say(
      `  where the batch's time goes: ${startMs} ms to start and exit over an empty folder; ${rates.dk_verify_marginal}/s (${
        perMessage(rates.dk_verify_marginal)
      } a message) for the ${
        big - small
      } messages the ${big} add to the ${small}: ${ratios.marginal_to_in_process}× the in-process figure`,
    );
    say(
      `  over ${big}: batch ${ratios.batch_to_in_process}× the in-process DkVerifier (target ≥ 0.7×), ${ratios.batch_to_mail_dkim}× Mail::DKIM (target ≥ 4×); peak RSS ${big} vs ${
        SIZES[0]
      }: ${ratios.rss_big_to_small ?? "?"}×`,
    );
  }
} finally {
  await dns.close();
  await Deno.remove(dir, { recursive: true });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

function perMessage(rate: number): string {
  return `${Math.round(1e6 / rate)} µs`;
}

function mb(bytes: number | null): string {
  return bytes === null ? "?" : `${(bytes / 1048576).toFixed(1)} MB`;
}

/** Peak RSS of one run in bytes, from /usr/bin/time; null without it. */
async function peakRss(argv: string[]): Promise<number | null> {
  try {
    await Deno.stat("/usr/bin/time");
  } catch {
    return null;
  }
  const out = await new Deno.Command("/usr/bin/time", {
    args: ["-f", "%M", ...argv],
    stdout: "null",
    stderr: "piped",
  }).output();
  const kb = new TextDecoder().decode(out.stderr).trim().split("\n").at(-1);
  return kb && /^\d+$/.test(kb) ? Number(kb) * 1024 : null;
}
