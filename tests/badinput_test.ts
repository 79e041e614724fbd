/**
 * Bad input through `scripts/dk verify` and `scripts/dk sign` (`issues show
 * 3`, "Tests that must exist"): empty input, binary garbage, a header line
 * without a colon, 20,000 headers, a 1 MB header line, a header section past
 * the 1 MiB limit, a long whitespace run, missing and unusable key files.
 * Each must give the documented exit code (cli.md; `core/cli/sign.ts`: 2 for
 * usage or an unusable key file, 1 for a message that cannot be signed), at
 * most one line on stderr (exactly one for an error), no stack trace, and
 * finish promptly. `verify` judges any bytes as a message: a letter, never a
 * crash.
 *
 * @module
 */

import { assert, assertEquals } from "./helpers/assert.ts";
import { startDnsmasq } from "./helpers/dnsmasq.ts";
import {
  DOMAIN,
  type KeyWorld,
  makeKeyWorld,
  worldZone,
} from "./helpers/keys.ts";
import {
  mailDkimSign,
  mailDkimVerify,
  mapLimit,
  parseDkJson,
  requirePeers,
  run,
  runDk,
  type RunResult,
} from "./helpers/mail_dkim.ts";
import { concat, Rng, toBinary } from "./helpers/messages.ts";

const SEED = 20000;
const CONCURRENCY = 3;
/** "Promptly": generous for a loaded machine, far below what a quadratic pass takes. */
const PROMPT_MS = 15_000;
/** A process killed after this is a hang. */
const DEADLINE_MS = 60_000;

const encoder = new TextEncoder();
const text = (s: string) => encoder.encode(s);

/** Expectations of one case. */
interface Expect {
  /** Exit code. */
  code: number;
  /** `dk verify --json` letter of the (single) message. */
  letter?: string;
  /** Lines on stderr: exactly 1 for an error, "0-1" where dk may stay silent. */
  stderrLines: 1 | "0-1" | 0;
  /** Extra checks on the result. */
  check?: (r: RunResult, dir: string) => void | Promise<void>;
}

/** One case: a dk command, its input, what must happen. */
interface Case {
  name: string;
  args: (world: KeyWorld, dns: string, dir: string) => string[];
  /** The message on stdin, made once the keys exist. */
  stdin?: (world: KeyWorld) => Promise<Uint8Array> | Uint8Array;
  /** Prepares files in the test's directory before anything runs. */
  make?: (dir: string, world: KeyWorld) => Promise<void>;
  expect: Expect;
}

function verify(dns: string): string[] {
  return ["verify", "--json", "--dns", dns];
}

function sign(world: KeyWorld): string[] {
  return ["sign", "--key", world.k1024.file, "--domain", DOMAIN];
}

const FROM = `From: Alice <alice@${DOMAIN}>\n`;

/** 20,000 header lines under From and Subject (about 700 KB: under 1 MiB). */
function manyHeaders(): Uint8Array {
  const lines = [FROM, "Subject: many headers\n"];
  for (let i = 0; i < 20_000; i++) lines.push(`X-Filler-${i}: value ${i}\n`);
  lines.push("\nbody\n");
  return text(lines.join(""));
}

/** One header line of `size` octets of value under From. */
function bigHeader(size: number): Uint8Array {
  return text(`${FROM}Subject: big\nX-Big: ${"a".repeat(size)}\n\nbody\n`);
}

/** Seeded garbage: every byte value, NULs and lone CRs included. */
function garbage(): Uint8Array {
  return new Rng(SEED).bytes(65_536);
}

/** Signs with Mail::DKIM (nofws, 1024-bit key, s1024). */
function peerSigned(world: KeyWorld, message: Uint8Array): Promise<Uint8Array> {
  return mailDkimSign(message, {
    key: world.k1024.file,
    selector: "s1024",
    domain: DOMAIN,
    method: "nofws",
  });
}

/** Asserts that dk's signed output is the input under one DomainKey-Signature header. */
function signedUnchanged(input: Uint8Array) {
  return (r: RunResult) => {
    const out = toBinary(r.stdout);
    const inp = toBinary(input);
    assert(
      out.startsWith("DomainKey-Signature:"),
      "no DomainKey-Signature on top",
    );
    assert(out.endsWith(inp), "the input is not unchanged under the signature");
  };
}

