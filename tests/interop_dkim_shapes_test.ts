/**
 * Interop of `dk sign --scheme dkim` on the message shapes dkim.md 8 row 5
 * names beyond interop_dkim_cli_test.ts's (an RSA 4096 key; 8-bit header and
 * body bytes; folded and repeated fields; trailing blank lines; a MIME
 * multipart message), verified by dkimpy (python3-dkim, `dnsfunc` answering
 * from the zone) and Mail::DKIM (Net::DNS at the loopback dnsmasq), and row
 * 10: an Ed25519 signature over the raw header input (indimail style, made
 * with python3-nacl by helpers/dkim_ed25519_raw.py), which `dk verify` calls
 * I with the 2.6 hint and dkimpy fails. Keys are made at test time.
 *
 * @module
 */

import {
  assert,
  assertEquals,
  assertStringIncludes,
} from "./helpers/assert.ts";
import { DK, mapLimit, run } from "./helpers/mail_dkim.ts";

import {
  bytes,
  dkimpyVerify,
  dkVerify,
  DOMAIN,
  HELPERS,
  type Key,
  latin1,
  mailDkimVerify,
  type PeerSignature,
  PYTHON,
  startWorld,
  type World,
} from "./helpers/dkim_world.ts";

/** The shapes, written with LF; each is also tried with CRLF. */
const SHAPES: Record<string, string> = {
  "8-bit": [
    // UTF-8 and bare Latin-1 bytes, in signed fields and in the body.
    "From: J\xc3\xb6rg M\xfcller <joerg@example.com>",
    "To: Ren\xc3\xa9e <renee@b.example>",
    "Subject: =?utf-8?q?x?= gr\xc3\xbc\xc3\x9fe \xff\x80",
    "Date: Fri, 04 Dec 2026 19:00:00 +0000",
    "Content-Type: text/plain; charset=iso-8859-1",
    "Content-Transfer-Encoding: 8bit",
    "",
    "Gr\xfc\xdfe,  d\xe9j\xe0 vu\t\xa0",
    "\xc3\xa9t\xc3\xa9 \xe2\x82\xac 100 \x80\x81\xfe\xff",
    "",
  ].join("\n"),
  "folded and repeated": [
    "Received: from a by b; Fri, 04 Dec 2026 19:00:02 +0000",
    "Received: from c by a;",
    "\tFri, 04 Dec 2026 19:00:01 +0000",
    "From: Joe <joe@example.com>",
    "To: one@b.example,",
    "   two@b.example,",
    "\t three@b.example",
    "Subject: a subject that goes on",
    " \t and on",
    "\tand  on ",
    "Cc: x@b.example",
    "Cc: y@b.example",
    "Comments: first",
    "Comments: second,",
    " folded",
    "X-Tag: 1",
    "X-Tag:2",
    // Not "X-Tag :" (obsolete space before the colon): dkimpy refuses it.
    "X-Tag:  3",
    "Date: Fri, 04 Dec 2026 19:00:00 +0000",
    "",
    "Body.",
    "",
  ].join("\n"),
  "trailing blank lines": [
    "From: Joe <joe@example.com>",
    "To: a@b.example",
    "Subject: blank lines",
    "",
    "Text.  ",
    "",
    "More text.",
    "",
    "   ",
    "\t",
    "",
    "",
    "",
  ].join("\n"),
  "MIME multipart": [
    "From: Joe <joe@example.com>",
    "To: a@b.example",
    "Subject: parts",
    "MIME-Version: 1.0",
    'Content-Type: multipart/mixed; boundary="=-b0undary"',
    "",
    "This is a multi-part message in MIME format.",
    "",
    "--=-b0undary",
    "Content-Type: text/plain; charset=utf-8",
    "Content-Transfer-Encoding: quoted-printable",
    "",
    "Hi there,  =",
    "soft break.  ",
    "Caf=C3=A9",
    "",
    "--=-b0undary",
    "Content-Type: application/octet-stream; name=x.bin",
    "Content-Transfer-Encoding: base64",
    'Content-Disposition: attachment; filename="x.bin"',
    "",
    "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4v",
    "MDEyMzQ1Njc4OTo7PD0+P0BBQkNERUZHSElKS0xNTk9QUVJTVFVWV1hZWltcXV5f",
    "",
    "--=-b0undary--",
    "epilogue",
    "",
    "",
  ].join("\n"),
};

const CANONS = [
  "simple/simple",
  "simple/relaxed",
  "relaxed/simple",
  "relaxed/relaxed",
];

/** An RSA 4096 and an Ed25519 key, their records served by dnsmasq. */
function world(): Promise<World> {
  return startWorld("dk-dkim-shapes-", [
    { name: "s4096", rsa: 4096, record: (spki) => `v=DKIM1; k=rsa; p=${spki}` },
    { name: "ed", ed25519: true },
  ]);
}

