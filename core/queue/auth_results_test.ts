import { signedFixture } from "../dkim/_testing.ts";
import {
  assert,
  assertEquals,
  assertStringIncludes,
} from "../../tests/helpers/assert.ts";
import {
  AR_LINE_MAX,
  authResultsField,
  dkimStatusField,
  type DkResultPart,
  dkResultPart,
  resultFields,
} from "./auth_results.ts";
import type { VerifyResult } from "../dk/verify.ts";
import { authservIdOf } from "./result_fields.ts";
import {
  ed25519Pem,
  RFC8463_ED25519_SEED,
  RFC8463_MESSAGE,
  RFC8463_RECORDS,
  RFC8463_RSA_PEM,
} from "../dkim/_rfc8463.ts";
import { parseSigningKeyPem } from "../dkim/sign.ts";
import {
  DkimVerifier,
  type DkimVerifyOptions,
  type DkimVerifyResult,
} from "../dkim/verify.ts";
import { wasmBackend } from "../crypto/wasm.ts";
import { StreamSigner } from "../crypto/rsa_sign.ts";
import { memoryResolver, type MemoryZone } from "../dns/memory_resolver.ts";

const enc = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
const NOW = 1764072000;
const ID = "mx.example.org";
const RSA_RECORD = RFC8463_RECORDS["test._domainkey.football.example.com"];
const FROM = "From: Joe <joe@football.example.com>\n";
const MESSAGE = FROM + "To: a@b.example\nSubject: dinner\n\nHi.\nWe lost.\n";

/** The real verdict of `dk`'s verifier on `message` over `zone`. */
async function verified(
  message: string,
  zone: MemoryZone,
  options: Partial<DkimVerifyOptions> = {},
): Promise<DkimVerifyResult> {
  const verifier = new DkimVerifier({
    resolver: memoryResolver(zone),
    backend: wasmBackend,
    now: () => NOW,
    ...options,
  });
  verifier.update(enc(message));
  return await verifier.finish();
}

/** `message` signed by `dk`'s signer (selector `sel`; key RFC 8463's RSA unless given). */
function signed(
  message: string,
  pem = RFC8463_RSA_PEM,
  extra: Record<string, unknown> = {},
): Promise<string> {
  return signedFixture(pem, message, extra);
}

/**
 * A signature made by hand (the signer writes neither `rsa-sha1` nor `l=`):
 * `c=simple/simple`, `h=from`, the RFC 8463 RSA key at `test._domainkey.
 * football.example.com`, the body hash over `signedBody`, then `body`.
 */
async function handSigned(
  algorithm: "rsa-sha1" | "rsa-sha256",
  signedBody: string,
  body: string,
  length?: number,
): Promise<string> {
  const key = parseSigningKeyPem(RFC8463_RSA_PEM);
  assert(key.ok && key.value.type === "rsa");
  const hash = algorithm === "rsa-sha1" ? "sha1" : "sha256";
  const digest = await crypto.subtle.digest(
    hash === "sha1" ? "SHA-1" : "SHA-256",
    enc(signedBody.replaceAll("\n", "\r\n")),
  );
  const bodyHash = btoa(String.fromCharCode(...new Uint8Array(digest)));
  const head = `DKIM-Signature: v=1; a=${algorithm}; d=football.example.com;` +
    ` s=test;${length === undefined ? "" : ` l=${length};`} h=from;` +
    ` bh=${bodyHash}; b=`;
  const from = "From: joe@football.example.com\n";
  const signer = new StreamSigner(hash);
  signer.update(enc(from.replace("\n", "\r\n") + head));
  const b = btoa(
    String.fromCharCode(...await signer.sign(key.value.rsa.pkcs8)),
  );
  return `${head}${b}\n${from}\n${body}`;
}

/** One result of a field as read back: method, word, reason, properties, comments. */
interface ReadResult {
  method: string;
  result: string;
  reason?: string;
  props: Record<string, string>;
  comments: string[];
}

/**
 * A small reading of an `Authentication-Results` field, apart from the
 * writer: unfold, take the authserv-id with authservIdOf(), split the rest
 * at `;` outside quoted strings and comments, then each result into words
 * (`name=value`, quoted values undone) and comments.
 */
