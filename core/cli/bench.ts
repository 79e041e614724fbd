/**
 * `dk bench [--json] [--seconds N]` (cli.md): like `openssl speed`, every
 * crypto backend measured in one run so the ratios are honest on a noisy
 * machine. Competing measurements are interleaved in short slices after a
 * warm-up (so the wasm core runs optimized code, not the baseline tier).
 *
 * Figures: RSA public operations per second (1024, 2048, 4096 bits) for the
 * wasm core, its plain CIOS baseline (from the separate bench module, see
 * `core/crypto/wasm_bench.ts`), BigInt and WebCrypto; SHA-1/SHA-256
 * MB/s on 64 KB inputs; whole DomainKeys messages (4 KB, RSA-2048, key
 * record in an in-memory zone): `DkVerifier` end to end per backend, and the
 * seam alone (SHA-1 of the 4 KB and the RSA check through each backend's
 * `Verifier`); `DkSigner` end to end; `openssl speed rsa2048` when openssl
 * is installed. DKIM (dkim.md 5.6, `core/dkim/bench_set.ts`): Ed25519
 * verifications per second, whole 4 KB `c=relaxed/relaxed` messages verified by
 * `DkimVerifier` (RSA-2048 `rsa-sha256` through the wasm backend, and
 * `ed25519-sha256`) and signed by `DkimSigner`. Every contender is checked
 * for a right answer before it is timed.
 *
 * Exit codes: 0 measured, 1 a backend gave a wrong answer, 2 usage.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { createSign, generateKeyPairSync, type KeyObject } from "node:crypto";
import type { RsaPublicKey } from "../crypto/backend.ts";
import { bigintBackend } from "../crypto/bigint.ts";
import { wasmBackend } from "../crypto/wasm.ts";
import { wasmCiosRsaPublic } from "../crypto/wasm_bench.ts";
import { webcryptoBackend, webcryptoVerify } from "../crypto/webcrypto.ts";
import { encodeBase64 } from "../crypto/base64.ts";
import { parsePrivateKeyPem } from "../crypto/keys.ts";
import { DkSigner } from "../dk/sign.ts";
import { DkVerifier } from "../dk/verify.ts";
import { benchMessage, DKIM_KINDS, dkimBench } from "../dkim/bench_set.ts";
import { memoryResolver } from "../dns/memory_resolver.ts";
import { CLI_EXIT } from "../status.ts";

const USAGE = "usage: dk bench [--json] [--seconds N]";
const DEFAULT_SECONDS = 0.4;
const MAX_SECONDS = 60;
/** Slices each measurement is cut into, interleaved with its competitors. */
const SLICES = 5;
const SIZES = [1024, 2048, 4096] as const;
const HASH_INPUT = 64 * 1024;
const MESSAGE_SIZE = 4096;

/** One thing to time: a sync or async operation, counted per call. */
interface Contender {
  name: string;
  run: () => unknown;
  async?: boolean;
  /** Units per call (bytes for hashes, 1 otherwise). */
  units?: number;
}

interface Pair {
  key: RsaPublicKey;
  privateKey: KeyObject;
}

/** Runs `dk bench`; resolves to the exit code. */
export async function run(args: string[], _argv0: string): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      options: {
        json: { type: "boolean", default: false },
        seconds: { type: "string" },
      },
      strict: true,
      allowPositionals: false,
    });
  } catch (error) {
    console.error(`dk bench: ${_firstLine(error)} (${USAGE})`);
    return CLI_EXIT.usage;
  }
  const { json, seconds: secondsText } = parsed.values;
  const seconds = secondsText === undefined
    ? DEFAULT_SECONDS
    : Number(secondsText);
  if (
    !Number.isFinite(seconds) || seconds <= 0 || seconds > MAX_SECONDS ||
    secondsText?.trim() === ""
  ) {
    console.error(
      `dk bench: Cannot use --seconds "${secondsText}": expected a number above 0 and at most ${MAX_SECONDS}`,
    );
    return CLI_EXIT.usage;
  }
  const report = await _measure(
    seconds,
    json ? null : (line) => console.log(line),
  );
  if (typeof report === "string") {
    console.error(`dk bench: ${report}`);
    return CLI_EXIT.notGood;
  }
  if (json) console.log(JSON.stringify(report));
  return CLI_EXIT.ok;
}

