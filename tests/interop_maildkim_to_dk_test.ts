/**
 * Interop, Mail::DKIM → dk: messages generated at test time (fixed seed) are
 * signed by Mail::DKIM with fresh keys published through one real dnsmasq on
 * 127.0.0.1; some are then tampered with; `scripts/dk verify --json` must give
 * each the letter `domainkeys.md` gives (1.3–1.11), with the exit code of
 * `cli.md`. Mail::DKIM's own verdict is recorded for every case and asserted
 * where the case pins it, which documents where the peer and the spec part.
 *
 * Peer deviations (the spec wins; each is a case below):
 * - Mail::DKIM 1.20230212 reads no address from a folded From:/Sender:
 *   (answers "invalid"), dk unfolds (1.3): A.
 * - Mail::DKIM accepts `g=` wildcards; dk matches `g=` exactly (1.8): L.
 * - Mail::DKIM hashes headers in `h=` order; dk in message order, then in
 *   `h=` order when that fails (1.4), so a peer `h=` out of message order is
 *   A for dk too.
 * - Mail::DKIM passes a message when any DomainKeys signature verifies; dk
 *   evaluates only the topmost (1.1): B when that one is bad.
 * - Mail::DKIM fed an unterminated last line hashes it without a CRLF; dk
 *   treats it as if it had one (1.5).
 * - Mail::DKIM is more lenient where the spec decided to be strict, and the
 *   cases assert the spec's letter: keys under 1024 bits (E), key-record and
 *   signature tag-list syntax errors such as `K=` or a tag given twice (E,
 *   G), several From or Sender headers and Sender without From (G); and it
 *   compares `g=` with case where dk does not (A). The run prints every case
 *   where the two disagree on good versus not good.
 *
 * @module
 */

import { assert, assertEquals } from "./helpers/assert.ts";
import { startDnsmasq } from "./helpers/dnsmasq.ts";
import {
  BROKEN_DOMAIN,
  DOMAIN,
  type KeyWorld,
  makeKeyWorld,
  OTHER_DOMAIN,
  worldZone,
} from "./helpers/keys.ts";
import {
  type DkVerdict,
  mailDkimSign,
  type MailDkimVerdict,
  mailDkimVerify,
  mapLimit,
  parseDkJson,
  requirePeers,
  runDk,
  verifyExitFor,
} from "./helpers/mail_dkim.ts";
import {
  buildMessage,
  COMMON_VARIANTS,
  type Eol,
  fromBinary,
  makeMessage,
  type MessageSpec,
  Rng,
  toBinary,
  type Variant,
  withFinalEol,
} from "./helpers/messages.ts";

const SEED = 1870;
const CONCURRENCY = 3;

type KeyName = "k1024" | "k2048" | "k1024pkcs8" | "other" | "k512";

/** One case of the table. */
interface Case {
  name: string;
  variant: Variant;
  canon: "nofws" | "simple";
  eol: Eol;
  /** `h=` Mail::DKIM writes; absent: none (every header signed). */
  headers?: string;
  key: KeyName;
  selector: string;
  /** `d=`; default `DOMAIN`. */
  domain?: string;
  /** Local part of the sending address (default alice). */
  local?: string;
  /** Changes the generated message before signing. */
  prepare?: (spec: MessageSpec) => void;
  /** Sign once with this first, so the message carries two signatures. */
  presign?: { key: KeyName; selector: string };
  /** Give the peer an unterminated last line as it is (see runCase). */
  rawUnterminated?: boolean;
  /** Changes the signed message (a binary string) before dk sees it. */
  tamper?: (message: string, eol: Eol) => string;
  /** What was done to the message, for the case's name. */
  what?: string;
  /** The letter dk must give. */
  expect: string;
  /** A fragment dk's `reason` must contain (case-insensitive). */
  reason?: string;
  /** Mail::DKIM's result for the topmost DomainKeys signature, when pinned. */
  peer?: string;
  /** Mail::DKIM's overall result (any signature), when pinned. */
  peerOverall?: string;
}

// ---- tampering on binary strings (one code unit per byte) ----