function cases(port: () => number): Case[] {
  const peerPasses = (input: Uint8Array) => async (r: RunResult) => {
    signedUnchanged(input)(r);
    const v = await mailDkimVerify(r.stdout, port());
    assertEquals(
      v.domainkeys?.result,
      "pass",
      `Mail::DKIM: ${v.domainkeys?.details}`,
    );
  };
  const many = manyHeaders();
  const big = bigHeader(1_000_000);
  return [
    // ---- verify: any bytes are a message and get a letter ----
    {
      name: "verify: empty input → C, exit 1",
      args: (_, dns) => verify(dns),
      stdin: () => new Uint8Array(),
      expect: { code: 1, letter: "C", stderrLines: "0-1" },
    },
    {
      name: "verify: 64 KB of binary garbage → C, exit 1",
      args: (_, dns) => verify(dns),
      stdin: garbage,
      expect: { code: 1, letter: "C", stderrLines: "0-1" },
    },
    {
      name: "verify: a header line without a colon → C, exit 1",
      args: (_, dns) => verify(dns),
      stdin: () => text(`${FROM}this line has no colon\nSubject: x\n\nbody\n`),
      expect: { code: 1, letter: "C", stderrLines: "0-1" },
    },
    {
      name: "verify: 20,000 headers, unsigned → C, promptly",
      args: (_, dns) => verify(dns),
      stdin: () => many,
      expect: { code: 1, letter: "C", stderrLines: "0-1" },
    },
    {
      name: "verify: 20,000 headers under a Mail::DKIM signature → A, promptly",
      args: (_, dns) => verify(dns),
      stdin: (world) => peerSigned(world, many),
      expect: { code: 0, letter: "A", stderrLines: 0 },
    },
    {
      name: "verify: a 1 MB header line, unsigned → C",
      args: (_, dns) => verify(dns),
      stdin: () => big,
      expect: { code: 1, letter: "C", stderrLines: "0-1" },
    },
    {
      name:
        "verify: a 1 MB header line under a Mail::DKIM signature → A (header section under 1 MiB)",
      args: (_, dns) => verify(dns),
      stdin: (world) => peerSigned(world, big),
      expect: { code: 0, letter: "A", stderrLines: 0 },
    },
    {
      // domainkeys.md 1.10: past 1 MiB of header section dk stops looking
      // for a signature: G when one was seen.
      name: "verify: a signed header section past 1 MiB (1.2 MB line) → G",
      args: (_, dns) => verify(dns),
      stdin: (world) => peerSigned(world, bigHeader(1_200_000)),
      expect: { code: 1, letter: "G", stderrLines: "0-1" },
    },
    {
      name: "verify: an unsigned header section past 1 MiB → C",
      args: (_, dns) => verify(dns),
      stdin: () => bigHeader(1_200_000),
      expect: { code: 1, letter: "C", stderrLines: "0-1" },
    },
    {
      // style.md: mailauth's quadratic relaxed-body loop; nofws here.
      name:
        "verify: 4 MB whitespace run in one body line, nofws, signed → A, promptly",
      args: (_, dns) => verify(dns),
      stdin: (world) =>
        peerSigned(
          world,
          concat([
            text(`${FROM}Subject: spaces\n\nx`),
            text(" \t".repeat(2_000_000)),
            text("y\n"),
          ]),
        ),
      expect: { code: 0, letter: "A", stderrLines: 0 },
    },
    {
      name: "verify: a file that does not exist → exit 2, one line naming it",
      args: (_, dns, dir) => [...verify(dns), `${dir}/no-such-message`],
      expect: {
        code: 2,
        stderrLines: 1,
        check: (r) =>
          assert(r.stderrText.includes("no-such-message"), r.stderrText),
      },
    },
    {
      name: "verify: an unknown option → exit 2, one line",
      args: (_, dns) => [...verify(dns), "--no-such-option"],
      stdin: () => text(`${FROM}\nbody\n`),
      expect: { code: 2, stderrLines: 1 },
    },
    // ---- sign: a message that cannot be signed is exit 1 ----
    {
      name: "sign: empty input → exit 1, one line",
      args: (world) => sign(world),
      stdin: () => new Uint8Array(),
      expect: { code: 1, stderrLines: 1 },
    },
    {
      name: "sign: 64 KB of binary garbage → exit 1, one line",
      args: (world) => sign(world),
      stdin: garbage,
      expect: { code: 1, stderrLines: 1 },
    },
    {
      name: "sign: From line without a colon (no From) → exit 1, one line",
      args: (world) => sign(world),
      stdin: () => text(`From alice@${DOMAIN}\nSubject: x\n\nbody\n`),
      expect: { code: 1, stderrLines: 1 },
    },
    {
      name: "sign: 20,000 headers → signed promptly, Mail::DKIM passes it",
      args: (world) => sign(world),
      stdin: () => many,
      expect: { code: 0, stderrLines: 0, check: peerPasses(many) },
    },
    {
      name: "sign: a 1 MB header line → signed promptly, Mail::DKIM passes it",
      args: (world) => sign(world),
      stdin: () => big,
      expect: { code: 0, stderrLines: 0, check: peerPasses(big) },
    },
    // ---- sign: an unusable key file is exit 2 ----
    {
      name: "sign: missing --key → exit 2, one line",
      args: () => ["sign", "--domain", DOMAIN],
      stdin: () => text(`${FROM}\nbody\n`),
      expect: { code: 2, stderrLines: 1 },
    },
    ...keyFileCases(),
    // ---- keygen: refusals (domainkeys.md 6.2) are usage errors ----
    {
      name: "keygen: --bits 512 → refused, exit 2, one line, no file",
      args: (_w, _d, dir) => ["keygen", `${dir}/kg512`, "--bits", "512"],
      expect: { code: 2, stderrLines: 1, check: noFile("kg512") },
    },
    {
      name: "keygen: --bits 8192 → refused, exit 2, one line, no file",
      args: (_w, _d, dir) => ["keygen", `${dir}/kg8192`, "--bits", "8192"],
      expect: { code: 2, stderrLines: 1, check: noFile("kg8192") },
    },
    {
      name:
        "keygen: an existing key file without --force → exit 2, file untouched",
      args: (_w, _d, dir) => ["keygen", `${dir}/kgexists`, "--bits", "1024"],
      make: (dir) => Deno.writeTextFile(`${dir}/kgexists`, "keep me\n"),
      expect: {
        code: 2,
        stderrLines: 1,
        check: async (_r, dir) => {
          assertEquals(
            await Deno.readTextFile(`${dir}/kgexists`),
            "keep me\n",
          );
        },
      },
    },
  ];
}

