/**
 * Interop of the DKIM commands with the real peers (dkim.md 8 rows 5, 6, 8,
 * 9, 13): `dk sign --scheme dkim|both` verified by dkimpy (python3-dkim,
 * `dnsfunc` answering from the zone dnsmasq serves) and Mail::DKIM (Net::DNS
 * at the loopback dnsmasq); Mail::DKIM and dkimpy signing, `dk verify`
 * judging; U-label `d=`/`s=` looked up as A-labels only. Keys are made at
 * test time with openssl.
 *
 * @module
 */

import {
  assert,
  assertEquals,
  assertStringIncludes,
} from "./helpers/assert.ts";
import { DK, mapLimit, requirePeers, run } from "./helpers/mail_dkim.ts";
import { splitStrings } from "./helpers/dnsmasq.ts";
import { fakeResponse, startFakeDns } from "./helpers/fake_dns.ts";
import { publicKeyOf } from "./helpers/keys.ts";
import { encodeBase64 } from "../core/crypto/base64.ts";
import {
  bytes,
  dkimpy,
  dkimpyVerify,
  dkVerify,
  DOMAIN,
  HELPERS,
  type Key,
  latin1,
  mailDkimVerify,
  openssl,
  startWorld,
  type World,
} from "./helpers/dkim_world.ts";

const MESSAGE = [
  "Received: from x by y",
  "From: Joe \xc3\xa9 <joe@example.com>",
  "To: a@b.example,",
  "\tc@d.example",
  "Subject:  Is   dinner\tready?  ",
  "Date: Fri, 04 Dec 2026 19:00:00 +0000",
  "Message-ID: <1@example.com>",
  "MIME-Version: 1.0",
  "Content-Type: text/plain; charset=utf-8",
  "X-Unsigned: keep",
  "",
  "Hi.  ",
  "",
  "\tWe lost the game.\t ",
  "",
  "",
  "",
].join("\n");
const EMPTY_BODY = "From: Joe <joe@example.com>\nSubject: nothing\n\n";

function world(): Promise<World> {
  // The 1024-bit record is in the DomainKeys form DKIM also reads (3.1).
  return startWorld("dk-dkim-interop-", [
    { name: "s1024", rsa: 1024, record: (spki) => `k=rsa; p=${spki}` },
    {
      name: "s2048",
      rsa: 2048,
      record: (spki) => `v=DKIM1; k=rsa; h=sha256; p=${spki}`,
    },
    { name: "ed", ed25519: true },
  ], { [`_domainkey.${DOMAIN}`]: "o=~" });
}

async function dkSign(args: string[], message: string): Promise<string> {
  const r = await run(DK, ["sign", ...args], {
    stdin: bytes(message),
    timeoutMs: 60_000,
  });
  assertEquals(r.code, 0, r.stderrText);
  return latin1(r.stdout);
}

/** Tampered forms of a message signed by dk, and what must come of each. */
function tamper(
  signed: string,
  eol: string,
): { what: string; message: string; pass: boolean; letter: string }[] {
  return [
    { what: "as signed", message: signed, pass: true, letter: "A" },
    {
      what: "body changed",
      message: signed.replace("lost", "won"),
      pass: false,
      letter: "U",
    },
    {
      what: "signed field changed",
      message: signed.replace("dinner", "lunch"),
      pass: false,
      letter: "I",
    },
    {
      what: "unsigned field added",
      message: `X-New: 1${eol}` + signed,
      pass: true,
      letter: "A",
    },
    {
      what: "over-signed Cc added",
      message: signed.replace("X-Unsigned", `Cc: e@f.example${eol}X-Unsigned`),
      pass: false,
      letter: "I",
    },
    {
      what: "second From added",
      message: signed.replace(
        "X-Unsigned",
        `From: eve@example.com${eol}X-Unsigned`,
      ),
      pass: false,
      letter: "I",
    },
    {
      what: "second Subject added",
      message: signed.replace(
        "X-Unsigned",
        `Subject: free money${eol}X-Unsigned`,
      ),
      pass: false,
      letter: "I",
    },
  ];
}

