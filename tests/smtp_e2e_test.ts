/**
 * dk behind a real SMTP front end, as a qmail host runs it (dkim.md 8 row
 * 19, and DomainKeys' equivalent): tcpserver with a `tcp.smtp` compiled by
 * `dk rules compile`, mailfront's `smtpfront-qmail` (qmail's protocol to the
 * queue program named by `$QMAILQUEUE`), `qmail-dkim` / `qmail-dk` links to
 * dk there, and the fake queue program after dk. A relay's mail is signed
 * and passes dkimpy or Mail::DKIM; a stranger's is verified, and each
 * DKIMVERIFY class and silent DNS come back to the client as the reply
 * mailfront makes of dk's exit code. mailfront gives the queue program no
 * custom-error channel (fd 6 is not open), so dk exits with its plain codes
 * and mailfront words the reply: its own text for the code, or the host's
 * `QQERRMSG_<code>`.
 */
import { assert, assertEquals, assertMatch } from "./helpers/assert.ts";
import {
  dkimpyVerify,
  DOMAIN,
  fieldNames,
  latin1,
  mailDkimVerify,
  placeKeys,
  startWorld,
  type World,
} from "./helpers/dkim_world.ts";
import { DK } from "./helpers/mail_dkim.ts";
import { FAKE_QUEUE } from "./helpers/queue_run.ts";
import {
  fakeResponse,
  questionName,
  startFakeDns,
} from "./helpers/fake_dns.ts";
import { splitStrings } from "./helpers/dnsmasq.ts";
import {
  replyText,
  requireSmtpFront,
  type SmtpFront,
  smtpSend,
  startSmtpFront,
} from "./helpers/smtp_front.ts";

const ME = "mx.test.example";
const SENDER = `alice@${DOMAIN}`;
const RCPT = "bob@example.org";
/** The envelope qmail-queue's protocol carries for one sender, one recipient. */
const ENVELOPE = `F${SENDER}\0T${RCPT}\0\0`;
/** Lines starting with a dot: dot-stuffed on the wire, single in the queue. */
const BODY = "Hello.\n.a line that starts with a dot\n..and one with two\n";
const MESSAGE = `From: Alice <${SENDER}>\nTo: ${RCPT}\nSubject: e2e\n` +
  `Date: Thu, 3 Dec 2026 10:00:00 +0000\nMessage-ID: <e2e@${DOMAIN}>\n\n${BODY}`;

/** One qmail host: its home, control folder, keys and queue-program links. */
interface Host {
  world: World;
  home: string;
  control: string;
  /** `home/bin/qmail-dkim` and `home/bin/qmail-dk`, links to dk. */
  qmailDkim: string;
  qmailDk: string;
}

/**
 * A DKIM key (RSA, `rsa2026`) and a DomainKeys key (RSA, `dk2026`, a
 * DomainKeys record), served by dnsmasq; a qmail home whose control folder
 * holds them under `domainkeys/example.com/`, `me` and `rcpthosts`.
 */
async function host(prefix: string): Promise<Host> {
  const world = await startWorld(prefix, [
    { name: "rsa2026", rsa: 2048, record: (p) => `v=DKIM1; k=rsa; p=${p}` },
    { name: "dk2026", rsa: 1024, record: (p) => `k=rsa; p=${p}` },
  ]);
  const home = `${world.dir}/qmail`;
  const control = `${home}/control`;
  await placeKeys(world, control);
  await Deno.mkdir(`${home}/bin`);
  await Deno.writeTextFile(`${control}/me`, `${ME}\n`);
  await Deno.writeTextFile(`${control}/rcpthosts`, "example.org\n");
  const qmailDkim = `${home}/bin/qmail-dkim`;
  const qmailDk = `${home}/bin/qmail-dk`;
  await Deno.symlink(DK, qmailDkim);
  await Deno.symlink(DK, qmailDk);
  return { world, home, control, qmailDkim, qmailDk };
}

/** What one message through a front end came to. */
interface Delivery {
  /** The reply to the final dot, `250 2.6.0 …`. */
  reply: string;
  code: number;
  /** The message the fake queue program got ("" when it got none). */
  queued: string;
  envelope: string | null;
  /** The environment the fake queue program saw, or null. */
  env: string | null;
  /** True when the fake queue program was started at all. */
  started: boolean;
  ms: number;
}

/** A front end for one tcp.smtp, with the fake queue program recording into its folder. */
interface Server {
  front: SmtpFront;
  send(message: string): Promise<Delivery>;
}

/**
 * Starts tcpserver with `rules` (tcp.smtp lines) and the host's site
 * environment: mailfront's QMAILHOME, dk's DK_QMAIL_HOME, DK_DNS at the
 * world's dnsmasq, and the fake queue program as DKQUEUE (which
 * qmail-dkim uses too when DKIMQUEUE is unset; DKIMQUEUE would switch DKIM
 * on for qmail-dk as well, dkim.md 6.1).
 */
