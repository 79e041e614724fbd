/**
 * Hostile header sections (issue 11 item 4): peak memory of a 1 MB header
 * section of short lines, and an `h=` of many names over many headers.
 * Bounds are on memory and on the shape of the answer, never on time.
 */

import { assertEquals } from "./helpers/assert.ts";
import { DK, run } from "./helpers/mail_dkim.ts";
import { generateRsaKey } from "./helpers/keys.ts";
import { cleanup, runQueue, workDir } from "./helpers/queue_run.ts";

const SIG =
  "DomainKey-Signature: a=rsa-sha1; q=dns; c=nofws; s=s; d=example.com;\n" +
  "  b=AAAA;\n";
const MB = 1024 * 1024;

/** `count` copies of `unit` joined, as one string. */
function many(unit: string, count: number): string {
  return unit.repeat(count);
}

/** Peak RSS in bytes of `dk ARGS`, from /usr/bin/time -f %M. */
async function peakRss(
  args: string[],
  stdin?: Uint8Array,
): Promise<{ code: number; bytes: number; stderr: string }> {
  const r = await run("/usr/bin/time", ["-f", "RSS=%M", DK, ...args], {
    stdin,
    timeoutMs: 120_000,
  });
  const m = /RSS=(\d+)\s*$/.exec(r.stderrText);
  if (!m) throw new Error(`no RSS figure: ${r.stderrText}`);
  return { code: r.code, bytes: Number(m[1]) * 1024, stderr: r.stderrText };
}

Deno.test("dk verify and dk sign of a 1 MB header section of short lines peak at most N + 100 MB", async () => {
  const dir = await Deno.makeTempDir({ prefix: "dk-hostile-" });
  try {
    const shortLines = SIG + "From: a@example.com\n" +
      many("a:b\n", 250_000) + "\nbody\n";
    const file = `${dir}/short.eml`;
    await Deno.writeTextFile(file, shortLines);
    await Deno.writeTextFile(
      `${dir}/zone`,
      's._domainkey.example.com. IN TXT "k=rsa; p=MIGf"\n',
    );
    const size = shortLines.length;
    const limit = size + 100 * MB;
    const verified = await peakRss(["verify", "--zone", `${dir}/zone`, file]);
    assertEquals(
      verified.bytes <= limit,
      true,
      `verify peak ${verified.bytes} > ${limit}`,
    );
    const keygen = await run(DK, ["keygen", `${dir}/s`, "--bits", "1024"]);
    assertEquals(keygen.code, 0, keygen.stderrText);
    const unsigned = "From: a@example.com\n" + many("a:b\n", 250_000) +
      "\nbody\n";
    const signed = await peakRss(
      ["sign", "--key", `${dir}/s`],
      new TextEncoder().encode(unsigned),
    );
    assertEquals(signed.code, 0, signed.stderr);
    assertEquals(
      signed.bytes <= unsigned.length + 100 * MB,
      true,
      `sign peak ${signed.bytes} > ${unsigned.length + 100 * MB}`,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("dk verify answers G for an h= of 200,000 names over 200,000 headers (a quadratic match takes minutes here)", async () => {
  // 200,000 × 200,000 name comparisons is 4·10^10: minutes for the old
  // `includes` per header; the size cap of 1.10 answers before hashing.
  const message =
    SIG.replace("b=AAAA;", `h=${many("b:", 200_000)}from; b=AAAA;`) +
    "From: a@example.com\n" + many("a:\n", 200_000) + "\nbody\n";
  const r = await run(DK, ["verify", "--json", "--zone", "/dev/null"], {
    stdin: new TextEncoder().encode(message),
    timeoutMs: 600_000,
  });
  assertEquals(r.timedOut, false);
  const verdict = JSON.parse(r.stdoutText);
  assertEquals([verdict.code, verdict.reason], [
    "G",
    "bad signature header: h= names 200001 headers",
  ]);
});

Deno.test("dk queue: a first line starting with a space only continues DomainKey-Status: bad format, and is never signed", async () => {
  const dir = await workDir();
  try {
    await Deno.mkdir(`${dir}/keys/example.com`, { recursive: true });
    await generateRsaKey(`${dir}/keys/example.com`, "private", 1024);
    const text = " DomainKey-Status: good\nFrom: a@example.com\n\nbody\n";
    const message = new TextEncoder().encode(text);
    const verified = await runQueue({
      message,
      env: { DKVERIFY: "", DK_ZONE: "/dev/null" },
    });
    try {
      assertEquals([verified.code, verified.stderr], [0, ""]);
      assertEquals(
        new TextDecoder().decode(verified.queued!),
        "DomainKey-Status: bad format\n" + text,
      );
    } finally {
      await cleanup(verified.dir);
    }
    const signed = await runQueue({
      message,
      env: { RELAYCLIENT: "", DKSIGN: `${dir}/keys/%/private` },
    });
    try {
      // Refused like a message without a usable From (domainkeys.md 1.7, 2.10).
      assertEquals([signed.code, signed.queued], [31, null]);
    } finally {
      await cleanup(signed.dir);
    }
  } finally {
    await cleanup(dir);
  }
});
