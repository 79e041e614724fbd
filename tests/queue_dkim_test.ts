/**
 * `dk queue` with DKIM active (dkim.md 6, rows 15–18 of section 8): dual
 * signing checked by dkimpy and Mail::DKIM; the mode table; `-c`;
 * `dkimkeys` with `rcpthosts` and `morercpthosts.cdb`; outside result
 * fields removed; each `DKIMVERIFY` class with and without the channel;
 * configuration errors temporary; and a DomainKeys-only host that sees no
 * DKIM at all. The fake queue program records what it was handed.
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
import { DK, run } from "./helpers/mail_dkim.ts";
import { message, type QueueOutcome, runQueue } from "./helpers/queue_run.ts";
import { cleanup } from "./helpers/queue_run.ts";
import { cdbMake } from "../rules/cdb_write.ts";
import {
  fakeResponse,
  questionName,
  startFakeDns,
} from "./helpers/fake_dns.ts";
import { splitStrings } from "./helpers/dnsmasq.ts";
import { QUEUE_EXIT } from "../core/status.ts";

const AUTHSERV = "mx.test.example";
const enc = (s: string) => new TextEncoder().encode(s);

/** RSA-2048 and Ed25519 keys, published, and placed under `control/`. */
async function world(prefix: string): Promise<World & { control: string }> {
  const w = await startWorld(prefix, [
    { name: "rsa2026", rsa: 2048, record: (p) => `v=DKIM1; k=rsa; p=${p}` },
    { name: "ed2026", ed25519: true },
  ]);
  const control = `${w.dir}/control`;
  await placeKeys(w, control);
  return { ...w, control };
}

/** Runs queue mode with DKIM's environment for `w` on top of `env`. */
async function queue(
  w: World & { control: string },
  env: Record<string, string>,
  msg: Uint8Array,
  channelFd?: number,
): Promise<QueueOutcome & { text: string }> {
  const o = await runQueue({
    message: msg,
    channelFd,
    env: {
      CONTROLDIR: w.control,
      DK_AUTHSERV_ID: AUTHSERV,
      DK_DNS: w.address,
      ...env,
    },
  });
  try {
    assertEquals(o.stderr, "", "dk wrote on stderr");
    return { ...o, text: o.queued ? latin1(o.queued) : "" };
  } finally {
    await cleanup(o.dir);
  }
}

/** The unfolded `DKIM-Signature` fields of `text`, top to bottom. */
function dkimSignatures(text: string): string[] {
  const header = text.split("\n\n")[0].replace(/\n[ \t]/g, " ");
  return header.split("\n").filter((l) => /^dkim-signature:/i.test(l));
}

const FROM = `Alice <alice@${DOMAIN}>`;
const RELAY = { RELAYCLIENT: "", TCPREMOTEIP: "192.0.2.7" };
const STRANGER = { TCPREMOTEIP: "192.0.2.8" };

Deno.test("dual signing in queue mode: extra (Ed25519) above main (RSA); dkimpy passes both, Mail::DKIM the RSA one (row 15)", async () => {
  const w = await world("dk-queue-dkim-dual-");
  try {
    const msg = message(FROM, "Date: Thu, 3 Dec 2026 10:00:00 +0000\n");
    const o = await queue(w, {
      ...RELAY,
      DKIMSIGN: "domainkeys/%/rsa2026",
      DKIMSIGNEXTRA: "domainkeys/%/ed2026",
    }, msg);
    assertEquals(o.code, 0);
    const sigs = dkimSignatures(o.text);
    assertEquals(sigs.length, 2);
    assertMatch(sigs[0], /a=ed25519-sha256;.*s=ed2026;/);
    assertMatch(sigs[1], /a=rsa-sha256;.*s=rsa2026;/);
    assertMatch(sigs[1], /c=relaxed\/relaxed;/);
    assert(!/x=/.test(sigs[1]), "no x= by default");
    // Signing never writes result fields; the message below is unchanged.
    assertEquals(fieldNames(o.text).slice(0, 3), [
      "dkim-signature",
      "dkim-signature",
      "from",
    ]);
    assert(o.text.endsWith(latin1(msg)));
    // dkimpy checks the top signature: with it, and with it stripped.
    const withoutTop = o.text.slice(o.text.indexOf("DKIM-Signature:", 1));
    const py = await dkimpyVerify(w, [o.text, withoutTop]);
    assertEquals(py.map((r) => r.ok), [true, true], JSON.stringify(py));
    const md = await mailDkimVerify(w, [o.text]);
    const results = md[0].signatures.map((s) => s.result);
    assertEquals(results.sort(), ["invalid", "pass"], JSON.stringify(md));
  } finally {
    await w.stop();
  }
});

