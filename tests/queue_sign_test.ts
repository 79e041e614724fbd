/**
 * `dk queue` signing (domainkeys.md 2.1, 2.2, 2.10): the signed message
 * verifies with Mail::DKIM over a loopback dnsmasq; `%` substitution; a
 * missing key with and without `%`; hostile From domains never reach a path
 * outside the key folder; messages that cannot or need not be signed.
 */
import { assert, assertEquals } from "./helpers/assert.ts";
import { startDnsmasq } from "./helpers/dnsmasq.ts";
import { generateRsaKey, keyRecord } from "./helpers/keys.ts";
import { mailDkimVerify, requirePeers } from "./helpers/mail_dkim.ts";
import {
  cleanup,
  ENVELOPE,
  message,
  runQueue,
  workDir,
} from "./helpers/queue_run.ts";
import { QUEUE_EXIT } from "../core/status.ts";

const decoder = new TextDecoder();
const SIGNATURE =
  /^DomainKey-Signature: a=rsa-sha1; q=dns; c=nofws;\r?\n {2}s=([^;]+); d=([^;]+);/;

/** Key folder `dir/keys/DOMAIN/SELECTOR` with a fresh 1024-bit key. */
async function keyFor(dir: string, domain: string, selector = "private") {
  await Deno.mkdir(`${dir}/keys/${domain}`, { recursive: true });
  return await generateRsaKey(`${dir}/keys/${domain}`, selector, 1024);
}

Deno.test("dk queue signs; Mail::DKIM verifies the result over dnsmasq", async () => {
  await requirePeers();
  const dir = await workDir();
  const key = await keyFor(dir, "example.com");
  const dns = await startDnsmasq({
    zones: ["example.com"],
    txt: [{
      name: "private._domainkey.example.com",
      strings: [keyRecord(key.spki)],
    }],
  });
  try {
    for (const eol of ["\n", "\r\n"]) {
      const msg = new TextEncoder().encode(
        [
          "From: Alice <alice@Example.COM>",
          "To: bob@example.org",
          "Subject: hi  there",
          "",
          "Body  text",
          "",
        ]
          .join(eol),
      );
      const o = await runQueue({
        message: msg,
        env: { RELAYCLIENT: "", DKSIGN: `${dir}/keys/%/private` },
      });
      try {
        assertEquals([o.code, o.stderr], [0, ""]);
        assertEquals(o.envelope, ENVELOPE);
        const text = decoder.decode(o.queued!);
        const m = SIGNATURE.exec(text);
        assert(m, text.slice(0, 300));
        assertEquals([m[1], m[2]], ["private", "example.com"]);
        assert(
          text.endsWith(decoder.decode(msg)),
          "original message follows the header",
        );
        assertEquals(
          text.includes("\r\n"),
          eol === "\r\n",
          "header line ends follow the message",
        );
        const verdict = await mailDkimVerify(o.queued!, dns.port);
        assertEquals(
          verdict.domainkeys?.result,
          "pass",
          JSON.stringify(verdict),
        );
      } finally {
        await cleanup(o.dir);
      }
    }
  } finally {
    await dns.stop();
    await cleanup(dir);
  }
});

Deno.test("dk queue fills % from Sender before From, lowercased, selector from DKSIGN", async () => {
  await requirePeers();
  const dir = await workDir();
  try {
    await keyFor(dir, "lists.example.net", "sel2024");
    const msg = message("a@example.com", "Sender: list@Lists.Example.NET\n");
    const o = await runQueue({
      message: msg,
      env: { RELAYCLIENT: "1", DKSIGN: `${dir}/keys/%/sel2024` },
    });
    await cleanup(o.dir);
    assertEquals([o.code, o.stderr], [0, ""]);
    const m = SIGNATURE.exec(decoder.decode(o.queued!));
    assertEquals([m?.[1], m?.[2]], ["sel2024", "lists.example.net"]);
  } finally {
    await cleanup(dir);
  }
});

Deno.test("dk queue signs with the default key when RELAYCLIENT alone is set", async () => {
  await requirePeers();
  const home = await workDir();
  try {
    await Deno.mkdir(`${home}/control/domainkeys/example.com`, {
      recursive: true,
    });
    await generateRsaKey(
      `${home}/control/domainkeys/example.com`,
      "private",
      1024,
    );
    const o = await runQueue({
      message: message("a@example.com"),
      env: { RELAYCLIENT: "", DK_QMAIL_HOME: home },
    });
    await cleanup(o.dir);
    assertEquals([o.code, o.stderr], [0, ""]);
    assert(SIGNATURE.test(decoder.decode(o.queued!)));
  } finally {
    await cleanup(home);
  }
});

Deno.test("dk queue passes mail unsigned when the key for % is missing", async () => {
  const dir = await workDir();
  try {
    const msg = message("a@nokey.example");
    const o = await runQueue({
      message: msg,
      env: { RELAYCLIENT: "", DKSIGN: `${dir}/keys/%/private` },
    });
    await cleanup(o.dir);
    assertEquals([o.code, o.stderr, o.queued], [0, "", msg]);
  } finally {
    await cleanup(dir);
  }
});