/** [start, end) of the topmost DomainKey-Signature header, continuation lines included. */
function signatureSpan(s: string, eol: Eol): [number, number] {
  const m = /(^|\n)DomainKey-Signature:/i.exec(s);
  if (!m) throw new Error("no DomainKey-Signature to tamper with");
  const start = m.index + m[1].length;
  let end = s.indexOf(eol, start);
  while (s[end + eol.length] === " " || s[end + eol.length] === "\t") {
    end = s.indexOf(eol, end + eol.length);
  }
  return [start, end + eol.length];
}

/** Rewrites the topmost signature header's text with `fn`. */
function editSignature(fn: (header: string) => string) {
  return (s: string, eol: Eol): string => {
    const [start, end] = signatureSpan(s, eol);
    const edited = fn(s.slice(start, end));
    if (edited === s.slice(start, end)) {
      throw new Error("tamper changed nothing");
    }
    return s.slice(0, start) + edited + s.slice(end);
  };
}

/** Inserts a header line right below the topmost signature. */
function addBelowSignature(line: string) {
  return (s: string, eol: Eol): string => {
    const [, end] = signatureSpan(s, eol);
    return s.slice(0, end) + line + eol + s.slice(end);
  };
}

/** Replaces the first match of `from` in the header section. */
function editHeaders(from: RegExp | string, to: string) {
  return (s: string, eol: Eol): string => {
    const split = s.indexOf(eol + eol);
    const head = split < 0 ? s : s.slice(0, split);
    const edited = head.replace(from, to);
    if (edited === head) throw new Error(`tamper found no ${from}`);
    return edited + (split < 0 ? "" : s.slice(split));
  };
}

/** Applies `fn` to the body (after the first empty line). */
function editBody(fn: (body: string, eol: Eol) => string) {
  return (s: string, eol: Eol): string => {
    const split = s.indexOf(eol + eol);
    if (split < 0) throw new Error("no body to tamper with");
    const at = split + 2 * eol.length;
    const edited = fn(s.slice(at), eol);
    if (edited === s.slice(at)) throw new Error("tamper changed nothing");
    return s.slice(0, at) + edited;
  };
}

/** Changes one base64 character in the middle of `b=`. */
function flipSignatureByte(header: string): string {
  return header.replace(
    /(b=[A-Za-z0-9+/\s]{20})([A-Za-z0-9+/])/,
    (_, a, c) => a + (c === "A" ? "B" : "A"),
  );
}

// ---- the table ----