Deno.test("the mode table of dkim.md 6.2 through the whole program (row 16)", async () => {
  const w = await world("dk-queue-dkim-modes-");
  try {
    const msg = message(FROM);
    const key = "domainkeys/%/rsa2026";
    const rows: [string, Record<string, string>, "sign" | "verify" | "none"][] =
      [
        ["relay, DKIMSIGN", { ...RELAY, DKIMSIGN: key }, "sign"],
        ["AUTHINFO, DKIMSIGN", {
          AUTHINFO: "",
          TCPREMOTEIP: "192.0.2.7",
          DKIMSIGN: key,
        }, "sign"],
        ["local injection, DKIMSIGN", { DKIMSIGN: key }, "sign"],
        ["stranger, DKIMSIGN", { ...STRANGER, DKIMSIGN: key }, "verify"],
        ["relay, DKIMSIGN empty", { ...RELAY, DKIMSIGN: "" }, "none"],
        ["relay, DKIMSIGN empty, DKIMVERIFY", {
          ...RELAY,
          DKIMSIGN: "",
          DKIMVERIFY: "",
        }, "verify"],
        ["relay, NODKIMVERIFY", {
          ...RELAY,
          DKIMVERIFY: "U",
          RELAYCLIENT_NODKIMVERIFY: "",
        }, "none"],
        [
          "relay, DKIMKEY",
          { ...RELAY, DKIMKEY: `${w.control}/${key}` },
          "sign",
        ],
        ["relay, DKIMVERIFY", { ...RELAY, DKIMVERIFY: "" }, "verify"],
        ["local, DKIMKEY only", { DKIMKEY: key }, "verify"],
        ["stranger, DKIMVERIFY", { ...STRANGER, DKIMVERIFY: "" }, "verify"],
      ];
    for (const [what, env, mode] of rows) {
      const o = await queue(w, env, msg);
      assertEquals(o.code, 0, what);
      const names = fieldNames(o.text);
      const got = names[0] === "dkim-signature"
        ? "sign"
        : names[0] === "authentication-results"
        ? "verify"
        : "none";
      assertEquals(got, mode, what);
      if (mode === "verify") {
        assertEquals(names.slice(0, 2), [
          "authentication-results",
          "dkim-status",
        ]);
        assertMatch(o.text, /^DKIM-Status: no signature$/m);
        assertMatch(
          o.text,
          new RegExp(`^Authentication-Results: ${AUTHSERV};\n\tdkim=none\n`),
        );
      }
      if (mode === "none") assertEquals(o.text, latin1(msg), what);
    }
    // The relay's implicit key is domainkeys/%/default: none here, unsigned.
    const implicit = await queue(w, { ...RELAY, DKIMQUEUE: "" }, msg);
    assertEquals([implicit.code, implicit.text], [0, latin1(msg)]);
    // Under the name qmail-dkim with nothing set: verified and annotated.
    const link = `${w.dir}/qmail-dkim`;
    await Deno.symlink(DK, link);
    const named = await runQueue({
      message: msg,
      argv: [link],
      env: {
        CONTROLDIR: w.control,
        DK_AUTHSERV_ID: AUTHSERV,
        DK_DNS: w.address,
        ...STRANGER,
      },
    });
    try {
      assertEquals([named.code, named.stderr], [0, ""]);
      assertEquals(fieldNames(latin1(named.queued!)).slice(0, 2), [
        "authentication-results",
        "dkim-status",
      ]);
    } finally {
      await cleanup(named.dir);
    }
  } finally {
    await w.stop();
  }
});