/** Everything `--json` prints. */
interface Report {
  seconds_per_measurement: number;
  rsa_verify_per_s: Record<string, Record<string, number>>;
  hash_mb_per_s: Record<string, Record<string, number>>;
  message_verify_per_s: Record<string, number>;
  message_verify_method: string;
  seam_verify_4k_per_s: Record<string, number>;
  message_sign_per_s: number;
  node_crypto_message_sign_per_s: number;
  openssl_rsa2048_verify_per_s: number | null;
  openssl_rsa2048_sign_per_s: number | null;
  ed25519_verify_per_s: number;
  dkim_message_verify_per_s: Record<string, number>;
  dkim_message_sign_per_s: number;
  dkim_ed25519_message_sign_per_s: number;
  ratios: Record<string, number | null>;
}

async function _measure(
  seconds: number,
  print: ((line: string) => void) | null,
): Promise<Report | string> {
  const say = print ?? (() => {});
  const pairs = new Map<number, Pair>();
  for (const bits of SIZES) pairs.set(bits, _pair(bits));
  const data = crypto.getRandomValues(new Uint8Array(32));
  const block = crypto.getRandomValues(new Uint8Array(HASH_INPUT));
  const message = crypto.getRandomValues(new Uint8Array(MESSAGE_SIZE));
  const { key, privateKey } = pairs.get(2048)!;
  const messageSignature = _sign(privateKey, message);

  // Every contender, in one list: all are timed in the same interleaved
  // slices, so even figures from different tables share the same load.
  const contenders: Contender[] = [];
  for (const bits of SIZES) {
    const pair = pairs.get(bits)!;
    const signature = _sign(pair.privateKey, data);
    const wrong = await _checkRsa(pair.key, data, signature);
    if (wrong) return wrong;
    contenders.push(
      {
        name: `rsa/wasm/${bits}`,
        run: () => wasmBackend.rsaPublic!(pair.key, signature),
      },
      {
        name: `rsa/wasm_cios_baseline/${bits}`,
        run: () => wasmCiosRsaPublic(pair.key, signature),
      },
      {
        name: `rsa/bigint/${bits}`,
        run: () => bigintBackend.rsaPublic!(pair.key, signature),
      },
      {
        name: `rsa/webcrypto/${bits}`,
        run: () => webcryptoVerify(pair.key, "sha1", data, signature),
        async: true,
      },
    );
  }
  for (const alg of ["sha1", "sha256"] as const) {
    for (const backend of [wasmBackend, webcryptoBackend]) {
      contenders.push({
        name: `hash/${backend.name}/${alg}`,
        units: HASH_INPUT,
        run: () => {
          const stream = backend.hash(alg);
          stream.update(block);
          return stream.digest();
        },
      });
    }
  }
  // Whole DomainKeys messages: a signed 4 KB message, its key record in an
  // in-memory zone (the "cached" key record), verified end to end.
  const dk = await _dkMessage(privateKey, message);
  if (typeof dk === "string") return dk;
  for (const backend of [wasmBackend, bigintBackend, webcryptoBackend]) {
    const verifier = backend.verifier("sha1");
    verifier.update(message);
    if (!(await verifier.verify(key, messageSignature))) {
      return `Cannot benchmark message verification: the ${backend.name} backend refused a good signature`;
    }
    const verifyDk = async () => {
      const verifier = new DkVerifier({ resolver: dk.resolver, backend });
      verifier.update(dk.signed);
      return (await verifier.finish()).letter;
    };
    const letter = await verifyDk();
    if (letter !== "A") {
      return `Cannot benchmark DomainKeys verification: the ${backend.name} backend gave status ${letter} for a good message`;
    }
    contenders.push(
      { name: `message/${backend.name}`, async: true, run: verifyDk },
      {
        name: `seam/${backend.name}`,
        async: true,
        run: () => {
          const verifier = backend.verifier("sha1");
          verifier.update(message);
          return verifier.verify(key, messageSignature);
        },
      },
    );
  }
  contenders.push({ name: "sign", async: true, run: dk.sign });
  // The same private-key operation through node:crypto (issue 13: is a
  // faster signer reachable?); queue mode does not use it for a 4 KB
  // message, as loading node:crypto costs more than it would save.
  contenders.push({
    name: "sign-node",
    async: false,
    run: () => _sign(privateKey, message),
  });
  // DKIM: the same kind of 4 KB message, c=relaxed/relaxed, key records in
  // an in-memory zone, verified through the default (wasm) backend.
  const dkim = await dkimBench(
    privateKey.export({ type: "pkcs1", format: "pem" }).toString(),
    benchMessage(message, MESSAGE_SIZE),
    wasmBackend,
  );
  if (typeof dkim === "string") return dkim;
  contenders.push({
    name: "ed25519/verify",
    async: true,
    run: dkim.ed25519Verify,
  });
  for (const kind of DKIM_KINDS) {
    contenders.push(
      {
        name: `dkim/${kind}`,
        async: true,
        run: () => dkim.verify(kind, wasmBackend),
      },
      { name: `dkimsign/${kind}`, async: true, run: () => dkim.sign(kind) },
    );
  }

  say(
    `dk bench: ${seconds} s per figure, ${contenders.length} figures timed in ${SLICES} interleaved rounds (wall clock)`,
  );
  _warmUp(pairs.get(2048)!, data);
  const rates = await _race(contenders, seconds);

  const rsa: Record<string, Record<string, number>> = {};
  const hash: Record<string, Record<string, number>> = {};
  const messageVerify: Record<string, number> = {};
  const seamVerify: Record<string, number> = {};
  const dkimVerify: Record<string, number> = {};
  const dkimSign: Record<string, number> = {};
  for (const [name, rate] of Object.entries(rates)) {
    const [table, backend, column] = name.split("/");
    if (table === "rsa") (rsa[backend] ??= {})[column] = Math.round(rate);
    if (table === "hash") {
      (hash[backend] ??= {})[column] = Math.round(rate / 1e6);
    }
    if (table === "message") messageVerify[backend] = Math.round(rate);
    if (table === "seam") seamVerify[backend] = Math.round(rate);
    if (table === "dkim") dkimVerify[backend] = Math.round(rate);
    if (table === "dkimsign") dkimSign[backend] = Math.round(rate);
  }
  const messageSign = Math.round(rates.sign);
  const nodeSign = Math.round(rates["sign-node"]);
  const ed25519Rate = Math.round(rates["ed25519/verify"]);
  const openssl = await _opensslSpeed();
  const opensslRate = openssl?.verify ?? null;

  say("RSA public operations/s     1024      2048      4096");
  for (const [name, row] of Object.entries(rsa)) {
    say(
      `  ${name.padEnd(22)}${
        SIZES.map((b) => String(row[b]).padStart(10)).join("")
      }`,
    );
  }
  if (opensslRate !== null) {
    say(
      `  ${"openssl speed (verify)".padEnd(22)}${"".padStart(10)}${
        String(Math.round(opensslRate)).padStart(10)
      }`,
    );
  }
  say("  (webcrypto: crypto.subtle.verify of 32 bytes, awaited one by one)");
  say("Hash MB/s (64 KB inputs)   sha1    sha256");
  for (const [name, row] of Object.entries(hash)) {
    say(
      `  ${name.padEnd(22)}${String(row.sha1).padStart(6)}${
        String(row.sha256).padStart(10)
      }`,
    );
  }
  say("  (webcrypto here: node:crypto's streaming hash, native code)");
  say("Whole message (4 KB, RSA-2048, SHA-1, key record cached) per second");
  say("                        DomainKeys      seam only");
  for (const [name, rate] of Object.entries(messageVerify)) {
    say(
      `  verify ${name.padEnd(15)}${String(rate).padStart(10)}${
        String(seamVerify[name]).padStart(15)
      }`,
    );
  }
  say(`  sign (DkSigner)       ${String(messageSign).padStart(10)}`);
  say(`  sign, node:crypto     ${String(nodeSign).padStart(10)}`);
  if (openssl !== null) {
    say(
      `  openssl speed (sign)  ${
        String(Math.round(openssl.sign)).padStart(10)
      }   (private-key operations only)`,
    );
  }
  const method =
    "DomainKeys: DkVerifier end to end (parse, nofws canonicalization, SHA-1, key record from an in-memory zone, RSA-2048 check); seam only: SHA-1 of the 4 KB and the RSA check through the backend's Verifier";
  say(`  (${method})`);
  say(
    "  (sign: DkSigner end to end, RSA-SHA1 by WebCrypto; node:crypto: the same signature of the 4 KB; both are Deno's Rust RSA, openssl's is native)",
  );
  say(
    `Ed25519 verify/s (WebCrypto, 32-byte digest) ${
      String(ed25519Rate).padStart(10)
    }`,
  );
  say(
    "DKIM whole message (4 KB, c=relaxed/relaxed, key record cached) per second",
  );
  say("                        rsa2048   ed25519");
  say(
    `  verify (DkimVerifier)${String(dkimVerify.rsa2048).padStart(8)}${
      String(dkimVerify.ed25519).padStart(10)
    }`,
  );
  say(
    `  sign (DkimSigner)    ${String(dkimSign.rsa2048).padStart(8)}${
      String(dkimSign.ed25519).padStart(10)
    }`,
  );
  say(
    "  (verify: parse, relaxed canonicalization, SHA-256 and RSA through the wasm backend, Ed25519 by WebCrypto; sign: DkimSigner end to end, keys by WebCrypto)",
  );

  const ratio = (a: number | undefined, b: number | undefined | null) =>
    a && b ? Math.round((a / b) * 100) / 100 : null;
  const ratios: Record<string, number | null> = {
    rsa2048_wasm_over_cios_baseline: ratio(
      rsa.wasm[2048],
      rsa.wasm_cios_baseline[2048],
    ),
    rsa2048_wasm_over_bigint: ratio(rsa.wasm[2048], rsa.bigint[2048]),
    rsa2048_wasm_over_webcrypto: ratio(rsa.wasm[2048], rsa.webcrypto[2048]),
    rsa2048_openssl_over_wasm: ratio(opensslRate ?? undefined, rsa.wasm[2048]),
    sha1_wasm_over_webcrypto: ratio(hash.wasm.sha1, hash.webcrypto.sha1),
    message_verify_wasm_over_webcrypto: ratio(
      messageVerify.wasm,
      messageVerify.webcrypto,
    ),
    message_verify_wasm_over_bigint: ratio(
      messageVerify.wasm,
      messageVerify.bigint,
    ),
    dkim_rsa2048_verify_over_dk_verify: ratio(
      dkimVerify.rsa2048,
      messageVerify.wasm,
    ),
    dkim_ed25519_verify_over_rsa2048: ratio(
      dkimVerify.ed25519,
      dkimVerify.rsa2048,
    ),
  };
  say("Ratios");
  for (const [name, value] of Object.entries(ratios)) {
    say(`  ${name.padEnd(40)}${value === null ? "n/a" : `${value}x`}`);
  }
  return {
    seconds_per_measurement: seconds,
    rsa_verify_per_s: rsa,
    hash_mb_per_s: hash,
    message_verify_per_s: messageVerify,
    message_verify_method: method,
    seam_verify_4k_per_s: seamVerify,
    message_sign_per_s: messageSign,
    node_crypto_message_sign_per_s: nodeSign,
    openssl_rsa2048_verify_per_s: opensslRate === null
      ? null
      : Math.round(opensslRate),
    openssl_rsa2048_sign_per_s: openssl === null
      ? null
      : Math.round(openssl.sign),
    ed25519_verify_per_s: ed25519Rate,
    dkim_message_verify_per_s: dkimVerify,
    dkim_message_sign_per_s: dkimSign.rsa2048,
    dkim_ed25519_message_sign_per_s: dkimSign.ed25519,
    ratios,
  };
}

