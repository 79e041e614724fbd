/**
 * `dk queue` verifying (domainkeys.md 2.3, 2.6, 2.10): the status header for
 * each letter dk can produce (A B C D E F G J L), DKVERIFY's uppercase,
 * lowercase and default behaviour with and without a custom-error channel,
 * testing keys, and DNS that is down or silent (F, temporary, in time).
 */
import { assert, assertEquals } from "./helpers/assert.ts";
import dgram from "node:dgram";
import { type Dnsmasq, freePort, startDnsmasq } from "./helpers/dnsmasq.ts";
import { generateRsaKey, keyRecord, type RsaKey } from "./helpers/keys.ts";
import { mailDkimSign, requirePeers } from "./helpers/mail_dkim.ts";
import {
  cleanup,
  ENVELOPE,
  message,
  type QueueOutcome,
  runQueue,
  workDir,
} from "./helpers/queue_run.ts";
import { headerWord, type Letter, QUEUE_EXIT } from "../core/status.ts";

const decoder = new TextDecoder();
const encoder = new TextEncoder();

/** One shared setup: keys, a zone with a record per letter, signed messages. */
interface Fixture {
  dir: string;
  dns: Dnsmasq;
  key: RsaKey;
  /** Messages by the letter they must get. */
  messages: Record<string, Uint8Array>;
}

let fixture: Promise<Fixture> | undefined;

function setup(): Promise<Fixture> {
  return fixture ??= build();
}

async function build(): Promise<Fixture> {
  await requirePeers();
  const dir = await workDir();
  const key = await generateRsaKey(dir, "good", 1024);
  const dns = await startDnsmasq({
    zones: ["example.com"],
    servfail: ["broken.example"],
    txt: [
      { name: "good._domainkey.example.com", strings: [keyRecord(key.spki)] },
      {
        name: "testing._domainkey.example.com",
        strings: [keyRecord(key.spki, "k=rsa; t=y")],
      },
      {
        name: "gran._domainkey.example.com",
        strings: [keyRecord(key.spki, "k=rsa; g=bob")],
      },
      { name: "revoked._domainkey.example.com", strings: ["k=rsa; p="] },
      {
        name: "badkey._domainkey.example.com",
        strings: ["k=rsa; p=bm90IGEga2V5"],
      },
    ],
  });
  const sign = (msg: Uint8Array, selector: string, domain = "example.com") =>
    mailDkimSign(msg, { key: key.file, selector, domain, method: "nofws" });
  const plain = message("Alice <alice@example.com>");
  const good = await sign(plain, "good");
  const bad = encoder.encode(decoder.decode(good).replace("Hello.", "Hellp."));
  const messages: Record<string, Uint8Array> = {
    A: good,
    B: bad,
    C: plain,
    D: await sign(plain, "nosuch"),
    E: await sign(plain, "badkey"),
    F: await sign(message("alice@broken.example"), "good", "broken.example"),
    G: await sign(message("alice@other.example"), "good", "example.com"),
    J: await sign(plain, "revoked"),
    L: await sign(plain, "gran"),
    testingB: encoder.encode(
      decoder.decode(await sign(plain, "testing")).replace("Hello.", "Hellp."),
    ),
  };
  return { dir, dns, key, messages };
}

async function verify(
  msg: Uint8Array,
  dkverify: string,
  extra: Record<string, string> = {},
  channelFd?: number,
): Promise<QueueOutcome> {
  const f = await setup();
  const o = await runQueue({
    message: msg,
    env: {
      DKVERIFY: dkverify,
      DK_DNS: f.dns.address,
      DK_DNS_TIMEOUT: "1",
      ...extra,
    },
    channelFd,
  });
  await cleanup(o.dir);
  return o;
}

function statusLine(o: QueueOutcome): string {
  return decoder.decode(o.queued!).split("\n")[0];
}

/** The cases, run as steps of one test that owns the shared fixture. */
const CASES: [string, () => Promise<void>][] = [];

function verifyCase(name: string, fn: () => Promise<void>): void {
  CASES.push([name, fn]);
}

verifyCase(
  "dk queue adds DomainKey-Status for each letter and rejects nothing with DKVERIFY empty",
  async () => {
    const f = await setup();
    for (
      const letter of ["A", "B", "C", "D", "E", "F", "G", "J", "L"] as Letter[]
    ) {
      const o = await verify(f.messages[letter], "");
      assertEquals([o.code, o.stderr], [0, ""], letter);
      assertEquals(
        statusLine(o),
        `DomainKey-Status: ${headerWord(letter)}`,
        letter,
      );
      assertEquals(
        o.queued!.subarray(o.queued!.indexOf(0x0a) + 1),
        f.messages[letter],
        letter,
      );
      assertEquals(o.envelope, ENVELOPE);
    }
  },
);

