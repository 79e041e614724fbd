/**
 * Interop, dk → Mail::DKIM: messages generated at test time (fixed seed) are
 * signed by `scripts/dk sign` with fresh keys, published through one real
 * dnsmasq on 127.0.0.1, and verified by Mail::DKIM, which must say "pass".
 * Each signed message must also be the input byte for byte under one new
 * `DomainKey-Signature` header written as `domainkeys.md` 1.6–1.7 say, and
 * `dk verify` must give it A (`issues show 3`, "Tests that must exist").
 *
 * Peer flaw kept out of this direction: Mail::DKIM 1.20230212 reads no
 * address from a folded From:/Sender: ("bad format"), so no case here folds
 * From (the other direction covers it: dk must unfold, `domainkeys.md` 1.3).
 *
 * @module
 */

import { assert, assertEquals } from "./helpers/assert.ts";
import { startDnsmasq } from "./helpers/dnsmasq.ts";
import {
  DOMAIN,
  type KeyWorld,
  makeKeyWorld,
  type RsaKey,
  worldZone,
} from "./helpers/keys.ts";
import {
  type MailDkimVerdict,
  mailDkimVerify,
  mapLimit,
  parseDkJson,
  requirePeers,
  runDk,
} from "./helpers/mail_dkim.ts";
import {
  buildMessage,
  COMMON_VARIANTS,
  type Eol,
  headerOrder,
  makeMessage,
  type MessageSpec,
  Rng,
  toBinary,
  type Variant,
  withFinalEol,
} from "./helpers/messages.ts";

const SEED = 4870;
const CONCURRENCY = 3;

/** One case: what to generate and how dk signs it. */
interface Case {
  name: string;
  variant: Variant;
  canon: "nofws" | "simple";
  eol: Eol;
  /** `--headers` value; absent: every header, no `h=`. */
  headers?: string;
  key: "k1024" | "k2048" | "k1024pkcs8";
  /** `--selector`; absent: dk's default, the key file's basename. */
  selector?: string;
  /** `--domain`; absent: dk's default, the sending domain. */
  domain?: string;
}

/**
 * The table: every variant in both canonicalizations; line ends, `--headers`
 * and key size alternate so each appears with each canonicalization.
 */
function cases(): Case[] {
  const out: Case[] = [];
  COMMON_VARIANTS.forEach((variant, v) => {
    for (const [c, canon] of (["nofws", "simple"] as const).entries()) {
      const i = v * 2 + c;
      const eol: Eol = (v + c) % 2 === 0 ? "\n" : "\r\n";
      const headers = (v >> 1) % 2 === c % 2 ? undefined : "from:to:subject";
      const key = i % 3 === 2 ? "k2048" : "k1024";
      out.push({
        name: "",
        variant,
        canon,
        eol,
        headers,
        key,
        domain: i % 4 === 0 ? DOMAIN : undefined,
      });
    }
  });
  out.push(
    // Sender: the default d= is the Sender's domain (domainkeys.md 1.3).
    { name: "", variant: "sender", canon: "nofws", eol: "\n", key: "k1024" },
    {
      name: "",
      variant: "sender",
      canon: "simple",
      eol: "\r\n",
      headers: "sender:from:subject",
      key: "k2048",
    },
    // From in a subdomain of d= (domainkeys.md 1.3 item 5).
    {
      name: "",
      variant: "subdomain",
      canon: "nofws",
      eol: "\r\n",
      key: "k1024",
      domain: DOMAIN,
    },
    {
      name: "",
      variant: "subdomain",
      canon: "simple",
      eol: "\n",
      key: "k1024",
      domain: DOMAIN,
    },
    // A PKCS#8 private key file with an explicit selector.
    {
      name: "",
      variant: "plain",
      canon: "nofws",
      eol: "\n",
      key: "k1024pkcs8",
      selector: "pkcs8",
    },
    // The 2048-bit key published in strings of 127 octets, with t=y.
    {
      name: "",
      variant: "8bit",
      canon: "nofws",
      eol: "\r\n",
      key: "k2048",
      selector: "s2048t",
    },
  );
  for (const c of out) {
    c.name = [
      c.variant,
      c.canon,
      c.eol === "\n" ? "LF" : "CRLF",
      c.headers ? `h=${c.headers}` : "no h=",
      c.key,
      c.selector ? `s=${c.selector}` : "",
      c.domain ? `--domain ${c.domain}` : "",
    ].filter(Boolean).join(", ");
  }
  return out;
}