/**
 * Times each contender for `seconds` in total, in interleaved slices after
 * a warm-up; resolves to units per second by name.
 */
async function _race(
  contenders: Contender[],
  seconds: number,
): Promise<Record<string, number>> {
  const totals = contenders.map(() => ({ units: 0, ms: 0 }));
  const sliceMs = (seconds * 1000) / SLICES;
  for (const contender of contenders) {
    await _runFor(contender, Math.min(50, sliceMs));
  }
  for (let slice = 0; slice < SLICES; slice++) {
    for (const [i, contender] of contenders.entries()) {
      const { calls, ms } = await _runFor(contender, sliceMs);
      totals[i].units += calls * (contender.units ?? 1);
      totals[i].ms += ms;
    }
  }
  return Object.fromEntries(
    contenders.map((c, i) => [c.name, totals[i].units / (totals[i].ms / 1000)]),
  );
}

async function _runFor(
  contender: Contender,
  ms: number,
): Promise<{ calls: number; ms: number }> {
  const start = performance.now();
  let now = start;
  let calls = 0;
  do {
    if (contender.async) await contender.run();
    else contender.run();
    calls++;
    now = performance.now();
  } while (now - start < ms);
  return { calls, ms: Math.max(now - start, 0.001) };
}

function _pair(bits: number): Pair {
  const { publicKey, privateKey } = generateKeyPairSync("rsa", {
    modulusLength: bits,
  });
  const jwk = publicKey.export({ format: "jwk" });
  const n = _base64Url(jwk.n ?? "");
  return {
    key: { n, e: _base64Url(jwk.e ?? ""), bits },
    privateKey,
  };
}