Deno.test("dk sign --scheme dkim → dkimpy and Mail::DKIM (RSA 1024/2048, Ed25519; four c= pairs; LF/CRLF; empty body; tampering gives dk U / I)", async () => {
  const w = await world();
  try {
    const jobs: { key: Key; canon: string; eol: string; body: string }[] = [];
    for (const key of w.keys) {
      for (
        const canon of [
          "simple/simple",
          "simple/relaxed",
          "relaxed/simple",
          "relaxed/relaxed",
        ]
      ) {
        for (const eol of ["\n", "\r\n"]) {
          for (const body of [MESSAGE, EMPTY_BODY]) {
            jobs.push({ key, canon, eol, body: body.replace(/\n/g, eol) });
          }
        }
      }
    }
    const signed = await mapLimit(jobs, 4, (j) =>
      dkSign([
        "--dkim",
        "--key",
        j.key.file,
        "--canon",
        j.canon,
      ], j.body));
    const cases: {
      label: string;
      message: string;
      pass: boolean;
      letter: string;
      ed25519: boolean;
    }[] = [];
    jobs.forEach((j, i) => {
      const field = signed[i].slice(0, signed[i].length - j.body.length);
      assert(field.startsWith("DKIM-Signature: v=1; a="), field);
      assertEquals(signed[i].slice(field.length), j.body);
      assert(
        field.split(j.eol).length === field.split("\n").length,
        "the field's line ends are the input's",
      );
      const label = `${j.key.name} ${j.canon} ${
        j.eol === "\n" ? "LF" : "CRLF"
      } ${j.body.includes("lost") ? "body" : "empty body"}`;
      const variants = j.body.includes("lost") ? tamper(signed[i], j.eol) : [
        { what: "as signed", message: signed[i], pass: true, letter: "A" },
        {
          what: "body added",
          message: signed[i] + `x${j.eol}`,
          pass: false,
          letter: "U",
        },
      ];
      for (const v of variants) {
        cases.push({
          label: `${label}: ${v.what}`,
          message: v.message,
          pass: v.pass,
          letter: v.letter,
          ed25519: j.key.ed25519,
        });
      }
    });
    const messages = cases.map((c) => c.message);
    const [python, perl, dk] = await Promise.all([
      dkimpyVerify(w, messages),
      mailDkimVerify(w, messages),
      dkVerify(w, messages),
    ]);
    cases.forEach((c, i) => {
      assertEquals(
        python[i].ok,
        c.pass,
        `dkimpy: ${c.label} ${python[i].error ?? ""}`,
      );
      const md = perl[i].signatures.find((s) => s.type === "dkim");
      assert(md, `Mail::DKIM saw no DKIM signature: ${c.label}`);
      if (c.ed25519) {
        assertEquals(md.result, "invalid", `Mail::DKIM: ${c.label}`);
      } else {
        assertEquals(
          md.result === "pass",
          c.pass,
          `Mail::DKIM: ${c.label}: ${md.result} ${md.details}`,
        );
      }
      const v = dk.verdicts[i];
      assertEquals(
        [v.dkim, v.signatures[0].code],
        [c.letter, c.letter],
        `dk: ${c.label}: ${v.signatures[0].reason}`,
      );
      assertEquals(v.code, "C");
    });
    assertEquals(dk.code, 1);
  } finally {
    await w.stop();
  }
});

