/**
 * `scripts/dk --prepare`: readies a host for queue mode. Run it as root at
 * install time and after every update; the mail user (who cannot write the
 * cache) then finds everything ready.
 *
 * 1. Fills Deno's transpile cache with every module (main.ts and queue mode
 *    import by computed URLs, so `deno cache main.ts` alone would miss most).
 * 2. Bundles queue mode into one file, `dist/queue.js`, that carries the
 *    list of its sources (see `core/queue/bundle_run.ts`): one file loads
 *    faster than some forty modules, and a stale bundle is never run. Two
 *    more link the DKIM run: `dist/queue-dkim.js` without DomainKeys' code
 *    and `dist/queue-dual.js` with it; the launcher picks by the schemes a
 *    run will use (dkim.md 6.1, 6.15).
 * 3. Runs queue mode through the launcher, as qmail would, once for each
 *    path a message takes: passed on, signed with a throwaway key, verified
 *    with the key from DNS over UDP (a one-record server on 127.0.0.1 that
 *    this script runs), verified from a zone file (`DK_ZONE`). Deno keeps
 *    the V8 code of what those runs load in its code cache; without it,
 *    every message as the mail user compiles it again (measured: +35 ms).
 *    The runs double as a self-test: dk must sign, and verify its own
 *    signature as "good"; then the same with DKIM (signed as a relay
 *    client, verified from DNS: `DKIM-Status: good`), and both schemes
 *    signing in one run.
 *
 * `--prepare --self-test` runs step 3 alone and writes nothing beside this
 * script: the `.run` installer (scripts/package_header.sh) runs it as the
 * mail user after root's `--prepare`, to prove queue mode works from a tree
 * that user can read and not write.
 *
 * Exit 0, or 1 with a one-line reason on stderr. Nothing here is queue mode:
 * this script may write its temporary directory and the cache.
 *
 * @module
 */

import { serveDns, split, throwawayKey } from "./lab.ts";
import {
  formatManifest,
  type SourceStamp,
  stampsMatch,
} from "../core/queue/bundle_manifest.ts";

const ROOT = decodeURIComponent(new URL("../", import.meta.url).pathname)
  .replace(/\/$/, "");
const DK = `${ROOT}/scripts/dk`;
const DOMAIN = "dk-prepare.invalid";
const SELECTOR = "prepare";
/** The bundles: entry module and output; DomainKeys, DKIM, both. */
const BUNDLES: readonly { entry: string; output: string }[] = [
  {
    entry: `${ROOT}/core/queue/bundle_entry.ts`,
    output: `${ROOT}/dist/queue.js`,
  },
  {
    entry: `${ROOT}/core/queue/bundle_entry_dkim.ts`,
    output: `${ROOT}/dist/queue-dkim.js`,
  },
  {
    entry: `${ROOT}/core/queue/bundle_entry_dual.ts`,
    output: `${ROOT}/dist/queue-dual.js`,
  },
];
/** What bundle_entry.ts's MANIFEST holds until the bundle is built. */
const PLACEHOLDER = '"@@DK_QUEUE_MANIFEST@@"';

/** Every module a command may load: main.ts and core/ without tests. */
async function modules(): Promise<string[]> {
  const found = [`${ROOT}/main.ts`];
  const walk = async (dir: string) => {
    for await (const entry of Deno.readDir(dir)) {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory) await walk(path);
      else if (
        entry.name.endsWith(".ts") && !entry.name.endsWith("_test.ts") &&
        !entry.name.startsWith("_")
      ) found.push(path);
    }
  };
  await walk(`${ROOT}/core`);
  return found.sort();
}