/** Mail::DKIM's result for each message's one DKIM signature. */
async function mailDkimResults(
  w: World,
  messages: string[],
): Promise<PeerSignature[]> {
  return (await mailDkimVerify(w, messages)).map((v) => {
    const dkim = v.signatures.filter((s) => s.type === "dkim");
    assertEquals(dkim.length, 1, JSON.stringify(v));
    return dkim[0];
  });
}

Deno.test("dk sign --scheme dkim → dkimpy and Mail::DKIM: RSA 4096 and Ed25519 × four c= pairs × LF/CRLF on 8-bit, folded/repeated, trailing-blank-line and MIME multipart messages", async () => {
  const w = await world();
  try {
    const jobs: { key: Key; canon: string; eol: string; shape: string }[] = [];
    for (const key of w.keys) {
      for (const canon of CANONS) {
        for (const eol of ["\n", "\r\n"]) {
          for (const shape of Object.keys(SHAPES)) {
            jobs.push({ key, canon, eol, shape });
          }
        }
      }
    }
    const signed = await mapLimit(jobs, 4, async (j) => {
      const body = SHAPES[j.shape].replace(/\n/g, j.eol);
      const r = await run(DK, [
        "sign",
        "--dkim",
        "--key",
        j.key.file,
        "--canon",
        j.canon,
      ], { stdin: bytes(body), timeoutMs: 60_000 });
      assertEquals(r.code, 0, r.stderrText);
      const out = latin1(r.stdout);
      assert(out.startsWith("DKIM-Signature: v=1; a="), out);
      assert(out.endsWith(body), "the message follows the field unchanged");
      return out;
    });
    const cases: {
      label: string;
      message: string;
      pass: boolean;
      ed25519: boolean;
    }[] = [];
    jobs.forEach((j, i) => {
      const label = `${j.key.name} ${j.canon} ${
        j.eol === "\n" ? "LF" : "CRLF"
      } ${j.shape}`;
      cases.push({
        label,
        message: signed[i],
        pass: true,
        ed25519: j.key.ed25519,
      });
      // Tampered: one more body line. Makes sure a pass above means something.
      cases.push({
        label: `${label}: body line added`,
        message: signed[i] + `x${j.eol}`,
        pass: false,
        ed25519: j.key.ed25519,
      });
    });
    const messages = cases.map((c) => c.message);
    const [python, perl, dk] = await Promise.all([
      dkimpyVerify(w, messages),
      mailDkimResults(w, messages),
      dkVerify(w, messages),
    ]);
    const wrong: string[] = [];
    cases.forEach((c, i) => {
      if (python[i].ok !== c.pass) {
        wrong.push(`dkimpy ${python[i].ok}: ${c.label} ${python[i].error}`);
      }
      const md = perl[i];
      if (
        c.ed25519 ? md.result !== "invalid" : (md.result === "pass") !== c.pass
      ) {
        wrong.push(`Mail::DKIM ${md.result} ${md.details}: ${c.label}`);
      }
      const v = dk.verdicts[i];
      if (v.dkim !== (c.pass ? "A" : "U")) {
        wrong.push(`dk ${v.dkim} ${v.signatures[0]?.reason}: ${c.label}`);
      }
    });
    assertEquals(wrong, []);
    assertEquals(dk.code, 1);
  } finally {
    await w.stop();
  }
});

Deno.test("Ed25519 over the raw header input (indimail style, python3-nacl): dk verify I with the raw-input hint, dkimpy fails; the same helper signing the SHA-256 passes both", async () => {
  const w = await world();
  try {
    const ed = w.keys.find((k) => k.ed25519)!;
    const message = "From: Joe <joe@example.com>\nTo: a@b.example\n" +
      "Subject:  raw   or digest \n\nHello  there.\n\n\n";
    const sign = async (mode: string) => {
      const r = await run(PYTHON, [
        `${HELPERS}dkim_ed25519_raw.py`,
        ed.file,
        ed.name,
        DOMAIN,
        mode,
      ], { stdin: bytes(message) });
      assertEquals(r.code, 0, r.stderrText);
      return latin1(r.stdout);
    };
    const raw = await sign("raw");
    const digest = await sign("digest");
    assert(raw !== digest);
    const messages = [raw, digest];
    const [python, dk] = await Promise.all([
      dkimpyVerify(w, messages),
      dkVerify(w, messages),
    ]);
    assertEquals(python.map((p) => p.ok), [false, true]);
    assertEquals(dk.verdicts.map((v) => v.dkim), ["I", "A"]);
    assertEquals(dk.verdicts[0].signatures[0].code, "I");
    assertStringIncludes(
      dk.verdicts[0].signatures[0].reason,
      "signs the raw header input, not its SHA-256",
    );
    assertEquals(dk.code, 1);
  } finally {
    await w.stop();
  }
});