function _sign(privateKey: KeyObject, data: Uint8Array): Uint8Array {
  return new Uint8Array(createSign("RSA-SHA1").update(data).sign(privateKey));
}

function _base64Url(text: string): Uint8Array {
  const b64 = text.replace(/-/g, "+").replace(/_/g, "/");
  return Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
}

/**
 * A 4 KB message signed by DkSigner with the 2048-bit key, the in-memory zone
 * holding its key record, and a function that signs it again; or a message
 * saying why not.
 */
async function _dkMessage(privateKey: KeyObject, body: Uint8Array) {
  const pem = privateKey.export({ type: "pkcs1", format: "pem" }).toString();
  const parsed = parsePrivateKeyPem(pem);
  if (!parsed.ok) return `Cannot benchmark DomainKeys: ${parsed.error}`;
  const keyInfo = parsed.value;
  const text = Array.from(body, (b) => String.fromCharCode(97 + (b % 26)));
  const lines: string[] = [];
  for (let at = 0; at < MESSAGE_SIZE - 200; at += 72) {
    lines.push(text.slice(at, at + 70).join(""));
  }
  const message = new TextEncoder().encode(
    "From: Bench <bench@example.com>\r\nTo: someone@example.net\r\n" +
      "Subject: dk bench\r\nDate: Wed, 25 Nov 2026 12:00:00 +0000\r\n" +
      "Message-ID: <bench@example.com>\r\n\r\n" + lines.join("\r\n") + "\r\n",
  );
  const sign = () => {
    const signer = new DkSigner({ canon: "nofws" });
    signer.update(message);
    return signer.sign(keyInfo, "bench", "example.com", "\r\n");
  };
  const header = await sign();
  if (!header.ok) return `Cannot benchmark DomainKeys: ${header.error.reason}`;
  const headerBytes = new TextEncoder().encode(header.value);
  const signed = new Uint8Array(headerBytes.length + message.length);
  signed.set(headerBytes);
  signed.set(message, headerBytes.length);
  const record = `k=rsa; p=${encodeBase64(keyInfo.publicKey.spki)}`;
  const resolver = memoryResolver({
    "bench._domainkey.example.com": [[record]],
  });
  return { signed, resolver, sign };
}