Deno.test("Mail::DKIM and dkimpy sign → dk verify: rsa-sha256 A, rsa-sha1 D unless DK_DKIM_SHA1=accept, l= plus appended bytes E, A with --honor-l", async () => {
  const w = await world();
  try {
    const rsa = w.keys.find((k) => k.name === "s2048")!;
    const ed = w.keys.find((k) => k.ed25519)!;
    const crlf = MESSAGE.replace(/\n/g, "\r\n");
    const perlSign = async (algorithm: string, method: string, key = rsa) => {
      const r = await run("perl", [
        `${HELPERS}maildkim_sign.pl`,
        "--scheme",
        "dkim",
        "--key",
        key.file,
        "--selector",
        key.name,
        "--domain",
        DOMAIN,
        "--algorithm",
        algorithm,
        "--method",
        method,
      ], { stdin: bytes(MESSAGE) });
      assertEquals(r.code, 0, r.stderrText);
      return latin1(r.stdout);
    };
    const sha256 = await perlSign("rsa-sha256", "relaxed/relaxed");
    const sha256Simple = await perlSign("rsa-sha256", "simple/simple");
    // s2048's record says h=sha256 (V for rsa-sha1); s1024's allows both.
    const sha1 = await perlSign(
      "rsa-sha1",
      "relaxed/relaxed",
      w.keys.find((k) => k.name === "s1024")!,
    );
    const sha1Barred = await perlSign("rsa-sha1", "relaxed/relaxed");
    const signed = await dkimpy([
      {
        op: "sign",
        msg: encodeBase64(bytes(crlf)),
        key: rsa.file,
        selector: rsa.name,
        domain: DOMAIN,
        alg: "rsa-sha256",
      },
      {
        op: "sign",
        msg: encodeBase64(bytes(crlf)),
        key: ed.file,
        selector: ed.name,
        domain: DOMAIN,
        alg: "ed25519-sha256",
      },
      {
        op: "sign",
        msg: encodeBase64(bytes(crlf)),
        key: rsa.file,
        selector: rsa.name,
        domain: DOMAIN,
        alg: "rsa-sha256",
        length: true,
      },
    ]);
    const [pyRsa, pyEd, pyLength] = signed.map((s) =>
      latin1(Uint8Array.from(atob(s.signed as string), (c) => c.charCodeAt(0)))
    );
    const appended = pyLength + "0123456789";
    const plain = await dkVerify(w, [
      sha256,
      sha256Simple,
      sha1,
      pyRsa,
      pyEd,
      appended,
      sha1Barred,
    ]);
    assertEquals(plain.verdicts.map((v) => v.dkim), [
      "A",
      "A",
      "D",
      "A",
      "A",
      "E",
      "V",
    ]);
    assertStringIncludes(plain.verdicts[2].signatures[0].reason, "RFC 8301");
    assertEquals(plain.code, 1);
    const accepted = await dkVerify(w, [sha1], [], {
      DK_DKIM_SHA1: "accept",
    });
    assertEquals([accepted.code, accepted.verdicts[0].dkim], [0, "A"]);
    const honored = await dkVerify(w, [appended], ["--honor-l"]);
    assertEquals([honored.code, honored.verdicts[0].dkim], [0, "A"]);
    assertEquals(honored.verdicts[0].signatures[0].code, "E");
    const unsigned = (honored.verdicts[0].signatures[0] as unknown as {
      unsigned_body_octets: number;
    }).unsigned_body_octets;
    // Canonical octets past l=: the two blank lines that stopped being
    // trailing (4), the 10 bytes, and the line end a last line gets (2).
    assertEquals(unsigned, 4 + 10 + 2);
  } finally {
    await w.stop();
  }
});

