/**
 * The DKIM interop tests' shared world: keys made with openssl, their
 * records served by a loopback dnsmasq, and the three verifiers run each in
 * one process over many messages: dkimpy (python3-dkim, `dnsfunc` answering
 * from the same records), Mail::DKIM (Net::DNS at the dnsmasq) and
 * `dk verify --json`. dkimpy also signs.
 *
 * @module
 */

import { assert, assertEquals } from "./assert.ts";
import { DK, requirePeers, ROOT, run } from "./mail_dkim.ts";
import { splitStrings, startDnsmasq } from "./dnsmasq.ts";
import { publicKeyOf } from "./keys.ts";
import { encodeBase64 } from "../../core/crypto/base64.ts";

/** This folder, for the perl and python helpers. */
export const HELPERS = new URL("./", import.meta.url).pathname;
/** The domain every key signs for. */
export const DOMAIN = "example.com";
/** Debian's python, which has dkim and nacl (a pyenv one may be on PATH). */
export const PYTHON = "/usr/bin/python3";

/** Bytes as text, one character per byte. */
export const latin1 = (bytes: Uint8Array) => String.fromCharCode(...bytes);
/** Text of one character per byte as bytes. */
export const bytes = (text: string) =>
  Uint8Array.from(text, (c) => c.charCodeAt(0));

/** A signing key and the record published for it. */
export interface Key {
  name: string;
  file: string;
  record: string;
  ed25519: boolean;
}

/** Keys, their records in a loopback dnsmasq, and a folder for files. */
export interface World {
  dir: string;
  keys: Key[];
  /** The zone, name → TXT value. */
  records: Record<string, string>;
  port: number;
  address: string;
  stop(): Promise<void>;
}

/** What a key to make looks like: RSA of some bits, or Ed25519. */
export type KeySpec =
  | { name: string; rsa: number; record: (spki: string) => string }
  | { name: string; ed25519: true };

/** Runs openssl; its stdout, failing the test on a non-zero exit. */
export async function openssl(args: string[]): Promise<Uint8Array> {
  const r = await run("openssl", args);
  assertEquals(r.code, 0, r.stderrText);
  return r.stdout;
}

/**
 * Makes the keys with openssl and serves their records (and `extra`) from
 * a loopback dnsmasq; `stop()` ends it and removes the folder.
 */