Deno.test("DKIMSIGNOPTIONS -c r/s/t/u write qmail-dkim's c= pairs and verify at dkimpy; -q writes q=dns/txt (row 16)", async () => {
  const w = await world("dk-queue-dkim-canon-");
  try {
    const msg = message(
      FROM,
      "Subject:  spaced   out \n",
      "Body  with  spaces \n\n\n",
    );
    const want: Record<string, string> = {
      r: "relaxed/relaxed",
      s: "simple/simple",
      t: "relaxed/simple",
      u: "simple/relaxed",
    };
    const signed: string[] = [];
    for (const [letter, pair] of Object.entries(want)) {
      const o = await queue(w, {
        ...RELAY,
        DKIMSIGN: "domainkeys/%/rsa2026",
        DKIMSIGNOPTIONS: `-c${letter} -q`,
      }, msg);
      assertEquals(o.code, 0, letter);
      const [sig] = dkimSignatures(o.text);
      assertMatch(sig, new RegExp(`c=${pair};`), letter);
      assertMatch(sig, /q=dns\/txt;/, letter);
      signed.push(o.text);
    }
    const py = await dkimpyVerify(w, signed);
    assertEquals(
      py.map((r) => r.ok),
      [true, true, true, true],
      JSON.stringify(py),
    );
    // A letter qmail-dkim does not know is a configuration error: 55.
    const bad = await queue(w, {
      ...RELAY,
      DKIMSIGN: "domainkeys/%/rsa2026",
      DKIMSIGNOPTIONS: "-c x",
    }, msg);
    assertEquals([bad.code, bad.queued], [QUEUE_EXIT.configError, null]);
  } finally {
    await w.stop();
  }
});

Deno.test("dkimkeys: exact line, * only for rcpthosts / morercpthosts.cdb / .parent domains, absent, NODKIMKEYS (row 16)", async () => {
  const w = await world("dk-queue-dkim-keys-");
  try {
    const sub = `mail.${DOMAIN}`;
    await Deno.mkdir(`${w.control}/domainkeys/${sub}`, { recursive: true });
    await Deno.copyFile(
      w.keys[1].file,
      `${w.control}/domainkeys/${sub}/ed2026`,
    );
    const base = { ...RELAY, DKIMSIGN: "domainkeys/%/rsa2026" };
    const selectorOf = async (
      from: string,
      env: Record<string, string> = {},
    ) => {
      const o = await queue(w, { ...base, ...env }, message(from));
      assertEquals(o.code, 0, from);
      const sigs = dkimSignatures(o.text);
      return sigs.map((s) => /s=([^;]+);/.exec(s)![1]).join(",");
    };
    const keys = `${w.control}/dkimkeys`;
    // No dkimkeys: DKIMSIGN's key.
    assertEquals(await selectorOf(FROM), "rsa2026");
    // An exact line replaces the key (and its edits apply).
    await Deno.writeTextFile(
      keys,
      `# comment\n\n${DOMAIN.toUpperCase()}:domainkeys/%/ed2026:DKIMSIGNOPTIONS=-cs\n*:domainkeys/%/rsa2026\n`,
    );
    assertEquals(await selectorOf(FROM), "ed2026");
    const edited = await queue(w, base, message(FROM));
    assertMatch(dkimSignatures(edited.text)[0], /c=simple\/simple;/);
    // NODKIMKEYS: the file is not read.
    assertEquals(await selectorOf(FROM, { NODKIMKEYS: "1" }), "rsa2026");
    // A * line: only for domains this host receives mail for.
    await Deno.writeTextFile(keys, `*:domainkeys/%/ed2026\n`);
    assertEquals(await selectorOf(`a@${sub}`), "", "no rcpthosts: unsigned");
    await Deno.writeTextFile(
      `${w.control}/rcpthosts`,
      `other.example\n.${DOMAIN}\n`,
    );
    assertEquals(await selectorOf(`a@${sub}`), "ed2026", ".parent line");
    await Deno.writeTextFile(`${w.control}/rcpthosts`, `${sub}  \n`);
    assertEquals(await selectorOf(`a@${sub}`), "ed2026", "exact line");
    await Deno.writeTextFile(`${w.control}/rcpthosts`, `other.example\n`);
    assertEquals(await selectorOf(`a@${sub}`), "", "not listed");
    const cdb = cdbMake([[sub, ""]]);
    assert(cdb.ok);
    await Deno.writeFile(`${w.control}/morercpthosts.cdb`, cdb.value);
    assertEquals(await selectorOf(`a@${sub}`), "ed2026", "morercpthosts.cdb");
  } finally {
    await w.stop();
  }
});