/** The unfolded value of the first header line of `text` (binary string). */
function firstHeader(text: string, eol: Eol): { raw: string; value: string } {
  let end = text.indexOf(eol);
  while (
    end >= 0 &&
    (text[end + eol.length] === " " || text[end + eol.length] === "\t")
  ) {
    end = text.indexOf(eol, end + eol.length);
  }
  const raw = text.slice(0, end + eol.length);
  const value = raw.slice(raw.indexOf(":") + 1).replace(/\r?\n[ \t]/g, " ");
  return { raw, value };
}

function tags(value: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of value.split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    out.set(
      part.slice(0, eq).trim(),
      part.slice(eq + 1).replace(/[ \t\r\n]/g, ""),
    );
  }
  return out;
}

interface Outcome {
  signCode: number;
  signStderr: string;
  signed?: Uint8Array;
  input: Uint8Array;
  spec: MessageSpec;
  peer?: MailDkimVerdict;
  peerError?: string;
}

async function signAndCheck(
  world: KeyWorld,
  port: number,
  c: Case,
  rng: Rng,
): Promise<Outcome> {
  const spec = makeMessage(rng, c.variant, { eol: c.eol, domain: DOMAIN });
  const input = buildMessage(spec);
  const key: RsaKey = world[c.key];
  const args = ["sign", "--key", key.file, "--canon", c.canon];
  if (c.selector) args.push("--selector", c.selector);
  if (c.domain) args.push("--domain", c.domain);
  if (c.headers) args.push("--headers", c.headers);
  const r = await runDk(args, { stdin: input });
  const outcome: Outcome = {
    signCode: r.code,
    signStderr: r.stderrText,
    input,
    spec,
  };
  if (r.code !== 0) return outcome;
  outcome.signed = r.stdout;
  try {
    // A message without a final line end gets one on its way through SMTP,
    // which is how the peer would see it. Peer deviation: Mail::DKIM fed the
    // raw bytes hashes the unterminated last line without a CRLF, where
    // domainkeys.md 1.5 treats it as if it had one (dk does), so it would
    // answer "fail" (the other direction pins that).
    const delivered = spec.finalNewline === false
      ? withFinalEol(r.stdout, c.eol)
      : r.stdout;
    outcome.peer = await mailDkimVerify(delivered, port);
  } catch (e) {
    outcome.peerError = (e as Error).message;
  }
  return outcome;
}

