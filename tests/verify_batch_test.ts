/**
 * `dk verify` over many files in one process (issue 13): one DNS cache for
 * the run (two keys, two queries, for DomainKeys and DKIM alike; a failed
 * lookup kept only briefly), messages overlapped but reported in input
 * order, folders streamed, and the progress counter (a terminal's stderr
 * only, never with `--quiet`, never on stdout). DNS is a scripted server on
 * 127.0.0.1 that records every query; keys are made with openssl, messages
 * signed with `dk sign`. Slow messages are FIFOs the test writes late.
 *
 * @module
 */

import { assert, assertEquals } from "./helpers/assert.ts";
import { DK, run } from "./helpers/mail_dkim.ts";
import {
  fakeResponse,
  questionName,
  startFakeDns,
} from "./helpers/fake_dns.ts";
import { splitStrings } from "./helpers/dnsmasq.ts";
import { publicKeyOf } from "./helpers/keys.ts";

const te = new TextEncoder();
const td = new TextDecoder();
const DOMAIN = "example.com";
const MESSAGE =
  "From: Joe <joe@example.com>\nTo: a@example.net\nSubject: t\nDate: Fri, 04 Dec 2026 19:00:00 +0000\n\nHello\n";

/**
 * What a name answers, given how many times it was asked before: a TXT
 * value, "servfail", "silent", or undefined for NXDOMAIN.
 */
type Script = (name: string, asked: number) => string | undefined;

/** A scripted server (answers carry TTL 60) counting queries per name. */
async function server(script: Script) {
  const counts = new Map<string, number>();
  const dns = await startFakeDns((query) => {
    const name = questionName(query);
    const asked = counts.get(name) ?? 0;
    counts.set(name, asked + 1);
    const entry = script(name, asked);
    if (entry === "silent") return null;
    if (entry === "servfail") return fakeResponse(query, 0x8182);
    if (entry === undefined) return fakeResponse(query, 0x8183);
    return fakeResponse(query, 0x8180, [splitStrings(entry)]);
  });
  return {
    ...dns,
    /** The names asked, one per query, in order. */
    names: () => dns.queries.map((q) => questionName(q.bytes)),
  };
}

interface World {
  dir: string;
  /** `selector._domainkey.example.com` → key record, for two keys. */
  zone: Record<string, string>;
  /** A message signed with key s1 (DomainKeys and DKIM), and with s2. */
  signed: [string, string];
}

async function world(): Promise<World> {
  const dir = await Deno.makeTempDir({ prefix: "dk-verify-batch-" });
  const zone: Record<string, string> = {};
  const signed: string[] = [];
  for (const selector of ["s1", "s2"]) {
    const key = `${dir}/${selector}.pem`;
    const made = await run("openssl", [
      "genrsa",
      "-traditional",
      "-out",
      key,
      "1024",
    ]);
    assertEquals(made.code, 0, made.stderrText);
    zone[`${selector}._domainkey.${DOMAIN}`] = `k=rsa; p=${await publicKeyOf(
      key,
    )}`;
    const r = await run(DK, [
      "sign",
      "--scheme",
      "both",
      "--key",
      key,
      "--selector",
      selector,
    ], { stdin: te.encode(MESSAGE) });
    assertEquals(r.code, 0, r.stderrText);
    signed.push(r.stdoutText);
  }
  return { dir, zone, signed: signed as [string, string] };
}

function verdicts(stdout: string): { file: string; code: string }[] {
  return stdout.trim().split("\n").filter((l) => l).map((l) => JSON.parse(l));
}

/**
 * Waits (up to 30 s) until a process other than `self` has `path` open,
 * looking through /proc.
 */