Deno.test("outside result fields: ours, DKIM-Status and X-DKIM-* removed both ways; foreign ids and DomainKey-Status kept; a signature over a removed field still verifies here (row 17)", async () => {
  const w = await world("dk-queue-dkim-forged-");
  try {
    const planted = [
      `Authentication-Results: ${AUTHSERV.toUpperCase()}; dkim=pass header.d=${DOMAIN}`,
      `Authentication-Results: (comment) ${AUTHSERV};\n\tdkim=pass`,
      "Authentication-Results: other.example; dkim=fail",
      "DKIM-Status: good",
      "X-DKIM-Verdict: pass",
      "DomainKey-Status: good",
    ].join("\n") + "\n";
    // Signed by dk itself over From and X-DKIM-Verdict, then received.
    const signedByPeer = await run(DK, [
      "sign",
      "--scheme",
      "dkim",
      "--key",
      `${w.control}/domainkeys/${DOMAIN}/rsa2026`,
      "--selector",
      "rsa2026",
      "--headers",
      "from:x-dkim-verdict",
    ], { stdin: message(FROM, planted) });
    assertEquals(signedByPeer.code, 0, signedByPeer.stderrText);
    const inbound = await queue(
      w,
      { ...STRANGER, DKIMVERIFY: "IU" },
      signedByPeer.stdout,
    );
    assertEquals(inbound.code, 0);
    const names = fieldNames(inbound.text);
    assertEquals(names.slice(0, 3), [
      "authentication-results",
      "dkim-status",
      "dkim-signature",
    ]);
    assertMatch(inbound.text, /^DKIM-Status: good$/m);
    assertMatch(inbound.text, /dkim=pass header\.d=example\.com/);
    assert(!names.some((n) => n.startsWith("x-dkim-")), "X-DKIM-* removed");
    assertEquals(names.filter((n) => n === "dkim-status").length, 1);
    assertEquals(names.filter((n) => n === "authentication-results").length, 2);
    assertMatch(
      inbound.text,
      /^Authentication-Results: other\.example; dkim=fail$/m,
    );
    assertMatch(inbound.text, /^DomainKey-Status: good$/m);
    assert(!/^Authentication-Results: \(comment\)/m.test(inbound.text));
    // Relay: removed too, and dk's own signature covers what is handed on.
    const relay = await queue(
      w,
      { ...RELAY, DKIMSIGN: "domainkeys/%/rsa2026" },
      message(FROM, planted),
    );
    assertEquals(relay.code, 0);
    assertEquals(
      fieldNames(relay.text),
      [
        "dkim-signature",
        "from",
        "to",
        "subject",
        "authentication-results",
        "domainkey-status",
      ],
    );
    const py = await dkimpyVerify(w, [relay.text]);
    assertEquals(py[0].ok, true, JSON.stringify(py));
  } finally {
    await w.stop();
  }
});

Deno.test("DKIMVERIFY classes, configuration errors, no From and DKIMQUEUE=dk: exit codes and channel texts of dkim.md 6.12 (row 18)", async () => {
  const w = await world("dk-queue-dkim-exits-");
  try {
    const unsigned = message(FROM);
    const cases: {
      what: string;
      env: Record<string, string>;
      msg?: Uint8Array;
      plain: number;
      channel: string | null;
    }[] = [
      {
        what: "S listed in uppercase",
        env: { ...STRANGER, DKIMVERIFY: "S" },
        plain: QUEUE_EXIT.rejectPermanent,
        channel: "DDKIM verify status: no signature (#5.7.20)",
      },
      {
        what: "S listed in lowercase",
        env: { ...STRANGER, DKIMVERIFY: "s" },
        plain: QUEUE_EXIT.customError,
        channel: "ZDKIM verify status: no signature (#4.7.0)",
      },
      {
        what: "the man page's set accepts unsigned mail",
        env: { ...STRANGER, DKIMVERIFY: "FGHIKLMNORTUVWjp" },
        plain: 0,
        channel: null,
      },
      {
        what: "a %-less DKIMSIGN that does not exist",
        env: { ...RELAY, DKIMSIGN: "domainkeys/none/private" },
        plain: QUEUE_EXIT.configError,
        channel: "ZDKIM: signing key file does not exist (#4.3.0)",
      },
      {
        what: "no usable From when signing",
        // DKSIGN="": DomainKeys, which signs first, would refuse it first.
        env: { ...RELAY, DKSIGN: "", DKIMSIGN: "domainkeys/%/rsa2026" },
        msg: enc("To: x@example.org\nSubject: no from\n\nbody\n"),
        plain: QUEUE_EXIT.permanentRefusal,
        channel: "DDKIM: no usable From address to sign for (#5.3.0)",
      },
      {
        what: "DKIMQUEUE is dk itself",
        env: { ...STRANGER, DKIMVERIFY: "", DKIMQUEUE: DK },
        plain: QUEUE_EXIT.internalBug,
        channel: null,
      },
    ];
    for (const c of cases) {
      for (const channel of [false, true]) {
        const o = await queue(
          w,
          c.env,
          c.msg ?? unsigned,
          channel ? 6 : undefined,
        );
        const where = `${c.what}, channel ${channel}`;
        if (c.plain === 0) {
          assertEquals(o.code, 0, where);
          continue;
        }
        assertEquals(o.queued, null, where);
        if (channel && c.channel !== null) {
          assertEquals(
            [o.code, o.channel],
            [QUEUE_EXIT.customError, c.channel],
            where,
          );
        } else {
          assertEquals([o.code, o.channel], [c.plain, ""], where);
        }
      }
    }
  } finally {
    await w.stop();
  }
});