Deno.test("dk sign --scheme both: Mail::DKIM's DomainKeys verifier and dkimpy pass; stripping either field keeps the other valid", async () => {
  const w = await world();
  try {
    const rsa = w.keys.find((k) => k.name === "s1024")!;
    const ed = w.keys.find((k) => k.ed25519)!;
    const one = await dkSign(["--scheme", "both", "--key", rsa.file], MESSAGE);
    const two = await dkSign([
      "--scheme",
      "both",
      "--key",
      rsa.file,
      "--key",
      ed.file,
    ], MESSAGE);
    // Order: DKIM (second key), DKIM (first key), DomainKey-Signature.
    const names = two.split("\n").filter((l) =>
      /^[A-Za-z-]+-Signature:/.test(l)
    )
      .map((l) =>
        l.slice(0, l.indexOf(":")) + " " + (/ s=([^;]+);/.exec(l)?.[1] ?? "")
      );
    assertEquals(names.map((n) => n.split(" ")[0]), [
      "DKIM-Signature",
      "DKIM-Signature",
      "DomainKey-Signature",
    ]);
    assertStringIncludes(
      two.slice(0, two.indexOf("\nDKIM-Signature")),
      "a=ed25519-sha256",
    );
    const noDkim = one.slice(one.indexOf("DomainKey-Signature:"));
    const dkAt = one.indexOf("DomainKey-Signature:");
    const dkEnd = one.indexOf("From:");
    const noDk = one.slice(0, dkAt) + one.slice(dkEnd);
    const messages = [one, two, noDkim, noDk];
    const [python, perl, dk] = await Promise.all([
      dkimpyVerify(w, messages),
      mailDkimVerify(w, messages),
      dkVerify(w, messages),
    ]);
    assertEquals(python.map((p) => p.ok), [true, true, false, true]);
    assertEquals(
      perl.map((p) =>
        p.signatures.filter((s) => s.type === "domainkeys").map((s) => s.result)
          .join()
      ),
      ["pass", "pass", "pass", ""],
    );
    assertEquals(
      perl.map((p) =>
        p.signatures.filter((s) => s.type === "dkim").map((s) => s.result)
          .join()
      ),
      ["pass", "invalid,pass", "", "pass"],
    );
    assertEquals(dk.verdicts.map((v) => `${v.code} ${v.dkim}`), [
      "A A",
      "A A",
      "A S",
      "C A",
    ]);
    assertEquals(dk.verdicts[1].signatures.map((s) => s.scheme), [
      "dkim",
      "dkim",
      "dk",
    ]);
    assertEquals(dk.code, 0);
  } finally {
    await w.stop();
  }
});

Deno.test("U-label d= and s= signed by dkimpy: dk verify A, and the resolver was asked only A-labels", async () => {
  await requirePeers();
  const dir = await Deno.makeTempDir({ prefix: "dk-dkim-idn-" });
  try {
    const key = `${dir}/key`;
    await openssl(["genrsa", "-traditional", "-out", key, "2048"]);
    const spki = await publicKeyOf(key);
    const domain = "b\u00fccher.example";
    const selector = "s\u00e9l";
    const aDomain = new URL(`http://${domain}/`).hostname;
    const aSelector = new URL(`http://${selector}/`).hostname;
    assertEquals([aDomain, aSelector], ["xn--bcher-kva.example", "xn--sl-bja"]);
    const keyName = `${aSelector}._domainkey.${aDomain}`;
    const message =
      "From: Joe <joe@b\xc3\xbccher.example>\r\nTo: a@example.net\r\n" +
      "Subject: idn\r\n\r\nHello\r\n";
    const [signed] = await dkimpy([{
      op: "sign",
      msg: encodeBase64(bytes(message)),
      key,
      selector,
      domain,
      alg: "rsa-sha256",
    }]);
    const asked: string[] = [];
    const dns = await startFakeDns((query) => {
      const labels: string[] = [];
      for (let at = 12; query[at] !== 0; at += query[at] + 1) {
        labels.push(latin1(query.subarray(at + 1, at + 1 + query[at])));
      }
      const name = labels.join(".");
      asked.push(name);
      return name.toLowerCase() === keyName
        ? fakeResponse(query, 0x8180, [
          splitStrings(`v=DKIM1; k=rsa; p=${spki}`),
        ])
        : fakeResponse(query, 0x8183);
    });
    try {
      const r = await run(DK, ["verify", "--dns", dns.address, "--json"], {
        stdin: Uint8Array.from(
          atob(signed.signed as string),
          (c) => c.charCodeAt(0),
        ),
      });
      const v = JSON.parse(r.stdoutText);
      assertEquals([r.code, v.dkim], [0, "A"], r.stdoutText + r.stderrText);
      assertEquals([v.signatures[0].domain, v.signatures[0].selector], [
        aDomain,
        aSelector,
      ]);
      assert(asked.length > 0);
      for (const name of asked) {
        assert(/^[\x21-\x7e]+$/.test(name), `asked a non-ASCII name: ${name}`);
      }
      assertEquals([...new Set(asked.map((n) => n.toLowerCase()))], [keyName]);
    } finally {
      await dns.close();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