Deno.test("interop: Mail::DKIM verifies what `dk sign` signs", async (t) => {
  await requirePeers();
  const world = await makeKeyWorld();
  const dns = await startDnsmasq(worldZone(world));
  const table = cases();
  const started = performance.now();
  let passed = 0;
  try {
    // One generator per case, seeded from the case index: reproducible
    // whatever order the pool finishes in.
    const outcomes = await mapLimit(
      table,
      CONCURRENCY,
      (c, i) => signAndCheck(world, dns.port, c, new Rng(SEED + i)),
    );
    const dir = await Deno.makeTempDir({ prefix: "dk-interop-" });
    const files: string[] = [];
    for (const [i, c] of table.entries()) {
      const o = outcomes[i];
      const ok = await t.step(c.name, () => {
        assertEquals(
          o.signCode,
          0,
          `dk sign exit ${o.signCode}: ${o.signStderr.trim()}`,
        );
        assertEquals(o.signStderr, "", "dk sign wrote to stderr");
        const signed = toBinary(o.signed!);
        const input = toBinary(o.input);
        // The message byte for byte under one new header (cli.md `dk sign`).
        assert(
          signed.endsWith(input),
          "the signed message is not the input under a header",
        );
        const header = signed.slice(0, signed.length - input.length);
        assert(
          /^DomainKey-Signature:/.test(header),
          `header: ${header.slice(0, 80)}`,
        );
        // Its line ends are the input's (domainkeys.md 1.7).
        const lines = header.split(c.eol).slice(0, -1);
        assert(
          header.endsWith(c.eol),
          "the header does not end with the input's line end",
        );
        if (c.eol === "\n") {
          assert(!header.includes("\r"), "CR in a header signed for LF input");
        } else {assert(
            !/(?<!\r)\n/.test(header),
            "bare LF in a header signed for CRLF input",
          );}
        const { raw, value } = firstHeader(header, c.eol);
        assertEquals(raw, header, "more than one header was added");
        const tagMap = tags(value);
        assertEquals(tagMap.get("a")?.toLowerCase(), "rsa-sha1");
        assertEquals(tagMap.get("c")?.toLowerCase(), c.canon);
        assertEquals(tagMap.get("q")?.toLowerCase(), "dns");
        assertEquals(
          tagMap.get("s"),
          // Default selector: the key file's basename (cli.md `dk sign`).
          c.selector ?? world[c.key].file.replace(/^.*\//, ""),
        );
        const sending = c.variant === "sender"
          ? DOMAIN
          : c.variant === "subdomain"
          ? `mail.${DOMAIN}`
          : DOMAIN;
        assertEquals(tagMap.get("d"), c.domain ?? sending);
        if (c.headers) {
          // h= names what was signed, in message order (domainkeys.md 1.4).
          const h = (tagMap.get("h") ?? "").toLowerCase().split(":");
          assertEquals(
            [...new Set(h)],
            headerOrder(o.spec, c.headers.split(":")),
          );
        } else {
          assert(!tagMap.has("h"), "h= written without --headers");
        }
        // b= folded into lines of at most 76 base64 characters (1.6).
        for (const line of lines) {
          const b64 = line.replace(/^.*b=/, "").replace(/[; \t]/g, "");
          if (line.includes("b=") || /^[ \t]+[A-Za-z0-9+/=]+;?$/.test(line)) {
            assert(b64.length <= 76, `b= line longer than 76: ${line}`);
          }
        }
        assertEquals(
          atob(tagMap.get("b")!).length,
          world[c.key].bits / 8,
          "b= is not modulus-sized",
        );
        // The peer's verdict.
        assert(o.peer, `Mail::DKIM did not answer: ${o.peerError}`);
        assertEquals(
          o.peer.domainkeys?.result,
          "pass",
          `Mail::DKIM: ${o.peer.domainkeys?.result} (${o.peer.domainkeys?.details})`,
        );
      });
      if (ok) passed++;
      if (o.signed) {
        const file = `${dir}/${String(i).padStart(2, "0")}.eml`;
        await Deno.writeFile(file, o.signed);
        files.push(file);
      }
    }
    console.log(`interop: dk→Mail::DKIM ${passed}/${table.length} passed`);

    // dk judges what it signed: all A, in one `dk verify` process.
    await t.step(
      "dk verify gives A to every message dk signed (one process, file operands)",
      async () => {
        const r = await runDk([
          "verify",
          "--json",
          "--dns",
          dns.address,
          ...files,
        ]);
        const verdicts = parseDkJson(r.stdoutText);
        assertEquals(
          verdicts.length,
          files.length,
          `stderr: ${r.stderrText.trim()}`,
        );
        for (const [i, v] of verdicts.entries()) {
          assertEquals(v.file, files[i]);
          assertEquals(v.code, "A", `${v.file}: ${v.code} ${v.reason}`);
        }
        assertEquals(r.code, 0);
      },
    );
    await Deno.remove(dir, { recursive: true });
  } finally {
    await dns.stop();
    await world.cleanup();
  }
  console.log(
    `interop: dk→Mail::DKIM took ${
      ((performance.now() - started) / 1000).toFixed(1)
    } s`,
  );
});