function readBack(field: string): { id: string | null; results: ReadResult[] } {
  const name = "Authentication-Results:";
  assert(field.startsWith(name), field);
  const value = field.slice(name.length).replace(/\r?\n(?=[ \t])/g, "")
    .replace(/\r?\n$/, "");
  const parts: { words: string[]; comments: string[] }[] = [];
  let current = { words: [] as string[], comments: [] as string[] };
  let word = "";
  let comment = "";
  let depth = 0;
  let quoted = false;
  const endWord = () => {
    if (word) current.words.push(word);
    word = "";
  };
  for (let i = 0; i < value.length; i++) {
    const ch = value[i];
    if (depth > 0) {
      if (ch === "(") depth++;
      if (ch === ")" && --depth === 0) {
        current.comments.push(comment);
        comment = "";
      } else comment += ch;
    } else if (quoted) {
      if (ch === "\\") word += value[++i];
      else if (ch === '"') quoted = false;
      else word += ch;
    } else if (ch === '"') {
      quoted = true;
    } else if (ch === "(") {
      endWord();
      depth = 1;
    } else if (ch === ";") {
      endWord();
      parts.push(current);
      current = { words: [], comments: [] };
    } else if (ch === " " || ch === "\t") {
      endWord();
    } else word += ch;
  }
  endWord();
  parts.push(current);
  assertEquals(depth, 0, "comments closed");
  assertEquals(quoted, false, "quoted strings closed");
  const results = parts.slice(1).map(({ words, comments }) => {
    const [method, result] = words[0].split("=");
    const read: ReadResult = { method, result, props: {}, comments };
    for (const w of words.slice(1)) {
      const at = w.indexOf("=");
      if (w.slice(0, at) === "reason") read.reason = w.slice(at + 1);
      else read.props[w.slice(0, at)] = w.slice(at + 1);
    }
    return read;
  });
  return { id: authservIdOf(value), results };
}

/** Asserts the field's layout: line ends, TAB continuations, 78 octets. */
function assertLayout(field: string, lineEnd: "\n" | "\r\n"): string[] {
  assert(field.endsWith(lineEnd));
  const lines = field.slice(0, -lineEnd.length).split(lineEnd);
  for (const line of lines) {
    assert(!line.includes("\n") && !line.includes("\r"), JSON.stringify(line));
    if (line.length > AR_LINE_MAX) {
      // Only a single piece too long for any line may pass the limit.
      assert(!/^\t\S+ \S/.test(line), `could have folded: ${line}`);
    }
  }
  for (const line of lines.slice(1)) assert(line.startsWith("\t"), line);
  return lines;
}

Deno.test("authResultsField() writes RFC 8463 A.3's two passes, header.b quoted where b= has /", async () => {
  const dkim = await verified(RFC8463_MESSAGE, {
    "brisbane._domainkey.football.example.com": [[
      RFC8463_RECORDS["brisbane._domainkey.football.example.com"],
    ]],
    "test._domainkey.football.example.com": [[RSA_RECORD]],
  });
  const field = authResultsField(ID, dkim, null, "\n");
  assertEquals(
    field,
    "Authentication-Results: mx.example.org;\n" +
      "\tdkim=pass header.d=football.example.com header.i=@football.example.com\n" +
      '\theader.s=brisbane header.a=ed25519-sha256 header.b="9/dsDChY";\n' +
      "\tdkim=pass header.d=football.example.com header.i=@football.example.com\n" +
      "\theader.s=test header.a=rsa-sha256 header.b=icKcLSEZ\n",
  );
  assertLayout(field, "\n");
  const back = readBack(field);
  assertEquals(back.id, ID);
  assertEquals(back.results.map((r) => [r.method, r.result]), [
    ["dkim", "pass"],
    ["dkim", "pass"],
  ]);
  assertEquals(back.results[0].props, {
    "header.d": "football.example.com",
    "header.i": "@football.example.com",
    "header.s": "brisbane",
    "header.a": "ed25519-sha256",
    "header.b": "9/dsDChY",
  });
});

Deno.test("authResultsField() with no signature is dkim=none", async () => {
  const dkim = await verified(MESSAGE, {});
  assertEquals(dkim.letter, "S");
  assertEquals(
    authResultsField(ID, dkim, null, "\n"),
    "Authentication-Results: mx.example.org;\n\tdkim=none\n",
  );
});