function cases(): Case[] {
  const out: Case[] = [];
  // Variety: every variant in both canonicalizations, line ends, h= and key
  // size alternating; untouched, so A (and the peer passes its own work).
  COMMON_VARIANTS.forEach((variant, v) => {
    for (const [c, canon] of (["nofws", "simple"] as const).entries()) {
      const i = v * 2 + c;
      const big = i % 3 === 1;
      out.push({
        name: "",
        variant,
        canon,
        eol: (v + c) % 2 === 0 ? "\r\n" : "\n",
        headers: (v >> 1) % 2 === c % 2 ? "from:to:subject" : undefined,
        key: big ? "k2048" : "k1024",
        selector: big ? (i % 2 ? "s2048t" : "s2048") : "s1024",
        expect: "A",
        peer: "pass",
      });
    }
  });
  const base = {
    variant: "plain" as Variant,
    canon: "nofws" as const,
    eol: "\n" as Eol,
    key: "k1024" as KeyName,
    selector: "s1024",
  };
  const more: Omit<Case, "name">[] = [
    {
      ...base,
      what: "Sender in d=, From elsewhere",
      variant: "sender",
      expect: "A",
      peer: "pass",
    },
    {
      ...base,
      what: "Sender in d=, h= with sender",
      variant: "sender",
      canon: "simple",
      eol: "\r\n",
      headers: "from:sender:subject",
      expect: "A",
      peer: "pass",
    },
    {
      ...base,
      what: "From in a subdomain of d=",
      variant: "subdomain",
      expect: "A",
      peer: "pass",
    },
    {
      ...base,
      what: "PKCS#8 signing key",
      key: "k1024pkcs8",
      selector: "pkcs8",
      expect: "A",
      peer: "pass",
    },
    // Peer flaw: folded From reads as no address in Mail::DKIM ("invalid");
    // dk unfolds it (domainkeys.md 1.3 item 3).
    {
      ...base,
      what: "folded From",
      variant: "folded-from",
      expect: "A",
      peer: "invalid",
    },
    // Address and d= compared without case (1.3 item 5), key name lowercased (1.10 step 5).
    {
      ...base,
      what: "address and d= in mixed case",
      prepare: (m) => m.headers[0].value = " <ALICE@Example.TEST>",
      domain: "Example.Test",
      expect: "A",
      peer: "pass",
    },
    // --- changed after signing ---
    {
      ...base,
      what: "body changed",
      tamper: editBody((b) => b.replace(/^(\S+)/, "$1x")),
      expect: "B",
      peer: "fail",
    },
    {
      ...base,
      what: "body line appended",
      canon: "simple",
      headers: "from:to:subject",
      tamper: editBody((b) => b + "appended\n"),
      expect: "B",
    },
    {
      ...base,
      what: "signed header changed",
      tamper: editHeaders(/^Subject:.*$/m, "Subject: changed"),
      expect: "B",
      peer: "fail",
    },
    {
      ...base,
      what: "signed header (in h=) changed",
      headers: "from:to:subject",
      tamper: editHeaders(/^Subject:.*$/m, "Subject: changed"),
      expect: "B",
    },
    // Date is not in h=, so changing it breaks nothing.
    {
      ...base,
      what: "header not in h= changed",
      headers: "from:to:subject",
      tamper: editHeaders(
        /^Date:.*$/m,
        "Date: Wed, 26 Nov 2025 00:00:00 +0000",
      ),
      expect: "A",
      peer: "pass",
    },
    // No h=: every header below the signature is hashed (1.4).
    {
      ...base,
      what: "header added below the signature",
      tamper: addBelowSignature("X-Added: below the signature"),
      expect: "B",
      peer: "fail",
    },
    {
      ...base,
      what: "header not in h= added below the signature",
      eol: "\r\n",
      headers: "from:to:subject",
      tamper: addBelowSignature("X-Added: not in h="),
      expect: "A",
      peer: "pass",
    },
    // Headers above the signature (trace headers added later) are not hashed.
    {
      ...base,
      what: "trace header added above the signature",
      tamper: (s, eol) =>
        `Received: from relay.example.org by mx.example.test; Tue, 25 Nov 2025 16:00:00 +0000${eol}` +
        s,
      expect: "A",
      peer: "pass",
    },
    {
      ...base,
      what: "LF turned into CRLF after signing",
      tamper: (s) => s.replaceAll("\n", "\r\n"),
      expect: "A",
      peer: "pass",
    },
    {
      ...base,
      what: "CRLF turned into LF after signing",
      canon: "simple",
      eol: "\r\n",
      tamper: (s) => s.replaceAll("\r\n", "\n"),
      expect: "A",
      peer: "pass",
    },
    {
      ...base,
      what: "empty lines appended after signing",
      canon: "simple",
      tamper: (s, eol) => s + eol + eol + eol,
      expect: "A",
      peer: "pass",
    },
    // nofws drops SP/HTAB in body and headers; simple keeps them (1.5).
    {
      ...base,
      what: "body whitespace changed",
      tamper: editBody((b) => b.replaceAll(" ", " \t ")),
      expect: "A",
      peer: "pass",
    },
    {
      ...base,
      what: "body whitespace changed",
      canon: "simple",
      tamper: editBody((b) => b.replaceAll(" ", " \t ")),
      expect: "B",
      peer: "fail",
    },
    {
      ...base,
      what: "Subject refolded",
      tamper: editHeaders(/^(Subject: \S+) /m, "$1\n\t "),
      expect: "A",
      peer: "pass",
    },
    {
      ...base,
      what: "Subject refolded",
      canon: "simple",
      tamper: editHeaders(/^(Subject: \S+) /m, "$1\n\t "),
      expect: "B",
      peer: "fail",
    },
    // Header names keep their case in both modes (1.5).
    {
      ...base,
      what: "header name case changed",
      tamper: editHeaders(/^Subject:/m, "SUBJECT:"),
      expect: "B",
      peer: "fail",
    },
    // Mail::DKIM hashes in h= order; dk tries message order, then h= order
    // (1.4): A (tests/interop_horder_test.ts has the rest).
    {
      ...base,
      what: "peer h= out of message order",
      headers: "subject:from",
      expect: "A",
      peer: "pass",
    },
    // Peer deviation: Mail::DKIM given raw bytes whose last line has no
    // line end hashes that line without a CRLF (so it passes its own
    // signature); domainkeys.md 1.5 treats it as if it had one: B for dk.
    {
      ...base,
      what: "peer signs an unterminated last line as it is",
      variant: "no-final-newline",
      rawUnterminated: true,
      expect: "B",
      peer: "pass",
    },
    // Decision 1.4: an h= without the sending address's header is G.
    { ...base, what: "h= without from", headers: "to:subject", expect: "G" },
    // --- the key record ---
    {
      ...base,
      what: "wrong key published",
      selector: "wrong",
      expect: "B",
      peer: "fail",
    },
    {
      ...base,
      what: "revoked key (p= empty)",
      selector: "revoked",
      expect: "J",
    },
    { ...base, what: "no key (NXDOMAIN)", selector: "nokey", expect: "D" },
    { ...base, what: "no key (NODATA)", selector: "nodata", expect: "D" },
    { ...base, what: "key record without p=", selector: "nop", expect: "D" },
    { ...base, what: "p= not base64", selector: "badb64", expect: "E" },
    {
      ...base,
      what: "p= not a SubjectPublicKeyInfo",
      selector: "notspki",
      expect: "E",
    },
    { ...base, what: "k=foo", selector: "kfoo", expect: "E" },
    {
      ...base,
      what: "uppercase tag name in key record",
      selector: "upper",
      expect: "E",
    },
    {
      ...base,
      what: "tag twice in key record",
      selector: "duptag",
      expect: "E",
    },
    {
      ...base,
      what: "512-bit key",
      key: "k512",
      selector: "short",
      expect: "E",
      reason: "too short",
    },
    { ...base, what: "g=bob, From alice", selector: "gbob", expect: "L" },
    {
      ...base,
      what: "g=bob, From bob",
      selector: "gbob",
      local: "bob",
      expect: "A",
      peer: "pass",
    },
    {
      ...base,
      what: "g=bob, From Bob",
      selector: "gbob",
      local: "Bob",
      expect: "A",
    },
    // Peer deviation: Mail::DKIM treats g=bo* as a wildcard; dk wants an
    // exact match (1.8 Decision).
    {
      ...base,
      what: "g=bo* wildcard, From bob",
      selector: "gwild",
      local: "bob",
      expect: "L",
      peer: "pass",
    },
    {
      ...base,
      what: "g= empty",
      selector: "gempty",
      expect: "A",
      peer: "pass",
    },
    {
      ...base,
      what: "SPF record beside the key record",
      selector: "spf",
      expect: "A",
      peer: "pass",
    },
    // Decision 1.10: try every key record.
    {
      ...base,
      what: "two key records, one right",
      selector: "several",
      expect: "A",
    },
    {
      ...base,
      what: "two key records: wrong key, revoked",
      selector: "severalbad",
      expect: "B",
    },
    {
      ...base,
      what: "2048-bit key in 127-octet strings, t=y",
      canon: "simple",
      key: "k2048",
      selector: "s2048t",
      eol: "\r\n",
      expect: "A",
      peer: "pass",
    },
    // DNS trouble is temporary (1.10 step 5): F, exit 75.
    {
      ...base,
      what: "DNS server fails",
      domain: BROKEN_DOMAIN,
      prepare: (m) => m.headers[0].value = ` <alice@${BROKEN_DOMAIN}>`,
      expect: "F",
    },
    // --- the sending address (1.3) ---
    { ...base, what: "From/d= mismatch", domain: OTHER_DOMAIN, expect: "G" },
    {
      ...base,
      what: "d= a subdomain of the From domain",
      domain: `mail.${DOMAIN}`,
      expect: "G",
    },
    {
      ...base,
      what: "no From",
      prepare: (m) => m.headers.splice(0, 1),
      expect: "G",
    },
    {
      ...base,
      what: "two From headers",
      prepare: (m) =>
        m.headers.splice(1, 0, { name: "From", value: ` <carol@${DOMAIN}>` }),
      expect: "G",
    },
    {
      ...base,
      what: "Sender but no From",
      prepare: (m) =>
        m.headers.splice(0, 1, { name: "Sender", value: ` <alice@${DOMAIN}>` }),
      expect: "G",
    },
    {
      ...base,
      what: "two Sender headers",
      variant: "sender",
      prepare: (m) =>
        m.headers.splice(2, 0, { name: "Sender", value: ` <bob@${DOMAIN}>` }),
      expect: "G",
    },
    // --- the signature header (1.1, 1.2) ---
    {
      ...base,
      what: "a=rsa-sha256",
      tamper: editSignature((h) => h.replace("a=rsa-sha1", "a=rsa-sha256")),
      expect: "G",
    },
    {
      ...base,
      what: "c=relaxed",
      tamper: editSignature((h) => h.replace("c=nofws", "c=relaxed")),
      expect: "G",
    },
    {
      ...base,
      what: "q=foo",
      tamper: editSignature((h) => h.replace("q=dns", "q=foo")),
      expect: "G",
    },
    {
      ...base,
      what: "s= twice in the signature",
      tamper: editSignature((h) => h.replace("q=dns;", "q=dns; s=s1024;")),
      expect: "G",
    },
    {
      ...base,
      what: "uppercase tag name in the signature",
      tamper: editSignature((h) => h.replace("q=dns;", "Q=dns;")),
      expect: "G",
    },
    {
      ...base,
      what: "no b=",
      tamper: editSignature((h) => h.replace(/ ?b=[^;\r\n]*;?/, "")),
      expect: "C",
    },
    {
      ...base,
      what: "no d=",
      tamper: editSignature((h) => h.replace(/ ?d=[^;\r\n]*;/, "")),
      expect: "C",
    },
    {
      ...base,
      what: "no s=",
      tamper: editSignature((h) => h.replace(/ ?s=[^;\r\n]*;/, "")),
      expect: "C",
    },
    {
      ...base,
      what: "empty b=",
      tamper: editSignature((h) => h.replace(/b=[^;\r\n]*/, "b=")),
      expect: "B",
    },
    {
      ...base,
      what: "empty d=",
      tamper: editSignature((h) => h.replace(/d=[^;\r\n]*;/, "d=;")),
      expect: "G",
    },
    {
      ...base,
      what: "one b= character changed",
      tamper: editSignature(flipSignatureByte),
      expect: "B",
      peer: "fail",
    },
    {
      ...base,
      what: "b= cut short",
      tamper: editSignature((h) =>
        h.replace(/(b=[A-Za-z0-9+/]{40})[A-Za-z0-9+/=]*/, "$1")
      ),
      expect: "B",
    },
    {
      ...base,
      what: "no signature",
      tamper: (s, eol) => s.slice(signatureSpan(s, eol)[1]),
      expect: "C",
      peer: undefined,
    },
    // Only the topmost signature counts (1.1). Peer deviation: Mail::DKIM
    // fails the topmost but its overall result passes on the lower one.
    {
      ...base,
      what: "two signatures, the topmost corrupt",
      presign: { key: "k1024", selector: "s1024" },
      tamper: editSignature(flipSignatureByte),
      expect: "B",
      peer: "fail",
      peerOverall: "pass",
    },
    {
      ...base,
      what: "two signatures, the lower with a wrong key",
      presign: { key: "k1024", selector: "wrong" },
      expect: "A",
      peer: "pass",
    },
  ];
  for (const c of more) out.push({ name: "", ...c });
  const named = new Map<string, number>();
  for (const c of out) {
    const parts = [
      `→ ${c.expect}`,
      c.variant,
      c.canon,
      c.eol === "\n" ? "LF" : "CRLF",
      c.headers ? `h=${c.headers}` : "",
      `s=${c.selector}`,
      c.domain ? `d=${c.domain}` : "",
      c.local ? `from ${c.local}@` : "",
      c.presign ? `under s=${c.presign.selector}` : "",
    ];
    if (c.what) parts.splice(1, 0, c.what);
    let name = parts.filter(Boolean).join(", ");
    const n = (named.get(name) ?? 0) + 1;
    named.set(name, n);
    if (n > 1) name += ` #${n}`;
    c.name = name;
  }
  return out;
}