/** Checks every backend answers right before timing it; a message if not. */
async function _checkRsa(
  key: RsaPublicKey,
  data: Uint8Array,
  signature: Uint8Array,
): Promise<string | null> {
  const wasm = wasmBackend.rsaPublic!(key, signature);
  const bigint = bigintBackend.rsaPublic!(key, signature);
  const cios = wasmCiosRsaPublic(key, signature);
  if (
    wasm === null || bigint === null || cios === null ||
    wasm.join() !== bigint.join() || cios.join() !== bigint.join()
  ) {
    return `Cannot benchmark RSA-${key.bits}: the backends disagree on the public operation`;
  }
  for (const backend of [wasmBackend, bigintBackend, webcryptoBackend]) {
    const verifier = backend.verifier("sha1");
    verifier.update(data);
    if (!(await verifier.verify(key, signature))) {
      return `Cannot benchmark RSA-${key.bits}: the ${backend.name} backend refused a good signature`;
    }
  }
  return null;
}

/**
 * Runs the wasm core's hot functions until V8 has had time to replace its
 * baseline code with optimized code (tier-up happens per function, in the
 * background, after enough calls), so the first measured slice is not
 * penalized.
 */
function _warmUp(pair: Pair, data: Uint8Array): void {
  const signature = _sign(pair.privateKey, data);
  const block = new Uint8Array(HASH_INPUT);
  const until = (ms: number, work: () => unknown) => {
    const end = performance.now() + ms;
    while (performance.now() < end) work();
  };
  until(300, () => wasmBackend.rsaPublic!(pair.key, signature));
  until(150, () => wasmCiosRsaPublic(pair.key, signature));
  until(150, () => bigintBackend.rsaPublic!(pair.key, signature));
  for (const alg of ["sha1", "sha256"] as const) {
    until(150, () => {
      const stream = wasmBackend.hash(alg);
      stream.update(block);
      return stream.digest();
    });
  }
}

/**
 * `openssl speed -seconds 1 rsa2048` sign/s and verify/s, or null without
 * openssl.
 */
async function _opensslSpeed(): Promise<
  { sign: number; verify: number } | null
> {
  try {
    const { code, stdout } = await new Deno.Command("openssl", {
      args: ["speed", "-seconds", "1", "rsa2048"],
      stdout: "piped",
      stderr: "null",
    }).output();
    if (code !== 0) return null;
    const text = new TextDecoder().decode(stdout);
    const line = text.split("\n").find((l) => /^rsa\s+2048\s+bits/.test(l));
    const fields = line?.trim().split(/\s+/) ?? [];
    const verify = Number(fields[fields.length - 1]);
    const sign = Number(fields[fields.length - 2]);
    return Number.isFinite(verify) && verify > 0 && Number.isFinite(sign) &&
        sign > 0
      ? { sign, verify }
      : null;
  } catch {
    return null;
  }
}

function _firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split("\n")[0];
}
