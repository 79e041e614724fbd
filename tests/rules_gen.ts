/**
 * Random tcprules files and clients for the differential tests: a seeded
 * PRNG (mulberry32) so a failure replays with `DK_RULES_SEED=N`.
 *
 * @module
 */

/** A seeded pseudo-random source. */
export class Rng {
  #state: number;
  /** Starts the sequence for `seed`. */
  constructor(seed: number) {
    this.#state = seed >>> 0;
  }
  /** A float in [0, 1). */
  next(): number {
    let t = (this.#state = (this.#state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  /** One element of `xs`. */
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)];
  }
  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.next() < p;
  }
}

/** The seed: `DK_RULES_SEED` or a fresh one. */
export function seedFromEnv(): number {
  const fromEnv = Deno.env.get("DK_RULES_SEED");
  if (fromEnv !== undefined && /^[0-9]+$/.test(fromEnv)) {
    return Number(fromEnv) >>> 0;
  }
  return (Date.now() ^ (Math.random() * 0x100000000)) >>> 0;
}

const OCTETS = ["0", "1", "2", "3", "10", "127", "192", "168", "255"];
const HOSTS = [
  "mail.example.com",
  "a.b.example.com",
  "example.com",
  "x.example.net",
  "localhost",
];
const INFOS = ["joe", "bob", "root"];
const NAMES = [
  "RELAYCLIENT",
  "DKSIGN",
  "DKVERIFY",
  "QMAILQUEUE",
  "RBLSMTPD",
  "X",
  "A_B",
  "weird name",
  "",
  "Q.1",
];
const VALUES = [
  "",
  "1",
  "/var/qmail/control/domainkeys/%/private",
  "DEGIJKfh",
  "a,b",
  "x y",
  "=",
  "-",
];

function octet(r: Rng): string {
  return r.chance(0.8) ? r.pick(OCTETS) : String(r.int(256));
}

function ip(r: Rng): string {
  return [octet(r), octet(r), octet(r), octet(r)].join(".");
}

function prefix(r: Rng): string {
  const n = 1 + r.int(3);
  const parts: string[] = [];
  for (let i = 0; i < n; i++) parts.push(octet(r));
  return parts.join(".") + ".";
}

function range(r: Rng): string {
  const lo = r.chance(0.1) ? "" : String(r.int(r.chance(0.9) ? 12 : 300));
  const hi = String(r.chance(0.8) ? r.int(12) : r.int(400));
  const form = r.int(5);
  if (form === 0) return `${octet(r)}.${octet(r)}.${octet(r)}.${lo}-${hi}`;
  if (form === 1) return `${octet(r)}.${octet(r)}.${lo}-${hi}.`;
  if (form === 2) return `${octet(r)}.${lo}-${hi}.${octet(r)}.`;
  if (form === 3) return `${lo}-${hi}.`;
  return `${octet(r)}.${lo}-${hi}.1-3.`; // only the first dash expands
}

/** A random address in any tcprules form. */
export function address(r: Rng): string {
  switch (r.int(11)) {
    case 0:
    case 1:
      return ip(r);
    case 2:
    case 3:
      return prefix(r);
    case 4:
      return range(r);
    case 5:
      return "=" + r.pick(HOSTS);
    case 6:
      return "=." + r.pick(HOSTS).split(".").slice(-2).join(".");
    case 7:
      return "=";
    case 8:
      return r.pick(INFOS) + "@" +
        (r.chance(0.5) ? ip(r) : "=" + r.pick(HOSTS));
    case 9:
      return "";
    default:
      return r.pick([
        "10.0.0.0/8",
        "127.0.0.1 ",
        " 1.2.3.4",
        "1.2.3",
        "010.1.2.3",
        "a.b",
      ]);
  }
}

function variable(r: Rng): string {
  const q = r.chance(0.8) ? '"' : r.pick(["'", "/", "|", "x"]);
  let value = r.pick(VALUES);
  while (value.includes(q)) value = value.replace(q, "");
  return `,${r.pick(NAMES)}=${q}${value}${q}`;
}

/** A random valid rule line (or comment, blank or skipped line). */
export function line(r: Rng): string {
  const roll = r.int(20);
  if (roll === 0) return "# " + address(r);
  if (roll === 1) return "";
  if (roll === 2) return r.pick(["no colon here", "  ", "\t", "  # indented"]);
  let text = address(r) + ":" + (r.chance(0.8) ? "allow" : "deny");
  const vars = r.int(4);
  for (let i = 0; i < vars; i++) text += variable(r);
  if (r.chance(0.1)) text += r.pick([" ", "\t", " \t "]);
  return text;
}

/** A random rule file of `lines` lines (text), with or without a final LF. */
export function ruleFile(r: Rng, lines: number): string {
  const out: string[] = [];
  for (let i = 0; i < lines; i++) out.push(line(r));
  return out.join("\n") + (r.chance(0.9) ? "\n" : "");
}

/** A random line that tcprules refuses. */
export function badLine(r: Rng): string {
  return r.pick([
    "1.2.3.4:allow # comment",
    "1.2.3.4:allow,X=1",
    '1.2.3.4:allow,X="1',
    "1.2.3.4:permit",
    "1.2.3.4: allow",
    '1.2.3.4:allow X="1"',
    "1.2.3.4:allow,X",
    "1.2.3.4:allow,X=",
    "1.2.x-5.:allow",
    "1.2.3.4:allow\r",
    "1.2.3.4:allowed",
  ]);
}

/** A random client: IP from the same small space, maybe a host and info. */
export function client(r: Rng): { ip: string; host?: string; info?: string } {
  const c: { ip: string; host?: string; info?: string } = { ip: ip(r) };
  if (r.chance(0.5)) c.host = r.chance(0.1) ? "" : r.pick(HOSTS);
  if (r.chance(0.3)) c.info = r.chance(0.1) ? "" : r.pick(INFOS);
  return c;
}