async function server(h: Host, name: string, rules: string): Promise<Server> {
  const dir = `${h.world.dir}/${name}`;
  const record = `${dir}/queue`;
  await Deno.mkdir(record, { recursive: true });
  const front = await startSmtpFront(dir, rules, {
    HOME: dir,
    QMAILHOME: h.home,
    DK_QMAIL_HOME: h.home,
    DK_DNS: h.world.address,
    DKQUEUE: FAKE_QUEUE,
    FAKE_QUEUE_DIR: record,
  });
  const read = (file: string) =>
    Deno.readFile(`${record}/${file}`).then(latin1, () => null);
  return {
    front,
    async send(message: string) {
      for (const entry of Deno.readDirSync(record)) {
        await Deno.remove(`${record}/${entry.name}`);
      }
      const session = await smtpSend(front.port, SENDER, [RCPT], message);
      return {
        reply: replyText(session.final),
        code: session.final.code,
        queued: await read("message") ?? "",
        envelope: await read("envelope"),
        env: await read("env"),
        started: await read("pid") !== null,
        ms: session.ms,
      };
    },
  };
}

/** Runs `body` with servers started from `rules`, stopping every one after. */
async function withServers(
  h: Host,
  rules: Record<string, string>,
  body: (servers: Record<string, Server>) => Promise<void>,
): Promise<void> {
  const servers: Record<string, Server> = {};
  try {
    for (const [name, text] of Object.entries(rules)) {
      servers[name] = await server(h, name, text);
    }
    await body(servers);
  } catch (e) {
    const logs = Object.entries(servers).map(([name, s]) =>
      `--- ${name}:\n${s.front.log()}`
    );
    throw new Error(`${e}\nfront-end logs:\n${logs.join("\n")}`, { cause: e });
  } finally {
    for (const s of Object.values(servers)) await s.front.stop();
  }
}

/** A tcp.smtp line for the client 127.0.0.1 setting `vars`, then `:deny`. */
function rulesFor(vars: Record<string, string>): string {
  const set = Object.entries(vars).map(([k, v]) => `${k}="${v}"`).join(",");
  return `127.0.0.1:allow,${set}\n:deny\n`;
}

Deno.test("through tcpserver and mailfront: a relay's mail is DKIM-signed (dkimpy passes); a stranger's is verified, and S, s and silent DNS under P come back as 554 / 451 (dkim.md 8 row 19)", async () => {
  requireSmtpFront();
  const h = await host("dk-smtp-dkim-");
  // A DNS server that never answers, for the P case.
  const silent = await startFakeDns(() => null);
  try {
    const verifying = { CONTROLDIR: h.control, QMAILQUEUE: h.qmailDkim };
    await withServers(h, {
      relay: rulesFor({
        RELAYCLIENT: "",
        CONTROLDIR: h.control,
        DKIMSIGN: "domainkeys/%/rsa2026",
        QMAILQUEUE: h.qmailDkim,
      }),
      strict: rulesFor({ ...verifying, DKIMVERIFY: "S" }),
      // mailfront's own way to word a refusal: QQERRMSG_<exit code>.
      tempfail: rulesFor({
        ...verifying,
        DKIMVERIFY: "s",
        QQERRMSG_82: "4.7.0 DKIM verify status: no signature",
      }),
      silent: rulesFor({
        ...verifying,
        DKIMVERIFY: "P",
        DK_DNS: silent.address,
        DK_DNS_TIMEOUT: "1",
      }),
    }, async (s) => {
      // The relay signs: DKIM-Signature on top of mailfront's Received.
      const signed = await s.relay.send(MESSAGE);
      assertEquals(signed.code, 250, signed.reply);
      assertMatch(signed.reply, /^250 2\.6\.0 Accepted message qp \d+ bytes/);
      assertEquals(signed.envelope, ENVELOPE);
      assertEquals(fieldNames(signed.queued).slice(0, 3), [
        "dkim-signature",
        "received",
        "from",
      ]);
      assertMatch(signed.queued, /^DKIM-Signature: v=1; a=rsa-sha256;/);
      assertMatch(signed.queued, /[ \t]s=rsa2026;/);
      assert(signed.queued.endsWith(`\n\n${BODY}`), "dot-stuffing undone");
      // The chain: tcpserver's client address and the cdb's variables reach
      // dk and, through it, the queue program.
      assertMatch(signed.env ?? "", /^TCPREMOTEIP=127\.0\.0\.1$/m);
      assertMatch(signed.env ?? "", /^DKIMSIGN=domainkeys\/%\/rsa2026$/m);
      const py = await dkimpyVerify(h.world, [signed.queued]);
      assertEquals(py.map((r) => r.ok), [true], JSON.stringify(py));

      // A stranger's signed mail: accepted, AR and DKIM-Status on top.
      const good = await s.strict.send(signed.queued);
      assertEquals(good.code, 250, good.reply);
      assertEquals(fieldNames(good.queued).slice(0, 5), [
        "authentication-results",
        "dkim-status",
        "received",
        "dkim-signature",
        "received",
      ]);
      assertMatch(
        good.queued,
        new RegExp(
          `^Authentication-Results: ${ME};\n\tdkim=pass header\\.d=${DOMAIN}`,
        ),
      );
      assertMatch(good.queued, /^DKIM-Status: good$/m);

      // Unsigned under S: dk exits 13 (no channel), mailfront says 554.
      const refused = await s.strict.send(MESSAGE);
      assertEquals(
        [refused.reply, refused.started, refused.queued],
        ["554 5.3.0 Message rejected by qmail-queue.", false, ""],
      );
      // Under s: 82, and the host's QQERRMSG_82 is the reply's text.
      const deferred = await s.tempfail.send(MESSAGE);
      assertEquals(
        [deferred.reply, deferred.started, deferred.queued],
        ["451 4.7.0 DKIM verify status: no signature", false, ""],
      );
      // Silent DNS under P: temporary, within the DNS deadline.
      const unanswered = await s.silent.send(signed.queued);
      assertEquals(
        [unanswered.reply, unanswered.started, unanswered.queued],
        ["451 4.3.0 Temporary qmail-queue failure.", false, ""],
      );
      assert(unanswered.ms < 20_000, `took ${unanswered.ms} ms`);
      assert(silent.queries.length > 0, "the silent server was asked");
    });
  } finally {
    await silent.close();
    await h.world.stop();
  }
});