// ---- running a case ----

interface Outcome {
  /** What dk verified. */
  message?: Uint8Array;
  /** What Mail::DKIM verified (differs only for an unterminated last line). */
  peerMessage?: Uint8Array;
  error?: string;
  dk?: DkVerdict;
  dkCode?: number;
  dkStderr?: string;
  dkMs?: number;
  peer?: MailDkimVerdict;
  peerError?: string;
}

async function runCase(
  world: KeyWorld,
  port: number,
  address: string,
  c: Case,
  rng: Rng,
): Promise<Outcome> {
  const out: Outcome = {};
  try {
    const spec = makeMessage(rng, c.variant, {
      eol: c.eol,
      domain: DOMAIN,
      local: c.local,
    });
    c.prepare?.(spec);
    let message = buildMessage(spec);
    // A message without a final line end is signed by the peer as SMTP
    // delivers it (with one), and dk verifies the bytes without it: the
    // same hash, since domainkeys.md 1.5 treats a final line with no line
    // end as if it had one. `rawUnterminated` hands the peer the raw bytes.
    const unterminated = spec.finalNewline === false && !c.rawUnterminated;
    if (unterminated) message = withFinalEol(message, c.eol);
    if (c.presign) {
      message = await mailDkimSign(message, {
        key: world[c.presign.key].file,
        selector: c.presign.selector,
        domain: DOMAIN,
        method: c.canon,
      });
    }
    message = await mailDkimSign(message, {
      key: world[c.key].file,
      selector: c.selector,
      domain: c.domain ?? DOMAIN,
      method: c.canon,
      headers: c.headers,
    });
    if (c.tamper) message = fromBinary(c.tamper(toBinary(message), c.eol));
    out.peerMessage = message;
    out.message = unterminated
      ? message.subarray(0, message.length - c.eol.length)
      : message;
  } catch (e) {
    out.error = (e as Error).message;
    return out;
  }
  const [dk, peer] = await Promise.all([
    runDk(["verify", "--json", "--dns", address], {
      stdin: out.message,
      env: { DK_DNS_TIMEOUT: "2" },
    }),
    // The peer's verdict documents agreement; not asked when DNS is down on
    // purpose (it would wait for its own timeout).
    c.expect === "F"
      ? undefined
      : mailDkimVerify(out.peerMessage, port).catch((e: Error) => {
        out.peerError = e.message;
        return undefined;
      }),
  ]);
  out.peer = peer;
  out.dkCode = dk.code;
  out.dkStderr = dk.stderrText;
  out.dkMs = dk.ms;
  try {
    const verdicts = parseDkJson(dk.stdoutText);
    if (verdicts.length !== 1) {
      throw new Error(`${verdicts.length} JSON lines for one message`);
    }
    out.dk = verdicts[0];
  } catch (e) {
    out.error = `${(e as Error).message}; exit ${dk.code}; stderr: ${
      dk.stderrText.trim().slice(0, 300)
    }`;
  }
  return out;
}

