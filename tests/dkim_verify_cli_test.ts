/**
 * `dk verify` over both schemes, whole program against a scripted DNS
 * server on 127.0.0.1 that records every query (dkim.md 5.2; 8 row 14):
 * DK good + DKIM bad, DK none + DKIM good, DKIM P on a silent server, 50
 * `DKIM-Signature` fields (10 looked up, 40 skipped), one lookup per name
 * for both schemes, the text continuation, `--add-header`'s
 * `Authentication-Results`, `DKIM-Status` and removal of result fields
 * (authserv-id from `DK_AUTHSERV_ID` or `CONTROLDIR/me`; 8 row 17's fields),
 * `--at`, `DK_DKIM_SHA1` and the usage errors. Keys are made with openssl,
 * messages signed with `dk sign`.
 *
 * @module
 */

import {
  assert,
  assertEquals,
  assertStringIncludes,
} from "./helpers/assert.ts";
import { DK, run } from "./helpers/mail_dkim.ts";
import {
  fakeResponse,
  questionName,
  startFakeDns,
} from "./helpers/fake_dns.ts";
import { splitStrings } from "./helpers/dnsmasq.ts";
import { publicKeyOf } from "./helpers/keys.ts";

const te = new TextEncoder();
const DOMAIN = "example.com";
const MESSAGE =
  "From: Joe <joe@example.com>\nTo: a@example.net\nSubject: t\nDate: Fri, 04 Dec 2026 19:00:00 +0000\n\nHello\n";

/** What a name answers: a TXT value, or silence. */
type Entry = string | "silent";

/** A scripted server: names in `zone` answer, others NXDOMAIN. */
async function server(zone: Record<string, Entry>) {
  const dns = await startFakeDns((query) => {
    const name = questionName(query);
    const entry = zone[name];
    if (entry === "silent") return null;
    if (entry === undefined) return fakeResponse(query, 0x8183);
    return fakeResponse(query, 0x8180, [splitStrings(entry)]);
  });
  return {
    ...dns,
    /** The distinct names asked, in order. */
    names: () => [...new Set(dns.queries.map((q) => questionName(q.bytes)))],
  };
}

interface Keys {
  dir: string;
  rsa: string;
  ed: string;
  zone: Record<string, Entry>;
}

async function makeKeys(): Promise<Keys> {
  const dir = await Deno.makeTempDir({ prefix: "dk-dkim-verify-" });
  const rsa = `${dir}/s1`;
  const ed = `${dir}/ed`;
  for (
    const args of [
      ["genrsa", "-traditional", "-out", rsa, "1024"],
      ["genpkey", "-algorithm", "ed25519", "-out", ed],
    ]
  ) {
    const r = await run("openssl", args);
    assertEquals(r.code, 0, r.stderrText);
  }
  const edDer = await run("openssl", [
    "pkey",
    "-in",
    ed,
    "-pubout",
    "-outform",
    "DER",
  ]);
  const edRaw = btoa(String.fromCharCode(...edDer.stdout.slice(-32)));
  return {
    dir,
    rsa,
    ed,
    zone: {
      [`s1._domainkey.${DOMAIN}`]: `k=rsa; p=${await publicKeyOf(rsa)}`,
      [`ed._domainkey.${DOMAIN}`]: `v=DKIM1; k=ed25519; p=${edRaw}`,
      [`_domainkey.${DOMAIN}`]: "o=~",
    },
  };
}

async function sign(args: string[], message = MESSAGE): Promise<string> {
  const r = await run(DK, ["sign", ...args], { stdin: te.encode(message) });
  assertEquals(r.code, 0, r.stderrText);
  return r.stdoutText;
}

function verify(
  address: string,
  message: string,
  args: string[] = ["--json"],
  env: Record<string, string> = {},
) {
  return run(DK, ["verify", "--dns", address, ...args], {
    stdin: te.encode(message),
    env,
  });
}