/** Runs deno with `args`; its stdout, or an error line. */
async function deno(args: string[]): Promise<{ out: string } | string> {
  const r = await new Deno.Command(Deno.execPath(), {
    args,
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (r.success) return { out: new TextDecoder().decode(r.stdout) };
  const said = new TextDecoder().decode(r.stderr).trim().split("\n")[0];
  return `deno ${args[0]} failed (exit ${r.code})${said ? `: ${said}` : ""}`;
}

/** Fills the transpile cache; an error line, or null. */
async function fillCache(): Promise<string | null> {
  const r = await deno(["cache", "--no-config", "--quiet", ...await modules()]);
  return typeof r === "string" ? r : null;
}

/** The bundle's sources (paths under the root), as `deno info` lists them. */
async function bundleSources(entry: string): Promise<string[] | string> {
  const info = await deno(["info", "--json", "--no-config", entry]);
  if (typeof info === "string") return info;
  const graph = JSON.parse(info.out) as { modules: { local?: string }[] };
  const paths = graph.modules.flatMap((m) =>
    m.local?.startsWith(`${ROOT}/`) ? [m.local.slice(ROOT.length + 1)] : []
  );
  return paths.length ? paths.sort() : "deno info listed no sources";
}

function stamp(path: string): SourceStamp {
  const info = Deno.statSync(`${ROOT}/${path}`);
  return { path, size: info.size, mtime: info.mtime?.getTime() ?? NaN };
}

/**
 * Builds one bundle with its manifest: bundled to a temporary file, the
 * placeholder replaced, then renamed into place (a queue run never sees
 * half a bundle). An error line, or null.
 */
async function buildBundle(
  { entry, output }: { entry: string; output: string },
): Promise<string | null> {
  const paths = await bundleSources(entry);
  if (typeof paths === "string") return paths;
  const stamps = paths.map(stamp);
  // Readable by the mail user whatever the umask (the bundle too, below).
  await Deno.mkdir(`${ROOT}/dist`, { recursive: true });
  await Deno.chmod(`${ROOT}/dist`, 0o755);
  const tmp = `${output}.${crypto.randomUUID()}.tmp`;
  try {
    const built = await deno([
      "bundle",
      "--no-config",
      "--quiet",
      "--platform",
      "deno",
      "--output",
      tmp,
      entry,
    ]);
    if (typeof built === "string") return built;
    const now = (path: string) => {
      try {
        return stamp(path);
      } catch {
        return null;
      }
    };
    if (!stampsMatch(stamps, now)) {
      return "sources changed while bundling; run --prepare again";
    }
    const text = await Deno.readTextFile(tmp);
    const at = text.indexOf(PLACEHOLDER);
    if (at < 0 || text.indexOf(PLACEHOLDER, at + 1) >= 0) {
      return "the bundle does not hold exactly one manifest placeholder";
    }
    const manifest = JSON.stringify(formatManifest(stamps));
    await Deno.writeTextFile(
      tmp,
      text.slice(0, at) + manifest + text.slice(at + PLACEHOLDER.length),
    );
    await Deno.chmod(tmp, 0o644); // deno bundle made it: set, whatever the umask
    await Deno.rename(tmp, output);
    return null;
  } finally {
    await Deno.remove(tmp).catch(() => {});
  }
}

/**
 * Runs `scripts/dk queue` with `env` (and nothing else of this process's
 * environment but PATH, HOME, TMPDIR and DK_DENO_DIR) on `message`, with
 * an envelope on a pipe. An error line, or null.
 */
async function queue(
  name: string,
  env: Record<string, string>,
  message: string,
): Promise<string | null> {
  const keep: Record<string, string> = {};
  for (const v of ["PATH", "HOME", "TMPDIR", "DK_DENO_DIR"]) {
    const value = Deno.env.get(v);
    if (value !== undefined) keep[v] = value;
  }
  // The envelope (a bounce to nobody) comes on a pipe at fd 1, as from qmail.
  const child = new Deno.Command("sh", {
    args: ["-c", `exec 3<&0; printf 'F\\0\\0' | "$0" queue 1<&0 0<&3 3<&-`, DK],
    clearEnv: true,
    env: { ...keep, ...env },
    stdin: "piped",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(message));
  await writer.close();
  const r = await child.output();
  if (r.code === 0) return null;
  const said = new TextDecoder().decode(r.stderr).trim().split("\n")[0];
  return `queue mode (${name}) exited ${r.code}${said ? `: ${said}` : ""}`;
}

/** Runs the warm-up and self-test in `dir`; an error line, or null. */
async function warmUp(dir: string): Promise<string | null> {
  const key = await throwawayKey();
  await Deno.mkdir(`${dir}/keys/${DOMAIN}`, { recursive: true, mode: 0o700 });
  const keyFile = `${dir}/keys/${DOMAIN}/${SELECTOR}`;
  await Deno.writeTextFile(keyFile, key.pem, { mode: 0o600 });
  const out = `${dir}/out`;
  await Deno.writeTextFile(`${dir}/keep`, '#!/bin/sh\nexec cat >"$DK_OUT"\n', {
    mode: 0o700,
  });
  const body = Array.from(
    { length: 40 },
    (_, i) => `Line ${i}: dk prepares its cache by signing this message.\n`,
  ).join("");
  const message =
    `From: Prepare <prepare@${DOMAIN}>\nTo: postmaster@${DOMAIN}\nSubject: dk --prepare\n\n${body}`;
  const common = { DK_QMAIL_HOME: dir, DKQUEUE: `${dir}/keep`, DK_OUT: out };

  let failed = await queue("pass", common, message);
  if (failed) return failed;
  failed = await queue("sign", {
    ...common,
    RELAYCLIENT: "",
    DKSIGN: `${dir}/keys/%/${SELECTOR}`,
  }, message);
  if (failed) return failed;
  const signed = await Deno.readTextFile(out);
  if (!signed.startsWith("DomainKey-Signature:")) {
    return "queue mode did not sign the self-test message";
  }

  // Verify the signed copy twice: key from DNS over UDP, then from a zone file.
  const verify = async (how: string, env: Record<string, string>) => {
    const failed = await queue(
      how,
      { ...common, DKVERIFY: "", ...env },
      signed,
    );
    if (failed) return failed;
    const first = (await Deno.readTextFile(out)).split("\n")[0];
    return first.startsWith("DomainKey-Status: good")
      ? null
      : `queue mode (${how}) did not find its own signature good: ${first}`;
  };
  const name = `${SELECTOR}._domainkey.${DOMAIN}`;
  const strings = split(key.record);
  const dns = serveDns(new Map([[name, [strings]]]));
  try {
    failed = await verify("verify, DNS", { DK_DNS: dns.address });
  } finally {
    await dns.close();
  }
  if (failed) return failed;
  const zone = `${dir}/zone`;
  const quoted = strings.map((s) => `"${s}"`).join(" ");
  await Deno.writeTextFile(zone, `${name}. IN TXT ${quoted}\n`);
  failed = await verify("verify, zone", { DK_ZONE: zone });
  if (failed) return failed;
  return await warmUpDkim(dir, key, message, common);
}

/**
 * DKIM's runs (dkim.md 6.15): signed as a relay client with the key under
 * the control directory, then verified with its record from DNS over UDP;
 * the signature must be found good. An error line, or null.
 */
async function warmUpDkim(
  dir: string,
  key: { pem: string; dkimRecord: string },
  message: string,
  common: Record<string, string>,
): Promise<string | null> {
  const control = `${dir}/control`;
  await Deno.mkdir(`${control}/domainkeys/${DOMAIN}`, {
    recursive: true,
    mode: 0o700,
  });
  await Deno.writeTextFile(
    `${control}/domainkeys/${DOMAIN}/${SELECTOR}`,
    key.pem,
    { mode: 0o600 },
  );
  const out = common.DK_OUT;
  const dkim = {
    ...common,
    CONTROLDIR: control,
    DK_AUTHSERV_ID: "dk-prepare.invalid",
  };
  let failed = await queue("DKIM sign", {
    ...dkim,
    RELAYCLIENT: "",
    DKSIGN: "",
    DKIMSIGN: `domainkeys/%/${SELECTOR}`,
  }, message);
  if (failed) return failed;
  const signed = await Deno.readTextFile(out);
  if (!signed.startsWith("DKIM-Signature:")) {
    return "queue mode did not sign the self-test message with DKIM";
  }
  const name = `${SELECTOR}._domainkey.${DOMAIN}`;
  const dns = serveDns(new Map([[name, [split(key.dkimRecord)]]]));
  try {
    failed = await queue("DKIM verify, DNS", {
      ...dkim,
      DKIMVERIFY: "",
      DK_DNS: dns.address,
    }, signed);
  } finally {
    await dns.close();
  }
  if (failed) return failed;
  const verified = await Deno.readTextFile(out);
  if (!/^DKIM-Status: good$/m.test(verified.split("\n\n")[0])) {
    return "queue mode did not find its own DKIM signature good";
  }
  // Both schemes in one run (the dual bundle).
  failed = await queue("DomainKeys and DKIM sign", {
    ...dkim,
    RELAYCLIENT: "",
    DKSIGN: `${control}/domainkeys/%/${SELECTOR}`,
    DKIMSIGN: `domainkeys/%/${SELECTOR}`,
  }, message);
  if (failed) return failed;
  const both = await Deno.readTextFile(out);
  return /^DKIM-Signature:[^]*\nDomainKey-Signature:/.test(both)
    ? null
    : "queue mode did not sign the self-test message with both schemes";
}

async function main(): Promise<number> {
  const selfTestOnly = Deno.args.includes("--self-test");
  let failed = selfTestOnly ? null : await fillCache();
  for (const bundle of selfTestOnly ? [] : BUNDLES) {
    failed ??= await buildBundle(bundle);
  }
  if (failed) {
    console.error(`dk --prepare: ${failed}`);
    return 1;
  }
  const dir = await Deno.makeTempDir({ prefix: "dk-prepare-" });
  try {
    const warm = await warmUp(dir);
    if (warm) {
      console.error(`dk --prepare: ${warm}`);
      return 1;
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
  return 0;
}

Deno.exit(await main());