export async function startWorld(
  prefix: string,
  specs: KeySpec[],
  extra: Record<string, string> = {},
): Promise<World> {
  await requirePeers();
  const dir = await Deno.makeTempDir({ prefix });
  const keys: Key[] = [];
  for (const spec of specs) {
    const file = `${dir}/${spec.name}`;
    if ("rsa" in spec) {
      await openssl(["genrsa", "-traditional", "-out", file, String(spec.rsa)]);
      const record = spec.record(await publicKeyOf(file));
      keys.push({ name: spec.name, file, record, ed25519: false });
    } else {
      await openssl(["genpkey", "-algorithm", "ed25519", "-out", file]);
      const der = await openssl([
        "pkey",
        "-in",
        file,
        "-pubout",
        "-outform",
        "DER",
      ]);
      const record = `v=DKIM1; k=ed25519; p=${encodeBase64(der.slice(-32))}`;
      keys.push({ name: spec.name, file, record, ed25519: true });
    }
  }
  const records: Record<string, string> = { ...extra };
  for (const k of keys) records[`${k.name}._domainkey.${DOMAIN}`] = k.record;
  const dns = await startDnsmasq({
    zones: [DOMAIN],
    txt: Object.entries(records).map(([name, value]) => ({
      name,
      strings: splitStrings(value),
    })),
  });
  return {
    dir,
    keys,
    records,
    port: dns.port,
    address: dns.address,
    async stop() {
      await dns.stop();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

const DKIMPY = `
import sys, json, base64, dkim
out = []
for line in sys.stdin:
    case = json.loads(line)
    records = case.get("records", {})
    def dnsfunc(name, timeout=5):
        n = name.decode().rstrip(".")
        return records[n].encode() if n in records else None
    msg = base64.b64decode(case["msg"])
    if case["op"] == "verify":
        try:
            out.append({"ok": bool(dkim.verify(msg, dnsfunc=dnsfunc))})
        except Exception as e:
            out.append({"ok": False, "error": str(e)})
    else:
        if "keyData" in case:
            key = case["keyData"].encode()
        else:
            key = open(case["key"], "rb").read()
            if case["alg"] == "ed25519-sha256":
                # dkimpy takes the base64 seed: the last 32 bytes of the PKCS#8 DER.
                der = base64.b64decode(b"".join(l for l in key.splitlines() if not l.startswith(b"-----")))
                key = base64.b64encode(der[-32:])
        canon = case.get("canon", ["relaxed", "relaxed"])
        sig = dkim.sign(msg, case["selector"].encode(), case["domain"].encode(),
            key, canonicalize=tuple(c.encode() for c in canon),
            signature_algorithm=case["alg"].encode(),
            length=case.get("length", False),
            include_headers=[h.encode() for h in case["headers"]] if "headers" in case else None)
        out.append({"signed": base64.b64encode(sig + msg).decode()})
json.dump(out, sys.stdout)
`;

/**
 * Runs dkimpy over `cases` in one process. `op: "verify"`: `msg` (base64)
 * against `records` (name → TXT). `op: "sign"`: `msg`, `selector`,
 * `domain`, `alg`, the key as a file (`key`, a PEM; Ed25519 as PKCS#8) or
 * as dkimpy takes it (`keyData`), and optionally `canon` (default
 * relaxed/relaxed), `length` and `headers`.
 */
export async function dkimpy(
  cases: Record<string, unknown>[],
): Promise<Record<string, unknown>[]> {
  const r = await run(PYTHON, ["-c", DKIMPY], {
    stdin: new TextEncoder().encode(
      cases.map((c) => JSON.stringify(c)).join("\n") + "\n",
    ),
    timeoutMs: 120_000,
  });
  assertEquals(r.code, 0, r.stderrText);
  return JSON.parse(r.stdoutText);
}

/** dkimpy's pass/fail on each message. */
export async function dkimpyVerify(
  w: World,
  messages: string[],
): Promise<{ ok: boolean; error?: string }[]> {
  return await dkimpy(messages.map((m) => ({
    op: "verify",
    msg: encodeBase64(bytes(m)),
    records: w.records,
  }))) as { ok: boolean; error?: string }[];
}

/** One signature as Mail::DKIM judged it. */
export interface PeerSignature {
  type: string;
  result: string;
  details: string | null;
}

/** Mail::DKIM's verdicts on each message, in one perl process. */
export async function mailDkimVerify(
  w: World,
  messages: string[],
): Promise<{ result: string; signatures: PeerSignature[] }[]> {
  const files = await writeAll(w, "md", messages);
  const r = await run("perl", [
    `${ROOT}/scripts/maildkim_verify.pl`,
    "--port",
    String(w.port),
    ...files,
  ], { timeoutMs: 120_000 });
  assertEquals(r.code, 0, r.stderrText);
  return r.stdoutText.trim().split("\n").map((l) => JSON.parse(l));
}

let written = 0;
/** Writes each message to a file of its own in the world's folder. */
export async function writeAll(
  w: World,
  prefix: string,
  messages: string[],
): Promise<string[]> {
  const files: string[] = [];
  for (const m of messages) {
    const file = `${w.dir}/${prefix}-${String(written++).padStart(5, "0")}`;
    await Deno.writeFile(file, bytes(m));
    files.push(file);
  }
  return files;
}

/** The fields of one `dk verify --json` line the tests read. */
export interface DkJson {
  file: string;
  code: string;
  dkim: string;
  signatures: { scheme: string; code: string; reason: string }[];
}

/** `dk verify --json` over all messages in one process. */
export async function dkVerify(
  w: World,
  messages: string[],
  args: string[] = [],
  env: Record<string, string> = {},
): Promise<{ code: number; verdicts: DkJson[] }> {
  const files = await writeAll(w, "dk", messages);
  const r = await run(DK, [
    "verify",
    "--dns",
    w.address,
    "--json",
    ...args,
    ...files,
  ], { env, timeoutMs: 120_000 });
  assert(r.code !== 2, r.stderrText);
  const verdicts = r.stdoutText.trim().split("\n").map((l) => JSON.parse(l));
  assertEquals(verdicts.map((v: DkJson) => v.file), files);
  return { code: r.code, verdicts };
}

/**
 * Copies the world's keys into `control/domainkeys/DOMAIN/NAME`, where
 * qmail-dkim's key paths (`domainkeys/%/NAME`) find them.
 */
export async function placeKeys(w: World, control: string): Promise<void> {
  await Deno.mkdir(`${control}/domainkeys/${DOMAIN}`, { recursive: true });
  for (const k of w.keys) {
    await Deno.copyFile(k.file, `${control}/domainkeys/${DOMAIN}/${k.name}`);
  }
}

/** A message's header field names (LF line ends), in order, lowercased. */
export function fieldNames(text: string): string[] {
  const header = text.split("\n\n")[0];
  return header.split("\n").filter((l) => /^[^ \t]/.test(l)).map((l) =>
    l.slice(0, l.indexOf(":")).toLowerCase()
  );
}