Deno.test("dk verify --json: DK good + DKIM bad exits 1, DK none + DKIM good exits 0, DK fields unchanged", async () => {
  const keys = await makeKeys();
  const dns = await server(keys.zone);
  try {
    // DK good, DKIM bad: a DKIM signature whose key is not published.
    const dk = await sign(["--key", keys.rsa]);
    const both = await sign(
      ["--dkim", "--key", keys.ed, "--selector", "gone"],
      dk,
    );
    const r1 = await verify(dns.address, both);
    assertEquals(r1.code, 1, r1.stderrText);
    const j1 = JSON.parse(r1.stdoutText);
    assertEquals(
      [j1.code, j1.status, j1.domain, j1.selector, j1.testing, j1.dkim],
      ["A", "good", DOMAIN, "s1", false, "Q"],
    );
    assertEquals(
      j1.signatures.map((s: { scheme: string; code: string }) =>
        `${s.scheme} ${s.code}`
      ),
      ["dkim Q", "dk A"],
    );
    assertEquals([j1.dk_skipped, j1.dkim_skipped], [0, 0]);
    const dkEntry = j1.signatures[1];
    assertEquals(dkEntry, {
      scheme: "dk",
      code: "A",
      status: "good",
      domain: DOMAIN,
      selector: "s1",
      algorithm: "rsa-sha1",
      reason: "signature verifies",
      testing: false,
    });
    assertEquals(j1.signatures[0].key_type, null);
    assertEquals(j1.signatures[0].result, "permerror");

    // DK none, DKIM good (Ed25519): exit 0 while code stays C.
    const good = await sign(["--dkim", "--key", keys.ed]);
    const r2 = await verify(dns.address, good);
    assertEquals(r2.code, 0, r2.stderrText);
    const j2 = JSON.parse(r2.stdoutText);
    assertEquals([j2.code, j2.status, j2.dkim], ["C", "no signature", "A"]);
    assertEquals(j2.policy, { o: "~", t: false, published: true });
    const s = j2.signatures[0];
    assertEquals(
      [s.scheme, s.code, s.status, s.domain, s.selector, s.algorithm],
      ["dkim", "A", "good", DOMAIN, "ed", "ed25519-sha256"],
    );
    assertEquals([s.key_type, s.key_bits, s.result], ["ed25519", null, "pass"]);
    assertEquals([s.aligned, s.identity, s.body_length], [
      true,
      `@${DOMAIN}`,
      null,
    ]);
    assertEquals(s.header_b.length, 8);
    assert(good.replace(/\s/g, "").includes(`b=${s.header_b}`));

    // The text line continues with the DKIM part.
    const text = await verify(dns.address, good, []);
    assertEquals(
      text.stdoutText,
      `C no signature; dkim A good (d=${DOMAIN} s=ed a=ed25519-sha256)\n`,
    );
    // A DK-only message: the line and the exit as before.
    const dkOnly = await verify(dns.address, dk, []);
    assertEquals([dkOnly.code, dkOnly.stdoutText], [
      0,
      `A good (d=${DOMAIN} s=s1)\n`,
    ]);
    const dkOnlyJson = JSON.parse((await verify(dns.address, dk)).stdoutText);
    assertEquals([dkOnlyJson.dkim, dkOnlyJson.signatures.length], ["S", 1]);
  } finally {
    await dns.close();
    await Deno.remove(keys.dir, { recursive: true });
  }
});

Deno.test("dk verify: DKIM P on a silent server exits 75; DK and DKIM share one lookup per name", async () => {
  const keys = await makeKeys();
  const dns = await server({
    ...keys.zone,
    [`quiet._domainkey.${DOMAIN}`]: "silent",
  });
  try {
    const quiet = await sign([
      "--dkim",
      "--key",
      keys.ed,
      "--selector",
      "quiet",
    ]);
    const r = await verify(dns.address, quiet, ["--json"], {
      DK_DNS_TIMEOUT: "1",
    });
    assertEquals(r.code, 75, r.stdoutText + r.stderrText);
    const j = JSON.parse(r.stdoutText);
    assertEquals([j.code, j.dkim], ["C", "P"]);
    assertEquals(j.signatures[0].result, "temperror");

    dns.queries.length = 0;
    const both = await sign(["--scheme", "both", "--key", keys.rsa]);
    const r2 = await verify(dns.address, both, []);
    assertEquals(r2.code, 0, r2.stderrText);
    assertEquals(
      r2.stdoutText,
      `A good (d=${DOMAIN} s=s1); dkim A good (d=${DOMAIN} s=s1 a=rsa-sha256)\n`,
    );
    assertEquals(
      dns.queries.map((q) => questionName(q.bytes)),
      [`s1._domainkey.${DOMAIN}`],
    );
  } finally {
    await dns.close();
    await Deno.remove(keys.dir, { recursive: true });
  }
});