Deno.test("silent DNS gives P, temporary within the deadline, even listed in uppercase (rows 18, 19)", async () => {
  const w = await world("dk-queue-dkim-silent-");
  try {
    // A server that never answers.
    const silent = await startFakeDns(() => null);
    try {
      const signed = await queue(w, {
        ...RELAY,
        DKIMSIGN: "domainkeys/%/rsa2026",
      }, message(FROM));
      const o = await queue(
        w,
        {
          ...STRANGER,
          DKIMVERIFY: "P",
          DK_DNS: silent.address,
          DK_DNS_TIMEOUT: "1",
        },
        enc(signed.text),
        6,
      );
      assertEquals([o.code, o.channel], [
        QUEUE_EXIT.customError,
        "ZDKIM verify status: temporary failure, try later (#4.7.0)",
      ]);
      assert(o.ms < 20_000, `took ${o.ms} ms`);
      assert(silent.queries.length > 0, "the server was asked");
    } finally {
      await silent.close();
    }
  } finally {
    await w.stop();
  }
});

Deno.test("DomainKeys and DKIM in one run: one handoff, fields in 6.11's order; Mail::DKIM passes DK, dkimpy DKIM; AR carries domainkeys=", async () => {
  const w = await world("dk-queue-dkim-both-");
  try {
    // A DomainKeys key beside the DKIM one, published as a DK selector.
    const dkKey = `${w.dir}/dkkeys/${DOMAIN}/rsa2026`;
    await Deno.mkdir(`${w.dir}/dkkeys/${DOMAIN}`, { recursive: true });
    await Deno.copyFile(w.keys[0].file, dkKey);
    const msg = message(FROM);
    const signed = await queue(w, {
      ...RELAY,
      DKSIGN: `${w.dir}/dkkeys/%/rsa2026`,
      DKIMSIGN: "domainkeys/%/rsa2026",
    }, msg);
    assertEquals(signed.code, 0);
    assertEquals(fieldNames(signed.text).slice(0, 3), [
      "dkim-signature",
      "domainkey-signature",
      "from",
    ]);
    const md = await mailDkimVerify(w, [signed.text]);
    const byType = Object.fromEntries(
      md[0].signatures.map((s) => [s.type, s.result]),
    );
    assertEquals(
      byType,
      { dkim: "pass", domainkeys: "pass" },
      JSON.stringify(md),
    );
    const py = await dkimpyVerify(w, [signed.text]);
    assertEquals(py[0].ok, true);
    // Verified in one run: AR (dkim= then domainkeys=), DKIM-Status, DomainKey-Status.
    const verified = await queue(w, {
      ...STRANGER,
      DKVERIFY: "",
      DKIMVERIFY: "",
    }, enc(signed.text));
    assertEquals(verified.code, 0);
    assertEquals(fieldNames(verified.text).slice(0, 4), [
      "authentication-results",
      "dkim-status",
      "domainkey-status",
      "dkim-signature",
    ]);
    assertMatch(verified.text, /^DomainKey-Status: good$/m);
    assertMatch(verified.text, /^DKIM-Status: good$/m);
    const ar = verified.text.split("\nDKIM-Status:")[0];
    assertMatch(
      ar,
      /\tdkim=pass header\.d=example\.com[^]*;\n\tdomainkeys=pass header\.d=example\.com header\.from=alice@example\.com\n?$/,
    );
  } finally {
    await w.stop();
  }
});