async function openedElsewhere(path: string, self: number): Promise<void> {
  for (let tries = 0; tries < 600; tries++) {
    for await (const proc of Deno.readDir("/proc")) {
      if (!/^\d+$/.test(proc.name) || Number(proc.name) === self) continue;
      try {
        for await (const fd of Deno.readDir(`/proc/${proc.name}/fd`)) {
          const target = await Deno.readLink(`/proc/${proc.name}/fd/${fd.name}`)
            .catch(() => "");
          if (target === path) return;
        }
      } catch { /* gone, or not ours */ }
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Makes a FIFO at `path` (a message that arrives late) and holds it open
 * read-write, so neither side blocks on open; `feed()` writes `text` after
 * `ms` and closes it (the reader then sees the end). A reader that never
 * came (old code that stopped early) costs nothing.
 */
async function lateMessage(path: string) {
  const r = await run("mkfifo", [path]);
  assertEquals(r.code, 0, r.stderrText);
  const fifo = await Deno.open(path, { read: true, write: true });
  return {
    async feed(text: string, ms: number) {
      await new Promise((resolve) => setTimeout(resolve, ms));
      // Closing before the reader opens it would lose the text.
      await openedElsewhere(path, Deno.pid);
      await fifo.write(te.encode(text));
      fifo.close();
    },
  };
}

Deno.test("dk verify: 50 messages under two keys, DomainKeys and DKIM, cost exactly two DNS queries", async () => {
  const w = await world();
  const dns = await server((name) => w.zone[name]);
  try {
    const files: string[] = [];
    for (let i = 0; i < 50; i++) {
      const file = `${w.dir}/m${String(i).padStart(2, "0")}.eml`;
      await Deno.writeTextFile(file, w.signed[i % 2]);
      files.push(file);
    }
    const r = await run(DK, [
      "verify",
      "--json",
      "--dns",
      dns.address,
      ...files,
    ]);
    assertEquals(r.code, 0, r.stderrText);
    const lines = verdicts(r.stdoutText);
    assertEquals(lines.map((l) => l.file), files);
    assertEquals(
      lines.map((l) => `${l.code}${(l as { dkim?: string }).dkim}`),
      files.map(() => "AA"),
    );
    assertEquals(dns.names().sort(), [
      `s1._domainkey.${DOMAIN}`,
      `s2._domainkey.${DOMAIN}`,
    ]);
  } finally {
    await dns.close();
    await Deno.remove(w.dir, { recursive: true });
  }
});

Deno.test("dk verify: a SERVFAIL is kept briefly for the messages at hand, then asked again", async () => {
  const w = await world();
  // The first query for s1 fails; later ones are answered.
  const dns = await server((name, asked) =>
    name.startsWith("s1.") && asked === 0 ? "servfail" : w.zone[name]
  );
  try {
    const [a, b, late] = ["a.eml", "b.eml", "late"].map((n) => `${w.dir}/${n}`);
    await Deno.writeTextFile(a, w.signed[0]);
    await Deno.writeTextFile(b, w.signed[0]);
    const fifo = await lateMessage(late);
    const [r] = await Promise.all([
      run(DK, ["verify", "--json", "--dns", dns.address, a, b, late]),
      // Past the brief keep of a failure (1 s).
      fifo.feed(w.signed[0], 1800),
    ]);
    const lines = verdicts(r.stdoutText);
    assertEquals(
      lines.map((l) => [l.file, l.code]),
      [[a, "F"], [b, "F"], [late, "A"]],
      r.stderrText,
    );
    assertEquals(dns.names(), [
      `s1._domainkey.${DOMAIN}`,
      `s1._domainkey.${DOMAIN}`,
    ]);
    assertEquals(r.code, 75);
  } finally {
    await dns.close();
    await Deno.remove(w.dir, { recursive: true });
  }
});

Deno.test("dk verify: slow lookups overlap, and lines come in input order", async () => {
  const w = await world();
  // DomainKeys-only copies under eight more selectors (s= is not signed).
  const dkOnly = w.signed[0].replace(/^DKIM-Signature:[^]*?\n(?=\S)/, "");
  assert(dkOnly.startsWith("DomainKey-Signature:"));
  const record = w.zone[`s1._domainkey.${DOMAIN}`];
  // Names of slow selectors answer only the second try (half the 2 s
  // deadline, so about 1 s late); fast ones at once.
  const dns = await server((name, asked) => {
    if (!/^(slow|fast)\d\._domainkey\./.test(name)) return undefined;
    return name.startsWith("slow") && asked === 0 ? "silent" : record;
  });
  try {
    const files: string[] = [];
    for (let i = 0; i < 16; i++) {
      const selector = i % 2 === 0 ? `slow${i / 2}` : `fast${(i - 1) / 2}`;
      const file = `${w.dir}/${String(i).padStart(2, "0")}-${selector}`;
      await Deno.writeTextFile(
        file,
        dkOnly.replace(/\bs=s1;/, `s=${selector};`),
      );
      files.push(file);
    }
    const r = await run(
      DK,
      ["verify", "--json", "--dns", dns.address, ...files],
      { env: { DK_DNS_TIMEOUT: "2" } },
    );
    assertEquals(r.code, 0, r.stdoutText + r.stderrText);
    assertEquals(verdicts(r.stdoutText).map((l) => [l.file, l.code]), [
      ...files.map((f) => [f, "A"]),
    ]);
    // Eight slow lookups one after the other would take 8 s.
    assert(r.ms < 5000, `took ${Math.round(r.ms)} ms: not overlapped`);
  } finally {
    await dns.close();
    await Deno.remove(w.dir, { recursive: true });
  }
});

Deno.test("dk verify: the progress line shows on a terminal's stderr only, never with --quiet or on stdout", async () => {
  const w = await world();
  const dns = await server((name) => w.zone[name]);
  const shell = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  try {
    const good = `${w.dir}/good.eml`;
    await Deno.writeTextFile(good, w.signed[0]);
    const cases = ["tty", "quiet", "pipe"] as const;
    const runs = cases.map(async (what) => {
      const fifo = `${w.dir}/slow-${what}`;
      const late = await lateMessage(fifo);
      const out = `${w.dir}/out-${what}`;
      const argv = [
        DK,
        "verify",
        "--dns",
        dns.address,
        ...(what === "quiet" ? ["--quiet"] : []),
        good,
        fifo,
      ];
      const command = what === "pipe"
        ? run(argv[0], argv.slice(1))
        : run("script", [
          "-qec",
          `${argv.map(shell).join(" ")} >${shell(out)}`,
          "/dev/null",
        ]);
      // The run lasts past the 2 s after which the line shows.
      const [r] = await Promise.all([
        command,
        late.feed(w.signed[1], 3000),
      ]);
      const stdout = what === "pipe"
        ? r.stdoutText
        : await Deno.readTextFile(out);
      return { what, r, stdout, terminal: r.stdoutText + r.stderrText };
    });
    for (const { what, r, stdout, terminal } of await Promise.all(runs)) {
      assertEquals(r.code, 0, `${what}: ${terminal}`);
      const lines = stdout.split("\n");
      assertEquals(lines.length, 3, `${what}: ${stdout}`);
      assert(lines[0].startsWith(`${good}: A good (d=${DOMAIN} s=s1)`), what);
      assert(
        lines[1].startsWith(`${w.dir}/slow-${what}: A good (d=${DOMAIN} s=s2)`),
        `${what}: ${stdout}`,
      );
      const line = /dk verify: \d+ messages, \d+\/s, \d+\.\d s/;
      if (what === "tty") {
        assert(line.test(terminal), `no progress line on the tty: ${terminal}`);
        assert(terminal.includes("dk verify: 2 messages"), terminal);
      } else {
        assert(!/messages/.test(terminal), `${what}: ${terminal}`);
      }
    }
  } finally {
    await dns.close();
    await Deno.remove(w.dir, { recursive: true });
  }
});

Deno.test("dk verify DIR streams the folder: files removed while it runs are never listed", async () => {
  const dir = await Deno.makeTempDir({ prefix: "dk-verify-stream-" });
  const folder = `${dir}/many`;
  await Deno.mkdir(folder);
  const zone = `${dir}/zone`;
  await Deno.writeTextFile(zone, 'example.com. 60 IN TXT "o=~"\n');
  const total = 5000;
  try {
    const name = "x".repeat(60);
    for (let i = 0; i < total; i++) {
      Deno.writeFileSync(`${folder}/${name}${i}`, te.encode(MESSAGE));
    }
    const child = new Deno.Command(DK, {
      args: ["verify", "--zone", zone, folder],
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const stderr = new Response(child.stderr).text();
    const reader = child.stdout.getReader();
    let out = "";
    // Once the first verdict is out, every file goes.
    const first = await reader.read();
    out += td.decode(first.value ?? new Uint8Array());
    await Deno.remove(folder, { recursive: true });
    while (true) {
      const { done, value } = await reader.read();
      if (done) break;
      out += td.decode(value);
    }
    await child.status;
    const seen = out.split("\n").filter((l) => l).length +
      (await stderr).split("\n").filter((l) => l.includes("Cannot read"))
        .length;
    // A whole listing read first would name every file (as a verdict or
    // "Cannot read"); a streamed folder names those listed before they went.
    assert(seen > 0);
    assert(seen < total / 2, `${seen} of ${total} files named`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