Deno.test("dk verify: of 50 DKIM-Signature fields 10 are looked up and 40 skipped; exit 1", async () => {
  const keys = await makeKeys();
  const dns = await server(keys.zone);
  try {
    let message = MESSAGE;
    const field = (await sign(["--dkim", "--key", keys.ed], MESSAGE))
      .slice(0, -MESSAGE.length);
    for (let i = 0; i < 50; i++) {
      message = field.replace("s=ed;", `s=n${i};`) + message;
    }
    const r = await verify(dns.address, message);
    assertEquals(r.code, 1, r.stderrText);
    const j = JSON.parse(r.stdoutText);
    assertEquals([j.code, j.dkim, j.dkim_skipped, j.dk_skipped], [
      "C",
      "Q",
      40,
      0,
    ]);
    assertEquals(j.signatures.length, 10);
    const dkimNames = dns.names().filter((n) => n !== `_domainkey.${DOMAIN}`);
    assert(dkimNames.length <= 10, dkimNames.join(" "));
    assertEquals(dkimNames[0], `n49._domainkey.${DOMAIN}`);
    // Same b= in all 50: header_b grows to the whole value.
    assertEquals(j.signatures[0].header_b.length > 8, true);
  } finally {
    await dns.close();
    await Deno.remove(keys.dir, { recursive: true });
  }
});

/** The authserv-id the `--add-header` tests name. */
const OUR_ID = "mx.test.example";

/**
 * `--add-header`'s output split where the message (whose first line is
 * `firstLine`) starts: the `Authentication-Results` field, the
 * `DKIM-Status` and `DomainKey-Status` lines after it, and the message.
 */
function added(out: string, eol: string, firstLine: string) {
  const status = out.indexOf(`${eol}DKIM-Status: `);
  assert(status > 0, out);
  const rest = out.slice(status + eol.length);
  const lines = rest.split(eol);
  const message = rest.slice(
    lines[0].length + lines[1].length + 2 * eol.length,
  );
  assert(message.startsWith(firstLine), message);
  return {
    ar: out.slice(0, status + eol.length),
    status: lines.slice(0, 2),
    message,
  };
}