Deno.test("authResultsField() with one signature lists it; a failure carries its reason", async () => {
  const message = await signed(MESSAGE);
  const zone = { "sel._domainkey.football.example.com": [[RSA_RECORD]] };
  const good = readBack(
    authResultsField(ID, await verified(message, zone), null, "\n"),
  );
  assertEquals(good.results.length, 1);
  assertEquals(good.results[0].result, "pass");
  assertEquals(good.results[0].reason, undefined);
  assertEquals(good.results[0].props["header.s"], "sel");
  const changed = await verified(message + "more\n", zone);
  assertEquals(changed.signatures[0].letter, "U");
  const field = authResultsField(ID, changed, null, "\n");
  assertLayout(field, "\n");
  const bad = readBack(field).results[0];
  assertEquals(bad.result, "fail");
  assertEquals(bad.reason, "body hash differs (bh=)");
  assertEquals(bad.props["header.d"], "football.example.com");
  assertStringIncludes(field, '\tdkim=fail reason="body hash differs (bh=)"');
});

Deno.test("authResultsField() lists skipped signatures not, evaluated ones top to bottom", async () => {
  const message = await signed(MESSAGE);
  const field = message.slice(0, message.indexOf("From:"));
  const dkim = await verified(field.repeat(12) + MESSAGE, {
    "sel._domainkey.football.example.com": [[RSA_RECORD]],
  });
  assertEquals(dkim.skipped, 2);
  const back = readBack(authResultsField(ID, dkim, null, "\n"));
  assertEquals(back.results.length, 10);
});

Deno.test("authResultsField(): two signatures with one b= prefix both get the prefix that tells them apart", async () => {
  // The signer is deterministic: the same message signed twice gives the
  // same field, so both b= are equal and each is shown whole.
  const once = await signed(MESSAGE);
  const field = once.slice(0, once.indexOf("From:"));
  const dkim = await verified(field + once, {
    "sel._domainkey.football.example.com": [[RSA_RECORD]],
  });
  assertEquals(dkim.signatures.map((s) => s.letter), ["A", "A"]);
  const whole = dkim.signatures[0].signature!;
  const twins = readBack(authResultsField(ID, dkim, null, "\n")).results;
  assertEquals(twins.map((r) => r.props["header.b"]), [whole, whole]);
  // Two b= sharing their first 8 characters, differing at the 11th.
  const [first] = dkim.signatures;
  const second = { ...first, signature: whole.slice(0, 10) + "!" };
  const near = { ...dkim, signatures: [first, second, { ...first }] };
  near.signatures[2].signature = "Z" + whole.slice(1);
  const results = readBack(authResultsField(ID, near, null, "\n")).results;
  assertEquals(results.map((r) => r.props["header.b"]), [
    whole.slice(0, 11),
    whole.slice(0, 10) + "!",
    "Z" + whole.slice(1, 8),
  ]);
});

Deno.test("authResultsField(): a pass under a testing key carries (testing)", async () => {
  const message = await signed(MESSAGE);
  const dkim = await verified(message, {
    "sel._domainkey.football.example.com": [[
      RSA_RECORD.replace("k=rsa;", "k=rsa; t=y;"),
    ]],
  });
  assertEquals(dkim.signatures[0].testing, true);
  const field = authResultsField(ID, dkim, null, "\n");
  assertStringIncludes(field, "\tdkim=pass (testing) header.d=");
  assertEquals(readBack(field).results[0].comments, ["testing"]);
});

Deno.test("authResultsField(): E is policy with its reason, a pass with (N unsigned body octets) when honoured", async () => {
  const message = await handSigned("rsa-sha256", "hi\n", "hi\nmore\n", 4);
  const zone = { "test._domainkey.football.example.com": [[RSA_RECORD]] };
  const plain = await verified(message, zone);
  assertEquals(plain.signatures[0].letter, "E");
  assertEquals(plain.letter, "E");
  const policy = readBack(authResultsField(ID, plain, null, "\n")).results[0];
  assertEquals(policy.result, "policy");
  assertEquals(policy.reason, "6 body octets after l= are not signed");
  assertEquals(policy.comments, []);
  const honoured = await verified(message, zone, { honorLength: true });
  assertEquals(honoured.letter, "A");
  const field = authResultsField(ID, honoured, null, "\n", {
    honorLength: true,
  });
  assertStringIncludes(field, "\tdkim=pass (6 unsigned body octets) header.d=");
  const pass = readBack(field).results[0];
  assertEquals(pass.reason, undefined);
  assertEquals(pass.comments, ["6 unsigned body octets"]);
});