Deno.test("through tcpserver and mailfront: qmail-dk signs a relay's mail (Mail::DKIM passes); a DomainKeys-only host verifies with no DKIM lookup and no DKIM field (domainkeys.md, dkim.md 8 row 19)", async () => {
  requireSmtpFront();
  const h = await host("dk-smtp-dk-");
  const asked: string[] = [];
  const dns = await startFakeDns((query) => {
    const name = questionName(query);
    asked.push(name);
    const value = h.world.records[name];
    return value === undefined
      ? fakeResponse(query, 0x8183)
      : fakeResponse(query, 0x8180, [splitStrings(value)]);
  });
  try {
    await withServers(h, {
      dkRelay: rulesFor({
        RELAYCLIENT: "",
        DKSIGN: `${h.control}/domainkeys/%/dk2026`,
        QMAILQUEUE: h.qmailDk,
      }),
      dkimRelay: rulesFor({
        RELAYCLIENT: "",
        CONTROLDIR: h.control,
        DKIMSIGN: "domainkeys/%/rsa2026",
        QMAILQUEUE: h.qmailDkim,
      }),
      dkOnly: rulesFor({
        CONTROLDIR: h.control,
        DKVERIFY: "",
        DK_DNS: dns.address,
        QMAILQUEUE: h.qmailDk,
      }),
    }, async (s) => {
      // qmail-dk on a relay: DomainKey-Signature on top, nothing of DKIM.
      const dkSigned = await s.dkRelay.send(MESSAGE);
      assertEquals(dkSigned.code, 250, dkSigned.reply);
      assertEquals(dkSigned.envelope, ENVELOPE);
      assertEquals(fieldNames(dkSigned.queued).slice(0, 3), [
        "domainkey-signature",
        "received",
        "from",
      ]);
      assertMatch(dkSigned.queued, /^DomainKey-Signature: a=rsa-sha1;/);
      assertMatch(dkSigned.queued, /[ \t]s=dk2026;/);
      assert(!/^(dkim-|authentication-results)/im.test(dkSigned.queued));
      const md = await mailDkimVerify(h.world, [dkSigned.queued]);
      assertEquals(
        md[0].signatures.map((sig) => [sig.type, sig.result]),
        [["domainkeys", "pass"]],
        JSON.stringify(md),
      );

      // A second hop adds a DKIM signature above it; a DomainKeys-only
      // host then checks the DomainKeys one and never looks at DKIM.
      const both = await s.dkimRelay.send(dkSigned.queued);
      assertEquals(both.code, 250, both.reply);
      assertEquals(fieldNames(both.queued).slice(0, 4), [
        "dkim-signature",
        "received",
        "domainkey-signature",
        "received",
      ]);
      const checked = await s.dkOnly.send(both.queued);
      assertEquals(checked.code, 250, checked.reply);
      const names = fieldNames(checked.queued);
      assertEquals(names.slice(0, 3), [
        "domainkey-status",
        "received",
        "dkim-signature",
      ]);
      assertMatch(checked.queued, /^DomainKey-Status: good$/m);
      assert(!names.includes("dkim-status"), names.join(","));
      assert(!names.includes("authentication-results"), names.join(","));
      assertEquals(asked, [`dk2026._domainkey.${DOMAIN}`]);
    });
  } finally {
    await dns.close();
    await h.world.stop();
  }
});