Deno.test("dk queue fails temporarily (55 / Z on the channel) for a missing key without %", async () => {
  const dir = await workDir();
  try {
    const env = { RELAYCLIENT: "", DKSIGN: `${dir}/keys/example.com/private` };
    const plain = await runQueue({ message: message("a@example.com"), env });
    const piped = await runQueue({
      message: message("a@example.com"),
      env,
      channelFd: 6,
    });
    await cleanup(plain.dir, piped.dir);
    assertEquals([plain.code, plain.stderr, plain.queued], [
      QUEUE_EXIT.configError,
      "",
      null,
    ]);
    assertEquals([piped.code, piped.stderr, piped.queued], [82, "", null]);
    assertEquals(piped.channel, "ZDomainKeys signing key unusable (#4.3.0)");
  } finally {
    await cleanup(dir);
  }
});

Deno.test("dk queue fails temporarily for an unreadable or non-RSA key and a bad selector", async () => {
  const dir = await workDir();
  try {
    await Deno.mkdir(`${dir}/keys/example.com`, { recursive: true });
    await Deno.writeTextFile(`${dir}/keys/example.com/private`, "not a key\n");
    await Deno.mkdir(`${dir}/keys/example.com/folder`);
    for (
      const dksign of [
        `${dir}/keys/%/private`,
        `${dir}/keys/%/folder`,
        `${dir}/keys/%/bad_selector`,
      ]
    ) {
      const o = await runQueue({
        message: message("a@example.com"),
        env: { RELAYCLIENT: "", DKSIGN: dksign },
      });
      await cleanup(o.dir);
      assertEquals([o.code, o.stderr, o.queued], [
        QUEUE_EXIT.configError,
        "",
        null,
      ], dksign);
    }
  } finally {
    await cleanup(dir);
  }
});

Deno.test("dk queue never reads a key outside the key folder for hostile From domains", async () => {
  await requirePeers();
  const dir = await workDir();
  try {
    // DKSIGN=dir/a/b/keys/%/private; plant keys where raw substitution would lead.
    const base = `${dir}/a/b/keys`;
    await Deno.mkdir(base, { recursive: true });
    const plant = async (path: string) => {
      await Deno.mkdir(path, { recursive: true });
      await generateRsaKey(path, "private", 1024);
    };
    const long = ("x".repeat(59) + ".").repeat(5) + "com"; // 303 characters
    await plant(`${dir}/a/etc`); // ../../etc
    await plant(`${base}/a/b`); // a/b
    await plant(base); // empty domain: keys//private
    await plant(`${base}/exämple.com`);
    await plant(`${base}/${long.slice(0, 200)}`).catch(() => {}); // too long to plant whole
    await plant(`${base}/example.com..`).catch(() => {});
    const hostile = [
      "../../etc",
      "a/b",
      "",
      long,
      "exämple.com",
      "example.com..",
    ];
    for (const domain of hostile) {
      const msg = new TextEncoder().encode(
        `From: x@${domain}\nTo: y@example.org\n\nhi\n`,
      );
      const o = await runQueue({
        message: msg,
        env: { RELAYCLIENT: "", DKSIGN: `${base}/%/private` },
      });
      await cleanup(o.dir);
      assertEquals(o.stderr, "", domain);
      // Either passed on unsigned or refused as a message without a usable From.
      if (o.code === 0) assertEquals(o.queued, msg, domain);
      else {assertEquals([o.code, o.queued], [
          QUEUE_EXIT.permanentRefusal,
          null,
        ], domain);}
    }
  } finally {
    await cleanup(dir);
  }
});

Deno.test("dk queue passes an already signed message on unsigned", async () => {
  const dir = await workDir();
  try {
    await keyFor(dir, "example.com");
    const msg = message(
      "a@example.com",
      "DomainKey-Signature: a=rsa-sha1; q=dns; c=nofws; s=x; d=example.com; b=AAAA;\n",
    );
    // The signature sits below From here; put it on top as a relay would see it.
    const top = new TextEncoder().encode(
      "DomainKey-Signature: a=rsa-sha1; q=dns; c=nofws; s=x; d=example.com; b=AAAA;\n" +
        decoder.decode(message("a@example.com")),
    );
    for (const m of [msg, top]) {
      const o = await runQueue({
        message: m,
        env: { RELAYCLIENT: "", DKSIGN: `${dir}/keys/%/private` },
      });
      await cleanup(o.dir);
      assertEquals([o.code, o.stderr, o.queued], [0, "", m]);
    }
  } finally {
    await cleanup(dir);
  }
});

Deno.test("dk queue refuses to sign a message without From (31, or D on the channel)", async () => {
  const dir = await workDir();
  try {
    await keyFor(dir, "example.com");
    const msg = new TextEncoder().encode(
      "To: b@example.org\nSubject: x\n\nhi\n",
    );
    const env = { RELAYCLIENT: "", DKSIGN: `${dir}/keys/example.com/private` };
    const plain = await runQueue({ message: msg, env });
    const piped = await runQueue({ message: msg, env, channelFd: 6 });
    await cleanup(plain.dir, piped.dir);
    assertEquals([plain.code, plain.stderr, plain.queued], [31, "", null]);
    assertEquals([piped.code, piped.queued], [82, null]);
    assert(
      piped.channel.startsWith("D") && piped.channel.endsWith(" (#5.3.0)"),
      piped.channel,
    );
  } finally {
    await cleanup(dir);
  }
});

Deno.test("dk queue with DKSIGN set but empty does not sign", async () => {
  const msg = message("a@example.com");
  const o = await runQueue({
    message: msg,
    env: { RELAYCLIENT: "", DKSIGN: "" },
  });
  await cleanup(o.dir);
  assertEquals([o.code, o.stderr, o.queued], [0, "", msg]);
});