Deno.test("authResultsField(): rsa-sha1 is policy, or a pass marked (rsa-sha1) when accepted", async () => {
  const message = await handSigned("rsa-sha1", "hi\n", "hi\n");
  const zone = { "test._domainkey.football.example.com": [[RSA_RECORD]] };
  const refused = readBack(
    authResultsField(ID, await verified(message, zone), null, "\n"),
  ).results[0];
  assertEquals(refused.result, "policy");
  assertEquals(refused.reason, "rsa-sha1 is no longer accepted (RFC 8301)");
  const accepted = await verified(message, zone, { acceptSha1: true });
  assertEquals(accepted.signatures[0].letter, "A");
  const field = authResultsField(ID, accepted, null, "\n");
  assertStringIncludes(field, "\tdkim=pass (rsa-sha1) header.d=");
  const pass = readBack(field).results[0];
  assertEquals(pass.props["header.a"], "rsa-sha1");
  assertEquals(pass.comments, ["rsa-sha1"]);
});

Deno.test("authResultsField() folds long values within 78 octets, a piece too long alone on its line", async () => {
  const selector = "s".repeat(63);
  // header.d fits a line (76 octets), header.i does not (82).
  const domain =
    "long-subdomain-name-for-folding-tests-results.football.example.com";
  const message = await signed(
    MESSAGE.replace("football.example.com", domain),
    ed25519Pem(RFC8463_ED25519_SEED),
    { selector, identity: `joe.q@${domain}` },
  );
  const dkim = await verified(message, {});
  assertEquals(dkim.signatures[0].letter, "Q");
  const field = authResultsField(ID, dkim, null, "\n");
  const lines = assertLayout(field, "\n");
  assertEquals(lines.filter((l) => l.length > AR_LINE_MAX), [
    `\theader.i=joe.q@${domain}`,
  ]);
  assertEquals(lines[1], "\tdkim=permerror");
  const result = readBack(field).results[0];
  assertEquals(result.reason!.length, 60);
  assertEquals(result.reason, `no key: ${selector}`.slice(0, 60));
  assertEquals(result.props["header.s"], selector);
  assertEquals(result.props["header.i"], `joe.q@${domain}`);
  assertEquals(result.props["header.d"], domain);
});

Deno.test("authResultsField(): reason loses quotes and backslashes; header.i is quoted or left out by its local part", async () => {
  const message = await signed(MESSAGE);
  const dkim = await verified(message, {});
  const [sig] = dkim.signatures;
  const signatures = [
    { ...sig, reason: 'key "x\\y" at\tcaf\xe9', identity: "joe q@a.example" },
    { ...sig, identity: "j\xc3\xb6e@football.example.com" },
    { ...sig, identity: null },
  ];
  const field = authResultsField(ID, { ...dkim, signatures }, null, "\n");
  assertStringIncludes(field, 'reason="key xy at caf?"');
  assertStringIncludes(field, 'header.i="joe q@a.example"');
  const results = readBack(field).results;
  assertEquals(results.map((r) => r.props["header.i"]), [
    "joe q@a.example",
    undefined,
    "@football.example.com",
  ]);
  assertEquals(results[1].props["header.d"], "football.example.com");
});

Deno.test("authResultsField() adds domainkeys= last, with header.from or header.sender", async () => {
  const dkim = await verified(await signed(MESSAGE), {
    "sel._domainkey.football.example.com": [[RSA_RECORD]],
  });
  const parts: [DkResultPart, string, Record<string, string>][] = [
    [
      {
        letter: "A",
        domain: "football.example.com",
        header: "from",
        address: "joe@football.example.com",
      },
      "pass",
      {
        "header.d": "football.example.com",
        "header.from": "joe@football.example.com",
      },
    ],
    [
      {
        letter: "B",
        domain: "Lists.Example.NET",
        header: "sender",
        address: "list-bounces@lists.example.net",
        reason: "signature does not verify",
      },
      "fail",
      {
        "header.d": "lists.example.net",
        "header.sender": "list-bounces@lists.example.net",
      },
    ],
    [
      { letter: "C", domain: null, header: "from", address: "a b@b.example" },
      "none",
      { "header.from": "a b@b.example" },
    ],
    [
      {
        letter: "F",
        domain: "b\xc3\xbccher.example",
        header: "from",
        address: "joe@b\xc3\xbccher.example",
      },
      "temperror",
      {
        "header.d": "xn--bcher-kva.example",
        "header.from": "joe@xn--bcher-kva.example",
      },
    ],
    [
      { letter: "J", domain: "x.example", header: "from", address: null },
      "permerror",
      { "header.d": "x.example" },
    ],
  ];
  for (const [dk, word, props] of parts) {
    const field = authResultsField(ID, dkim, dk, "\n");
    assertLayout(field, "\n");
    const results = readBack(field).results;
    assertEquals(results.map((r) => r.method), ["dkim", "domainkeys"]);
    assertEquals(results[1].result, word, dk.letter);
    assertEquals(results[1].props, props, dk.letter);
    assertEquals(
      results[1].reason,
      dk.reason ? "signature does not verify" : undefined,
    );
  }
});

