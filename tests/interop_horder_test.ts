/**
 * Interop, `h=` order (domainkeys.md 1.4): Mail::DKIM hashes the headers in
 * `h=` order (as Gmail's signer of 2006 did); dk checks message order, then
 * `h=` order, and the signature is good if either verifies. Messages are
 * signed here by Mail::DKIM with an `h=` whose order differs from the
 * message's (a name repeated in the message and listed once, a name listed
 * twice), verified by `dk verify --json --explain` against a zone file.
 * `dk sign` keeps writing `h=` in message order.
 *
 * @module
 */

import { assertEquals } from "./helpers/assert.ts";
import { generateRsaKey, keyRecord } from "./helpers/keys.ts";
import {
  mailDkimSign,
  parseDkJson,
  requirePeers,
  runDk,
} from "./helpers/mail_dkim.ts";

const te = new TextEncoder();
const td = new TextDecoder();

const MESSAGE = [
  "Received: from a.example.com by b.example.com; Tue, 1 Dec 2026 10:00:00 +0000",
  "From: Alice <alice@example.com>",
  "Received: from c.example.com by a.example.com; Tue, 1 Dec 2026 09:59:00 +0000",
  "To: bob@example.org",
  "Subject: order  test",
  "",
  "Hello  world",
  "",
].join("\n");

interface World {
  dir: string;
  key: string;
  zone: string;
}

async function world(): Promise<World> {
  await requirePeers();
  const dir = await Deno.makeTempDir({ prefix: "dk-horder-" });
  const key = await generateRsaKey(dir, "s1024", 1024);
  const zone = `${dir}/zone`;
  await Deno.writeTextFile(
    zone,
    `s1024._domainkey.example.com. IN TXT "${keyRecord(key.spki)}"\n`,
  );
  return { dir, key: key.file, zone };
}

/** dk's verdict and the `--explain` line naming the reading that verified. */
async function dkVerify(w: World, message: Uint8Array) {
  const r = await runDk(["verify", "--json", "--explain", "--zone", w.zone], {
    stdin: message,
  });
  const [verdict] = parseDkJson(r.stdoutText);
  const explain = (verdict as unknown as { explain?: string[] }).explain ?? [];
  return {
    code: verdict.code,
    reading: explain.find((l) => l.startsWith("verified reading")) ?? null,
  };
}

async function peerSign(w: World, headers: string, message = MESSAGE) {
  return await mailDkimSign(te.encode(message), {
    key: w.key,
    selector: "s1024",
    domain: "example.com",
    method: "nofws",
    headers,
  });
}

const CASES: [string, string, string | null][] = [
  // received twice in the message, once in h=: both, in message order.
  [
    "received once in h=, out of message order",
    "subject:received:from:to",
    "h= order",
  ],
  ["received twice in h=", "to:received:from:received:subject", "h= order"],
  ["h= in message order", "received:from:received:to:subject", "message order"],
];

Deno.test("interop: Mail::DKIM signatures whose h= order differs from the message verify A; one changed header gives B", async () => {
  const w = await world();
  try {
    for (const [what, headers, reading] of CASES) {
      const signed = await peerSign(w, headers);
      const good = await dkVerify(w, signed);
      assertEquals(good, {
        code: "A",
        reading: `verified reading the headers in ${reading}`,
      }, what);
      const changed = te.encode(
        td.decode(signed).replace("Subject: order", "Subject: 0rder"),
      );
      assertEquals((await dkVerify(w, changed)).code, "B", `${what}, changed`);
      const received = te.encode(
        td.decode(signed).replace("from c.example", "from d.example"),
      );
      assertEquals(
        (await dkVerify(w, received)).code,
        "B",
        `${what}, second Received changed`,
      );
    }
  } finally {
    await Deno.remove(w.dir, { recursive: true });
  }
});

Deno.test("interop: dk sign writes h= in message order, whatever order --headers gives", async () => {
  const w = await world();
  try {
    const r = await runDk(
      ["sign", "--key", w.key, "--headers", "subject:received:from"],
      { stdin: te.encode(MESSAGE) },
    );
    assertEquals(r.code, 0, r.stderrText);
    assertEquals(
      /h=([^;]*);/.exec(r.stdoutText)?.[1],
      "Received:From:Received:Subject",
    );
    const verdict = await dkVerify(w, r.stdout);
    assertEquals(verdict, {
      code: "A",
      reading: "verified reading the headers in message order",
    });
  } finally {
    await Deno.remove(w.dir, { recursive: true });
  }
});