Deno.test("dk verify --add-header adds Authentication-Results, DKIM-Status above DomainKey-Status only for DKIM mail; --at and --explain", async () => {
  const keys = await makeKeys();
  const dns = await server(keys.zone);
  const env = { DK_AUTHSERV_ID: OUR_ID };
  try {
    const signed = await sign([
      "--scheme",
      "both",
      "--key",
      keys.rsa,
      "--key",
      keys.ed,
      "--at",
      "1700000000",
      "--expire",
      "3600",
    ]);
    const crlf = signed.replace(/\n/g, "\r\n");
    const good = await verify(dns.address, crlf, [
      "--add-header",
      "--at",
      "1700000100",
    ], env);
    assertEquals(good.code, 0, good.stderrText);
    const a = added(good.stdoutText, "\r\n", "DKIM-Signature:");
    assertEquals(a.status, ["DKIM-Status: good", "DomainKey-Status: good"]);
    assertEquals(a.message, crlf);
    assert(a.ar.startsWith(`Authentication-Results: ${OUR_ID};\r\n`), a.ar);
    assertEquals(
      a.ar.split("\r\n").filter((l) => /^\t[a-z]+=/.test(l))
        .map((l) => l.split(" ")[0]),
      ["\tdkim=pass", "\tdkim=pass", "\tdomainkeys=pass"],
    );
    assert(!a.ar.replace(/\r\n/g, "").includes("\n"), "CRLF only");
    // Evaluated now, x= is long past: K, and DK's A does not decide.
    const expired = await verify(dns.address, signed, ["--add-header"], env);
    assertEquals(expired.code, 1);
    const k = added(expired.stdoutText, "\n", "DKIM-Signature:");
    assertEquals(k.status, [
      "DKIM-Status: signature expired",
      "DomainKey-Status: good",
    ]);
    assertEquals(k.message, signed);
    assertStringIncludes(k.ar, "\tdkim=policy");
    const plain = await verify(dns.address, MESSAGE, ["--add-header"], env);
    assertEquals(
      plain.stdoutText,
      "DomainKey-Status: no signature\n" + MESSAGE,
    );
    const explained = await verify(dns.address, signed, [
      "--explain",
      "--at",
      "1700000100",
    ]);
    assertStringIncludes(
      explained.stdoutText,
      "DKIM-Signature 1 of 2 (from the top): d=example.com s=ed a=ed25519-sha256",
    );
    assertStringIncludes(
      explained.stdoutText,
      "key record: TXT s1._domainkey.example.com (rsa, 1024 bits)",
    );
    const json = JSON.parse(
      (await verify(dns.address, signed, [
        "--json",
        "--explain",
        "--at",
        "1700000100",
      ])).stdoutText,
    );
    assertEquals(json.signatures.map((s: { scheme: string }) => s.scheme), [
      "dkim",
      "dkim",
      "dk",
    ]);
    assertEquals(json.signatures[0].timestamp, 1700000000);
    assertEquals(json.signatures[0].expires, 1700003600);
    assert(Array.isArray(json.signatures[0].explain));
  } finally {
    await dns.close();
    await Deno.remove(keys.dir, { recursive: true });
  }
});

/** The fields of 8 row 17 above a message's own: ours, foreign, kept. */
const PLANTED = [
  `Authentication-Results: ${OUR_ID}; dkim=pass header.d=${DOMAIN}`,
  "Authentication-Results: relay.example.net; dkim=fail",
  "X-DKIM-Foo: bar",
  "DKIM-Status: good",
  "DomainKey-Status: good",
  "authentication-results: MX.TEST.EXAMPLE;",
  "\tspf=pass",
].join("\n") + "\n";
/** What of {@link PLANTED} stays. */
const KEPT = "Authentication-Results: relay.example.net; dkim=fail\n" +
  "DomainKey-Status: good\n";

Deno.test("dk verify --add-header removes our result fields, keeps foreign ones and DomainKey-Status, AR on top (DK_AUTHSERV_ID, CONTROLDIR/me)", async () => {
  const keys = await makeKeys();
  const dns = await server(keys.zone);
  const control = `${keys.dir}/control`;
  await Deno.mkdir(control);
  await Deno.writeTextFile(`${control}/me`, `${OUR_ID}\nsecond.example\n`);
  try {
    const planted = PLANTED + MESSAGE;
    const signed = await sign(["--dkim", "--key", keys.ed], planted);
    const field = signed.slice(0, -planted.length);
    const envs: Record<string, string>[] = [
      { DK_AUTHSERV_ID: OUR_ID, CONTROLDIR: `${keys.dir}/nowhere` },
      { DK_AUTHSERV_ID: "", CONTROLDIR: control },
      { DK_AUTHSERV_ID: "", CONTROLDIR: "control", DK_QMAIL_HOME: keys.dir },
    ];
    for (const env of envs) {
      const what = JSON.stringify(env);
      const r = await verify(dns.address, signed, ["--add-header"], env);
      assertEquals(r.code, 0, what + r.stderrText);
      assertEquals(r.stderrText, "", what);
      const a = added(r.stdoutText, "\n", "DKIM-Signature:");
      assertEquals(a.status, [
        "DKIM-Status: good",
        "DomainKey-Status: no signature",
      ], what);
      // The signature still verified (above), and what stays is in order.
      assertEquals(a.message, field + KEPT + MESSAGE, what);
      const ar = a.ar.split("\n");
      assertEquals(ar[0], `Authentication-Results: ${OUR_ID};`, what);
      assert(
        ar[1].startsWith(`\tdkim=pass header.d=${DOMAIN}`) &&
          ar[1].includes(" header.s=ed"),
        a.ar,
      );
      assertStringIncludes(a.ar, "\n\tdomainkeys=none ");
      assertStringIncludes(a.ar, "header.from=joe@example.com\n");
      assert(a.ar.indexOf("dkim=pass") < a.ar.indexOf("domainkeys="));
    }
  } finally {
    await dns.close();
    await Deno.remove(keys.dir, { recursive: true });
  }
});