Deno.test("a DomainKeys-only host sees no DKIM: no DKIM lookup, no DKIM field, the same bytes as before (row 19)", async () => {
  const w = await world("dk-queue-dkim-dkonly-");
  const asked: string[] = [];
  const dns = await startFakeDns((query) => {
    const name = questionName(query);
    asked.push(name);
    const value = w.records[name];
    return value === undefined
      ? fakeResponse(query, 0x8183)
      : fakeResponse(query, 0x8180, [
        splitStrings(value.replace("v=DKIM1; ", "")),
      ]);
  });
  try {
    // Signed with both schemes under different selectors (rsa2026 for DK,
    // ed2026 for DKIM), then verified by a host with only DKVERIFY.
    const dkKeys = `${w.dir}/dkkeys/${DOMAIN}`;
    await Deno.mkdir(dkKeys, { recursive: true });
    await Deno.copyFile(w.keys[0].file, `${dkKeys}/rsa2026`);
    const both = await queue(w, {
      ...RELAY,
      DKSIGN: `${w.dir}/dkkeys/%/rsa2026`,
      DKIMSIGN: "domainkeys/%/ed2026",
    }, message(FROM));
    assertEquals(fieldNames(both.text).slice(0, 2), [
      "dkim-signature",
      "domainkey-signature",
    ]);
    const o = await runQueue({
      message: enc(both.text),
      env: { ...STRANGER, DKVERIFY: "", DK_DNS: dns.address },
    });
    try {
      assertEquals([o.code, o.stderr], [0, ""]);
      const text = latin1(o.queued!);
      assertEquals(text, `DomainKey-Status: good\n${both.text}`);
      assertEquals(asked, [`rsa2026._domainkey.${DOMAIN}`]);
    } finally {
      await cleanup(o.dir);
    }
  } finally {
    await dns.close();
    await w.stop();
  }
});

Deno.test("SELECTOR_DATA answers every key lookup; UNSIGNED_FROM lets an unsigned From above the signed one pass (dkim.md 6.3)", async () => {
  const w = await world("dk-queue-dkim-selectordata-");
  try {
    const signed = await run(DK, [
      "sign",
      "--scheme",
      "dkim",
      "--key",
      `${w.control}/domainkeys/${DOMAIN}/rsa2026`,
      "--selector",
      "rsa2026",
      "--headers",
      "from:to:subject",
    ], { stdin: message(FROM) });
    assertEquals(signed.code, 0, signed.stderrText);
    // DNS that cannot answer: only SELECTOR_DATA can give the key.
    const env = {
      ...STRANGER,
      DKIMVERIFY: "",
      DK_DNS: "127.0.0.1:9",
      DK_DNS_TIMEOUT: "1",
      SELECTOR_DATA: w.records[`rsa2026._domainkey.${DOMAIN}`],
    };
    const good = await queue(w, env, signed.stdout);
    assertEquals(good.code, 0);
    assertMatch(good.text, /^DKIM-Status: good$/m);
    // A second From above the signed one: X, unless UNSIGNED_FROM.
    const forged = enc(
      `From: Mallory <m@evil.example>\n${latin1(signed.stdout)}`,
    );
    const x = await queue(w, env, forged);
    assertMatch(x.text, /^DKIM-Status: From field not signed$/m);
    const allowed = await queue(w, { ...env, UNSIGNED_FROM: "" }, forged);
    assertMatch(allowed.text, /^DKIM-Status: good$/m);
    // A wrong key in SELECTOR_DATA: the signature does not verify.
    const wrong = await queue(w, {
      ...env,
      SELECTOR_DATA: w.records[`ed2026._domainkey.${DOMAIN}`],
    }, signed.stdout);
    assert(!/^DKIM-Status: good$/m.test(wrong.text), wrong.text.slice(0, 300));
  } finally {
    await w.stop();
  }
});