Deno.test("authResultsField() and dkimStatusField() end every line in CRLF when asked", async () => {
  const dkim = await verified(RFC8463_MESSAGE.replace("Hi.", "Hey."), {
    "test._domainkey.football.example.com": [[RSA_RECORD]],
  });
  const dk: DkResultPart = {
    letter: "A",
    domain: "football.example.com",
    header: "from",
    address: "joe@football.example.com",
  };
  const field = authResultsField(ID, dkim, dk, "\r\n");
  assertLayout(field, "\r\n");
  assertEquals(
    field,
    [
      "Authentication-Results: mx.example.org;",
      "\tdkim=permerror",
      '\treason="no key: brisbane._domainkey.football.example.com has no TXT"',
      "\theader.d=football.example.com header.i=@football.example.com",
      '\theader.s=brisbane header.a=ed25519-sha256 header.b="9/dsDChY";',
      '\tdkim=fail reason="body hash differs (bh=)" header.d=football.example.com',
      "\theader.i=@football.example.com header.s=test header.a=rsa-sha256",
      "\theader.b=icKcLSEZ;",
      "\tdomainkeys=pass header.d=football.example.com",
      "\theader.from=joe@football.example.com",
      "",
    ].join("\r\n"),
  );
  assertEquals(field.split("\n").length, field.split("\r\n").length);
  assertEquals(
    readBack(field).results.map((r) => `${r.method}=${r.result}`),
    ["dkim=permerror", "dkim=fail", "domainkeys=pass"],
  );
  assertEquals(
    dkimStatusField(dkim, "\r\n"),
    "DKIM-Status: no key published\r\n",
  );
});

Deno.test("dkimStatusField() is good for message letter A, else the letter's text", async () => {
  const zone = { "sel._domainkey.football.example.com": [[RSA_RECORD]] };
  const message = await signed(MESSAGE);
  assertEquals(
    dkimStatusField(await verified(message, zone), "\n"),
    "DKIM-Status: good\n",
  );
  assertEquals(
    dkimStatusField(await verified(MESSAGE, zone), "\n"),
    "DKIM-Status: no signature\n",
  );
  assertEquals(
    dkimStatusField(
      await verified(message, { [Object.keys(zone)[0]]: "servfail" }),
      "\n",
    ),
    "DKIM-Status: temporary failure, try later\n",
  );
});

Deno.test("dkResultPart() takes DomainKeys' verdict: letter, d=, the address and the field it came from", () => {
  const fromSender: VerifyResult = {
    letter: "B",
    reason: "signature does not verify",
    domain: "lists.example.net",
    selector: "s",
    sender: { local: "l", domain: "lists.example.net", header: "sender" },
    testing: false,
    explain: [],
  };
  assertEquals(dkResultPart(fromSender), {
    letter: "B",
    domain: "lists.example.net",
    header: "sender",
    address: "l@lists.example.net",
    reason: "signature does not verify",
  });
  const bare: VerifyResult = {
    letter: "C",
    reason: "no signature",
    testing: false,
    explain: [],
  };
  assertEquals(dkResultPart(bare), {
    letter: "C",
    domain: null,
    header: "from",
    address: null,
    reason: "no signature",
  });
});

Deno.test("resultFields() is the Authentication-Results field, domainkeys= last when DK ran, then DKIM-Status", async () => {
  const zone = { "sel._domainkey.football.example.com": [[RSA_RECORD]] };
  const dkim = await verified(await signed(MESSAGE), zone);
  const dk: VerifyResult = {
    letter: "C",
    reason: "no signature",
    sender: { local: "joe", domain: "football.example.com", header: "from" },
    testing: false,
    explain: [],
  };
  for (const eol of ["\n", "\r\n"] as const) {
    const both = resultFields(ID, dkim, dk, eol);
    assertEquals(
      both,
      authResultsField(ID, dkim, dkResultPart(dk), eol) +
        dkimStatusField(dkim, eol),
    );
    assertStringIncludes(both, `\tdomainkeys=none reason="no signature"`);
    assert(both.endsWith(`${eol}DKIM-Status: good${eol}`));
    assertEquals(
      resultFields(ID, dkim, null, eol),
      authResultsField(ID, dkim, null, eol) + dkimStatusField(dkim, eol),
    );
  }
});