Deno.test("dk verify --add-header: a message without DKIM-Signature is unchanged, result fields and all", async () => {
  const keys = await makeKeys();
  const dns = await server(keys.zone);
  try {
    const dk = await sign(["--key", keys.rsa], PLANTED + MESSAGE);
    for (const message of [PLANTED + MESSAGE, dk]) {
      for (const eol of ["\n", "\r\n"]) {
        const text = message.replace(/\n/g, eol);
        const word = message === dk ? "good" : "no signature";
        // Without DKIM nothing is removed, whatever the authserv-id.
        const r = await verify(dns.address, text, ["--add-header"], {
          DK_AUTHSERV_ID: OUR_ID,
        });
        assertEquals(r.code, message === dk ? 0 : 1, r.stderrText);
        assertEquals(r.stdoutText, `DomainKey-Status: ${word}${eol}${text}`);
      }
    }
  } finally {
    await dns.close();
    await Deno.remove(keys.dir, { recursive: true });
  }
});

Deno.test("dk verify --add-header keeps a CRLF message's line ends: added fields in CRLF, ours removed", async () => {
  const keys = await makeKeys();
  const dns = await server(keys.zone);
  try {
    const planted = (PLANTED + MESSAGE).replace(/\n/g, "\r\n");
    const signed = await sign(["--scheme", "both", "--key", keys.rsa], planted);
    assert(signed.endsWith(planted));
    const fields = signed.slice(0, -planted.length);
    const r = await verify(dns.address, signed, ["--add-header"], {
      DK_AUTHSERV_ID: OUR_ID,
    });
    assertEquals(r.code, 0, r.stderrText);
    const a = added(r.stdoutText, "\r\n", "DKIM-Signature:");
    assertEquals(a.status, ["DKIM-Status: good", "DomainKey-Status: good"]);
    assertEquals(
      a.message,
      fields + (KEPT + MESSAGE).replace(/\n/g, "\r\n"),
    );
    assert(a.ar.startsWith(`Authentication-Results: ${OUR_ID};\r\n`));
    assert(!a.ar.replace(/\r\n/g, "").includes("\n"), "CRLF only");
    assertStringIncludes(a.ar, "\r\n\tdomainkeys=pass header.d=example.com");
  } finally {
    await dns.close();
    await Deno.remove(keys.dir, { recursive: true });
  }
});

Deno.test("dk verify: lower DomainKey-Signature fields are reported as if topmost", async () => {
  const keys = await makeKeys();
  const dns = await server(keys.zone);
  try {
    // A relay's second DK signature on top of a good one.
    const first = await sign(["--key", keys.rsa]);
    const second = "DomainKey-Signature: a=rsa-sha1; q=dns; c=nofws; s=s1;" +
      " d=example.com; b=AAAA;\n" + first;
    const r = await verify(dns.address, second);
    const j = JSON.parse(r.stdoutText);
    assertEquals(r.code, 1);
    assertEquals(j.code, "B");
    assertEquals(
      j.signatures.map((s: { code: string }) => s.code),
      ["B", "A"],
    );
    assertEquals(dns.names().length, 1);
  } finally {
    await dns.close();
    await Deno.remove(keys.dir, { recursive: true });
  }
});

Deno.test("dk verify: DK_DKIM_SHA1 other than accept, and a bad --at, are usage errors", async () => {
  const bad = await run(DK, ["verify", "--zone", "/dev/null"], {
    stdin: te.encode(MESSAGE),
    env: { DK_DKIM_SHA1: "yes" },
  });
  assertEquals(bad.code, 2);
  assertStringIncludes(bad.stderrText, "DK_DKIM_SHA1");
  const at = await run(DK, ["verify", "--at", "soon"], {
    stdin: te.encode(MESSAGE),
  });
  assertEquals(at.code, 2);
});