/** A check that `name` was not created in the test's directory. */
function noFile(name: string) {
  return async (_r: RunResult, dir: string) => {
    const there = await Deno.stat(`${dir}/${name}`).then(
      () => true,
      () => false,
    );
    assert(!there, `${name} was created`);
  };
}

/** Key files that cannot be used: each made in the test's directory. */
function keyFileCases(): Case[] {
  const bad: [string, string, NonNullable<Case["make"]>][] = [
    ["a key file that does not exist", "missing", async () => {}],
    ["a key path under a regular file", "empty/private", async () => {}],
    [
      "a key path that is a directory (root reads mode 000 files)",
      "isdir",
      async (dir) => {
        await Deno.mkdir(`${dir}/isdir`);
      },
    ],
    ["an empty key file", "empty", async (dir) => {
      await Deno.writeFile(`${dir}/empty`, new Uint8Array(), { mode: 0o600 });
    }],
    ["a non-RSA key (ed25519)", "ed25519", async (dir) => {
      const r = await run("openssl", [
        "genpkey",
        "-algorithm",
        "ed25519",
        "-out",
        `${dir}/ed25519`,
      ]);
      if (r.code !== 0) {
        throw new Error(`openssl genpkey ed25519: ${r.stderrText}`);
      }
    }],
    ["a truncated PEM", "truncated", async (dir, world) => {
      const pem = await Deno.readTextFile(world.k1024.file);
      await Deno.writeTextFile(
        `${dir}/truncated`,
        pem.slice(0, Math.floor(pem.length / 2)),
        { mode: 0o600 },
      );
    }],
    ["a PEM whose base64 is damaged", "damaged", async (dir, world) => {
      const pem = await Deno.readTextFile(world.k1024.file);
      const lines = pem.split("\n");
      lines[3] = lines[3].replace(/[A-Za-z]/g, "!");
      await Deno.writeTextFile(`${dir}/damaged`, lines.join("\n"), {
        mode: 0o600,
      });
    }],
    ["a public key instead of a private key", "public", async (dir, world) => {
      const body = world.k1024.spki.match(/.{1,64}/g)!.join("\n");
      await Deno.writeTextFile(
        `${dir}/public`,
        `-----BEGIN PUBLIC KEY-----\n${body}\n-----END PUBLIC KEY-----\n`,
        { mode: 0o600 },
      );
    }],
    ["an encrypted PEM", "encrypted", async (dir) => {
      const r = await run("openssl", [
        "genrsa",
        "-aes128",
        "-passout",
        "pass:secret",
        "-out",
        `${dir}/encrypted`,
        "1024",
      ]);
      if (r.code !== 0) {
        throw new Error(`openssl genrsa -aes128: ${r.stderrText}`);
      }
    }],
    ["a file of binary garbage", "garbage", async (dir) => {
      await Deno.writeFile(`${dir}/garbage`, garbage().subarray(0, 2000), {
        mode: 0o600,
      });
    }],
  ];
  return bad.map(([what, file, make]): Case => ({
    name: `sign: ${what} → exit 2, one line naming it`,
    args: (
      _world,
      _dns,
      dir,
    ) => ["sign", "--key", `${dir}/${file}`, "--domain", DOMAIN],
    stdin: () => text(`${FROM}Subject: x\n\nbody\n`),
    expect: {
      code: 2,
      stderrLines: 1,
      check: (r) =>
        assert(
          r.stderrText.includes(file),
          `stderr does not name the file: ${r.stderrText}`,
        ),
    },
    make,
  }));
}