Deno.test("interop: dk verify gives the spec's letter to what Mail::DKIM signs", async (t) => {
  await requirePeers();
  const world = await makeKeyWorld();
  const dns = await startDnsmasq(worldZone(world));
  const started = performance.now();
  const table = cases();
  const dir = await Deno.makeTempDir({ prefix: "dk-interop-" });
  try {
    const outcomes = await mapLimit(
      table,
      CONCURRENCY,
      (c, i) => runCase(world, dns.port, dns.address, c, new Rng(SEED + i)),
    );
    let passed = 0;
    const deviations: string[] = [];
    for (const [i, c] of table.entries()) {
      const o = outcomes[i];
      const ok = await t.step(c.name, () => {
        assert(!o.error, o.error);
        const v = o.dk!;
        assertEquals(
          v.code,
          c.expect,
          `dk said ${v.code} (${v.status}: ${v.reason}), the spec says ${c.expect}`,
        );
        assertEquals(
          o.dkCode,
          verifyExitFor(c.expect),
          `exit code for ${c.expect}`,
        );
        assert(
          !/\bat (file|ext):|Uncaught|stack/i.test(o.dkStderr!),
          `stack trace: ${o.dkStderr}`,
        );
        assert(
          typeof v.status === "string" && v.status !== "",
          "no status words",
        );
        assert(typeof v.reason === "string", "no reason");
        if (c.reason) {
          assert(
            v.reason.toLowerCase().includes(c.reason),
            `reason "${v.reason}" lacks "${c.reason}"`,
          );
        }
        if (c.expect === "A") {
          assertEquals(
            v.domain?.toLowerCase(),
            (c.domain ?? DOMAIN).toLowerCase(),
          );
          assertEquals(v.selector, c.selector);
        }
        if (c.peer !== undefined) {
          assert(o.peer, `Mail::DKIM did not answer: ${o.peerError}`);
          assertEquals(
            o.peer.domainkeys?.result ?? o.peer.result,
            c.peer,
            `Mail::DKIM said ${o.peer.domainkeys?.result ?? o.peer.result} (${
              o.peer.domainkeys?.details ?? o.peer.details
            }); this case expects the peer to say ${c.peer}`,
          );
        }
        if (c.peerOverall !== undefined) {
          assertEquals(
            o.peer?.result,
            c.peerOverall,
            "Mail::DKIM's overall result",
          );
        }
      });
      if (ok) passed++;
      const peerSays = o.peer?.domainkeys?.result ?? o.peer?.result;
      if (o.dk && peerSays && (o.dk.code === "A") !== (peerSays === "pass")) {
        deviations.push(`  ${o.dk.code} vs Mail::DKIM ${peerSays}: ${c.name}`);
      }
      if (o.message) {
        await Deno.writeFile(`${dir}/${String(i).padStart(3, "0")}`, o.message);
      }
    }
    console.log(`interop: Mail::DKIM→dk ${passed}/${table.length} passed`);
    if (deviations.length) {
      console.log(
        `interop: dk and Mail::DKIM disagree (good vs not) on:\n${
          deviations.join("\n")
        }`,
      );
    }

    // The same messages as one directory operand, in one process: the same
    // letters, `file` = the directory joined with the name (cli.md).
    await t.step(
      "one `dk verify DIR` gives every message the same letter as alone",
      async () => {
        const r = await runDk(["verify", "--json", "--dns", dns.address, dir], {
          env: { DK_DNS_TIMEOUT: "2" },
        });
        const verdicts = parseDkJson(r.stdoutText);
        const byFile = new Map(verdicts.map((v) => [v.file, v]));
        for (const [i, c] of table.entries()) {
          if (!outcomes[i].message) continue;
          const file = `${dir}/${String(i).padStart(3, "0")}`;
          const v = byFile.get(file);
          assert(
            v,
            `no line for ${file}; exit ${r.code}; lines for: ${
              [...byFile.keys()].slice(0, 3).join(", ")
            }; stderr: ${r.stderrText.trim().slice(0, 300)}`,
          );
          assertEquals(v.code, c.expect, `${file} (${c.name}): ${v.reason}`);
        }
        assertEquals(verdicts.length, outcomes.filter((o) => o.message).length);
        assertEquals(r.code, 1, "some messages are permanently bad: exit 1");
      },
    );
  } finally {
    await dns.stop();
    await world.cleanup();
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
  console.log(
    `interop: Mail::DKIM→dk took ${
      ((performance.now() - started) / 1000).toFixed(1)
    } s`,
  );
});