verifyCase(
  "dk queue rejects an uppercase DKVERIFY letter permanently: 13, or D text on fd 6",
  async () => {
    const f = await setup();
    for (const letter of ["B", "C", "D", "E", "G", "J", "L"]) {
      const plain = await verify(f.messages[letter], `x${letter}!`);
      assertEquals([plain.code, plain.stderr, plain.queued], [
        QUEUE_EXIT.rejectPermanent,
        "",
        null,
      ], letter);
      const piped = await verify(f.messages[letter], letter, {}, 6);
      assertEquals([piped.code, piped.queued], [82, null], letter);
      const word = headerWord(letter as Letter);
      assertEquals(
        piped.channel,
        `DDomainKeys verify status: ${word} (#5.3.0)`,
        letter,
      );
    }
  },
);

verifyCase(
  "dk queue rejects a lowercase letter, and F in either case, temporarily: 82 with Z text or plain",
  async () => {
    const f = await setup();
    for (
      const [letter, dkverify] of [["B", "b"], ["D", "Dd"], ["F", "F"], [
        "F",
        "f",
      ], ["C", "c"]]
    ) {
      const plain = await verify(f.messages[letter], dkverify);
      assertEquals([plain.code, plain.stderr, plain.channel, plain.queued], [
        82,
        "",
        "",
        null,
      ], dkverify);
      const piped = await verify(f.messages[letter], dkverify, {}, 6);
      const word = headerWord(letter as Letter);
      assertEquals([piped.code, piped.channel], [
        82,
        `ZDomainKeys verify status: ${word} (#4.3.0)`,
      ]);
    }
  },
);

verifyCase(
  "dk queue with the recommended DEGIJKfh accepts A, B, C and rejects D",
  async () => {
    const f = await setup();
    for (const letter of ["A", "B", "C"]) {
      const o = await verify(f.messages[letter], "DEGIJKfh");
      assertEquals([o.code, statusLine(o)], [
        0,
        `DomainKey-Status: ${headerWord(letter as Letter)}`,
      ]);
    }
    const d = await verify(f.messages.D, "DEGIJKfh");
    assertEquals([d.code, d.queued], [13, null]);
  },
);

verifyCase(
  "dk queue never rejects a bad signature from a testing key (t=y)",
  async () => {
    const f = await setup();
    const o = await verify(f.messages.testingB, "B");
    assertEquals([o.code, statusLine(o)], [0, "DomainKey-Status: bad"]);
  },
);

verifyCase(
  "dk queue verifies when RELAYCLIENT is set with DKVERIFY and no DKSIGN",
  async () => {
    const f = await setup();
    const o = await verify(f.messages.A, "B", { RELAYCLIENT: "" });
    assertEquals([o.code, statusLine(o)], [0, "DomainKey-Status: good"]);
  },
);

verifyCase(
  "dk queue: DNS down or silent is F (temporary) well within the deadline",
  async () => {
    const f = await setup();
    const silent = dgram.createSocket("udp4");
    await new Promise<void>((resolve) => silent.bind(0, "127.0.0.1", resolve));
    try {
      const down = `127.0.0.1:${await freePort()}`;
      const mute = `127.0.0.1:${silent.address().port}`;
      for (const server of [down, mute]) {
        const start = performance.now();
        const accepted = await verify(f.messages.A, "", { DK_DNS: server });
        assertEquals([accepted.code, statusLine(accepted)], [
          0,
          "DomainKey-Status: no key",
        ], server);
        const rejected = await verify(f.messages.A, "F", { DK_DNS: server });
        assertEquals([rejected.code, rejected.queued], [82, null], server);
        const ms = performance.now() - start;
        assert(ms < 15_000, `${server}: ${ms} ms`);
      }
    } finally {
      silent.close();
    }
  },
);

verifyCase(
  "dk queue fails temporarily on a bad DK_DNS, DK_CRYPTO or DK_MIN_KEY_BITS (55)",
  async () => {
    const f = await setup();
    const bad: Record<string, string>[] = [
      { DK_DNS: "not a server!" },
      { DK_CRYPTO: "rot13" },
      { DK_MIN_KEY_BITS: "lots" },
    ];
    for (const env of bad) {
      const o = await verify(f.messages.A, "", env);
      assertEquals([o.code, o.stderr, o.queued], [
        QUEUE_EXIT.configError,
        "",
        null,
      ]);
    }
  },
);

verifyCase("dk queue verifies alike with every crypto backend", async () => {
  const f = await setup();
  for (const backend of ["wasm", "bigint", "webcrypto"]) {
    for (const letter of ["A", "B"] as Letter[]) {
      const o = await verify(f.messages[letter], "", { DK_CRYPTO: backend });
      assertEquals([o.code, statusLine(o)], [
        0,
        `DomainKey-Status: ${headerWord(letter)}`,
      ]);
    }
  }
});

Deno.test("dk queue verifying, against one loopback dnsmasq", async (t) => {
  try {
    for (const [name, fn] of CASES) await t.step(name, fn);
  } finally {
    if (fixture) {
      const f = await fixture;
      await f.dns.stop();
      await cleanup(f.dir);
    }
  }
});