Deno.test("bad input: dk verify and dk sign answer with a letter or one line and the documented exit code", async (t) => {
  await requirePeers();
  const world = await makeKeyWorld();
  const dns = await startDnsmasq(worldZone(world));
  const dir = await Deno.makeTempDir({ prefix: "dk-badinput-" });
  const started = performance.now();
  try {
    const table = cases(() => dns.port);
    for (const c of table) await c.make?.(dir, world);
    const results = await mapLimit(table, CONCURRENCY, async (c) => {
      try {
        const stdin = c.stdin ? await c.stdin(world) : undefined;
        return {
          r: await runDk(c.args(world, dns.address, dir), {
            stdin,
            timeoutMs: DEADLINE_MS,
          }),
        };
      } catch (e) {
        return { error: (e as Error).message };
      }
    });
    let passed = 0;
    for (const [i, c] of table.entries()) {
      const { r, error } = results[i] as { r?: RunResult; error?: string };
      const ok = await t.step(c.name, async () => {
        assert(r, `could not run: ${error}`);
        assert(!r.timedOut, `killed after ${DEADLINE_MS} ms`);
        const stderr = r.stderrText;
        assert(
          !/\bat (file|ext|node):|Uncaught|Stack backtrace|^\s+at /m.test(
            stderr,
          ),
          `stack trace on stderr:\n${stderr.slice(0, 800)}`,
        );
        const lines = stderr === ""
          ? 0
          : stderr.replace(/\n$/, "").split("\n").length;
        if (c.expect.stderrLines === "0-1") {
          assert(
            lines <= 1,
            `more than one line on stderr:\n${stderr.slice(0, 800)}`,
          );
        } else {
          assertEquals(
            lines,
            c.expect.stderrLines,
            `stderr:\n${stderr.slice(0, 800)}`,
          );
        }
        if (lines === 1) {
          assert(stderr.endsWith("\n"), "the error line has no line end");
        }
        assertEquals(
          r.code,
          c.expect.code,
          `exit code; stderr: ${stderr.trim().slice(0, 300)}`,
        );
        if (c.expect.letter) {
          const verdicts = parseDkJson(r.stdoutText);
          assertEquals(verdicts.length, 1, "one JSON line per message");
          assertEquals(
            verdicts[0].code,
            c.expect.letter,
            `reason: ${verdicts[0].reason}`,
          );
          assert(
            typeof verdicts[0].reason === "string" && verdicts[0].reason !== "",
            "no reason",
          );
        }
        assert(r.ms < PROMPT_MS, `took ${r.ms.toFixed(0)} ms`);
        await c.expect.check?.(r, dir);
      });
      if (ok) passed++;
    }
    console.log(`bad input: ${passed}/${table.length} passed`);
  } finally {
    await dns.stop();
    await world.cleanup();
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
  console.log(
    `bad input: took ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
});
