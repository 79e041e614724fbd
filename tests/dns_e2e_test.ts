/**
 * The QmailToaster workflow end to end: `dk keygen` → `dk dns records` → a
 * loopback dnsmasq loaded with exactly those records → `dk dns check` says
 * nothing is wrong → `dk sign` → Mail::DKIM verifies through that server,
 * and `dk verify` agrees, both through the server and through `--zone` with
 * the same BIND lines. For 1024- and 2048-bit keys (the latter in two
 * strings).
 */

import { assertEquals } from "./helpers/assert.ts";
import { startDnsmasq } from "./helpers/dnsmasq.ts";

const ROOT = new URL("../", import.meta.url).pathname;
const DK = `${ROOT}scripts/dk`;
const td = new TextDecoder();
const te = new TextEncoder();

async function run(cmd: string, args: string[], stdin?: string, cwd?: string) {
  const child = new Deno.Command(cmd, {
    args,
    cwd,
    stdin: stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  if (stdin !== undefined) {
    const writer = child.stdin.getWriter();
    await writer.write(te.encode(stdin));
    await writer.close();
  }
  const out = await child.output();
  return {
    code: out.code,
    stdout: td.decode(out.stdout),
    stderr: td.decode(out.stderr),
  };
}

const MESSAGE =
  "From: Alice <alice@example.com>\nTo: bob@example.org\nSubject: DNS chapter\n\nPublished, signed, verified.\n";

/** keygen → dns records in a temp dir; the records as dnsmasq TXT data. */
async function publish(dir: string, bits: number) {
  const selector = `e2e${bits}`;
  const keygen = await run(
    DK,
    ["keygen", selector, "--bits", String(bits)],
    undefined,
    dir,
  );
  assertEquals(keygen.code, 0, keygen.stderr);
  const records = await run(DK, [
    "dns",
    "records",
    "--domain",
    "example.com",
    "--key",
    `${dir}/${selector}`,
  ]);
  assertEquals(records.code, 0, records.stderr);
  const txt = records.stdout.trimEnd().split("\n").map((line) => ({
    name: line.split("\t")[0].replace(/\.$/, ""),
    strings: [...line.matchAll(/"([^"\\]*)"/g)].map((m) => m[1]),
  }));
  assertEquals(txt.map((t) => t.strings.length), [bits === 1024 ? 1 : 2, 1]);
  return { key: `${dir}/${selector}`, bind: records.stdout, txt };
}

for (const bits of [1024, 2048]) {
  Deno.test(`keygen → dns records → dnsmasq → dns check → sign → Mail::DKIM verifies (${bits} bits)`, async () => {
    const dir = await Deno.makeTempDir({ prefix: "dk-dns-e2e-" });
    try {
      const published = await publish(dir, bits);
      const server = await startDnsmasq({
        zones: ["example.com"],
        txt: published.txt,
      });
      try {
        const check = await run(DK, [
          "dns",
          "check",
          "example.com",
          "--key",
          published.key,
          "--dns",
          server.address,
        ]);
        assertEquals([check.code, check.stdout.trimEnd().split("\n").at(-1)], [
          0,
          "No problems found",
        ], check.stdout);
        const signed = await run(DK, ["sign", "--key", published.key], MESSAGE);
        assertEquals(signed.code, 0, signed.stderr);
        const peer = await run("perl", [
          `${ROOT}scripts/maildkim_verify.pl`,
          "--port",
          String(server.port),
        ], signed.stdout);
        assertEquals(peer.code, 0, peer.stderr);
        assertEquals(JSON.parse(peer.stdout).result, "pass", peer.stdout);
      } finally {
        await server.stop();
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });

  Deno.test(`keygen → dns records → dk verify agrees, through dnsmasq and through --zone (${bits} bits)`, async () => {
    const dir = await Deno.makeTempDir({ prefix: "dk-dns-e2e-" });
    try {
      const published = await publish(dir, bits);
      const signed = await run(DK, ["sign", "--key", published.key], MESSAGE);
      assertEquals(signed.code, 0, signed.stderr);
      const server = await startDnsmasq({
        zones: ["example.com"],
        txt: published.txt,
      });
      try {
        const ours = await run(
          DK,
          ["verify", "--dns", server.address],
          signed.stdout,
        );
        assertEquals(
          [ours.code, ours.stdout.slice(0, 1)],
          [0, "A"],
          ours.stdout + ours.stderr,
        );
      } finally {
        await server.stop();
      }
      const zone = `${dir}/zone.db`;
      await Deno.writeTextFile(zone, published.bind);
      const offline = await run(DK, ["verify", "--zone", zone], signed.stdout);
      assertEquals(
        [offline.code, offline.stdout.slice(0, 1)],
        [0, "A"],
        offline.stdout + offline.stderr,
      );
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
}
