/**
 * Message generators for the interop and bad-input tests: a seeded random
 * source, a small message model (headers with folding, byte body lines, LF or
 * CRLF, with or without a final line end) and the named variants the interop
 * tables combine (8-bit body, folded headers, empty body, trailing empty
 * lines, …). Everything is bytes: 8-bit data survives untouched.
 *
 * @module
 */

/** A line end as it appears on input. */
export type Eol = "\n" | "\r\n";

/** A header: its name and the raw text after the colon. */
export interface Header {
  name: string;
  /** Text after `:`. A `\n` inside starts a continuation line (folding). */
  value: string;
}

/** A message before it is written as bytes. */
export interface MessageSpec {
  headers: Header[];
  /** Body lines without their line end; absent = no empty separator line. */
  body?: Uint8Array[];
  eol: Eol;
  /** False: the last body line has no line end. Default true. */
  finalNewline?: boolean;
}

/** A deterministic random source (mulberry32). */
export class Rng {
  #state: number;
  constructor(seed: number) {
    this.#state = seed >>> 0;
  }
  /** A float in [0, 1). */
  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  /** One element of `items`. */
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }
  /** `n` random bytes. */
  bytes(n: number): Uint8Array {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = this.int(256);
    return out;
  }
}

const WORDS = [
  "queue",
  "relay",
  "selector",
  "domain",
  "toaster",
  "vpopmail",
  "spam",
  "key",
  "header",
  "body",
  "signature",
  "mailbox",
  "smtp",
  "tcpserver",
  "bounce",
  "rsa",
];

/** A line of `n` random words joined by `sep`. */
export function words(rng: Rng, n: number, sep = " "): string {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(rng.pick(WORDS));
  return out.join(sep);
}

/** Bytes of a string, one byte per UTF-16 code unit (binary-safe, < 256). */
export function fromBinary(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i) & 0xff;
  return out;
}

/** A string with one code unit per byte (binary-safe inverse of fromBinary). */
export function toBinary(bytes: Uint8Array): string {
  let s = "";
  const chunk = 0x8000;
  for (let i = 0; i < bytes.length; i += chunk) {
    s += String.fromCharCode(...bytes.subarray(i, i + chunk));
  }
  return s;
}

const encoder = new TextEncoder();

/** Writes a message as bytes. Header text is UTF-8; body lines are bytes. */
export function buildMessage(spec: MessageSpec): Uint8Array {
  const parts: Uint8Array[] = [];
  const eol = encoder.encode(spec.eol);
  for (const h of spec.headers) {
    const text = `${h.name}:${h.value}`.replaceAll("\n", spec.eol);
    parts.push(encoder.encode(text), eol);
  }
  if (spec.body !== undefined) {
    parts.push(eol);
    spec.body.forEach((line, i) => {
      parts.push(line);
      const last = i === spec.body!.length - 1;
      if (!last || spec.finalNewline !== false) parts.push(eol);
    });
  }
  return concat(parts);
}

/** Joins byte arrays. */
export function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** `message` with `eol` appended (as SMTP delivers a message that lacked one). */
export function withFinalEol(message: Uint8Array, eol: Eol): Uint8Array {
  return concat([message, encoder.encode(eol)]);
}

/** The names of the message variants the interop tables use. */
export type Variant =
  | "plain"
  | "8bit"
  | "folded"
  | "empty-body"
  | "no-final-newline"
  | "trailing-empty-lines"
  | "whitespace"
  | "duplicate-headers"
  | "sender"
  | "subdomain"
  | "long-body"
  | "folded-from"
  | "headers-only";

/**
 * The variants both interop tables run in each canonicalization: every one
 * a signer and a verifier must agree on, whatever the direction.
 */
export const COMMON_VARIANTS: readonly Variant[] = [
  "plain",
  "8bit",
  "folded",
  "empty-body",
  "headers-only",
  "no-final-newline",
  "trailing-empty-lines",
  "whitespace",
  "duplicate-headers",
  "long-body",
];

/** Options shared by every variant. */
export interface VariantOptions {
  eol: Eol;
  /** The signing domain; From (or Sender) is in it. */
  domain: string;
  /** Local part of the sending address (default "alice"). */
  local?: string;
}

function bodyLines(rng: Rng, n: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < n; i++) {
    out.push(encoder.encode(words(rng, 3 + rng.int(8), rng.pick([" ", "  "]))));
  }
  return out;
}

/**
 * A message of the named variant, generated from `rng`. The header order is
 * From, To, Subject, Date, Message-ID (plus what the variant adds), so
 * `--headers from:to:subject` lists them in message order.
 */
export function makeMessage(
  rng: Rng,
  variant: Variant,
  options: VariantOptions,
): MessageSpec {
  const local = options.local ?? "alice";
  const id = rng.int(1e9);
  const headers: Header[] = [
    { name: "From", value: ` Alice Example <${local}@${options.domain}>` },
    { name: "To", value: ` bob@example.org` },
    { name: "Subject", value: ` ${words(rng, 4, "  ")}` },
    { name: "Date", value: " Tue, 25 Nov 2025 15:58:00 +0000" },
    { name: "Message-ID", value: ` <${id}@${options.domain}>` },
  ];
  let body: Uint8Array[] | undefined = bodyLines(rng, 3 + rng.int(5));
  let finalNewline = true;
  switch (variant) {
    case "plain":
      break;
    case "8bit": {
      headers[2].value = " caf\u00e9 \u00fcber na\u00efve";
      const raw: Uint8Array[] = [];
      for (let i = 0; i < 6; i++) {
        const line = rng.bytes(40).map((b) => b < 0x80 ? (b % 94) + 33 : b);
        raw.push(line);
      }
      body = [encoder.encode("Gr\u00fc\u00dfe \u2013 \u00e9t\u00e9"), ...raw];
      headers.push({ name: "Content-Transfer-Encoding", value: " 8bit" });
      break;
    }
    case "folded":
      headers[1].value =
        ` bob@example.org,\n\tcarol@example.org,\n  dave@example.org`;
      headers[2].value = ` ${words(rng, 3)}\n ${words(rng, 3)}\n\t${
        words(rng, 2)
      }`;
      headers.push({
        name: "X-Folded",
        value: ` a\n    b  \n\t\tc`,
      });
      break;
    case "empty-body":
      body = [];
      break;
    case "headers-only":
      body = undefined;
      break;
    case "no-final-newline":
      finalNewline = false;
      break;
    case "trailing-empty-lines":
      body = [...body, new Uint8Array(), new Uint8Array(), new Uint8Array()];
      break;
    case "whitespace":
      body = [
        encoder.encode("  leading and trailing  "),
        encoder.encode("\ttabs\tinside\t"),
        new Uint8Array(),
        encoder.encode(words(rng, 5, "   ")),
        encoder.encode("   "),
        encoder.encode(" \t "),
      ];
      headers[2].value = `   spaced   out\t subject  `;
      break;
    case "duplicate-headers":
      headers.unshift(
        {
          name: "Received",
          value:
            ` from a.example.org by mx.${options.domain}; Tue, 25 Nov 2025 15:57:00 +0000`,
        },
      );
      headers.splice(3, 0, { name: "To", value: " carol@example.org" });
      headers.push({ name: "X-Dup", value: " one" }, {
        name: "X-Dup",
        value: " two",
      });
      break;
    case "sender":
      headers[0].value = ` Someone <someone@elsewhere.example>`;
      headers.splice(1, 0, {
        name: "Sender",
        value: ` ${local}@${options.domain}`,
      });
      break;
    case "subdomain":
      headers[0].value = ` <${local}@mail.${options.domain}>`;
      break;
    case "long-body":
      body = bodyLines(rng, 400);
      break;
    case "folded-from":
      headers[0].value = ` "Alice Example"\n <${local}@${options.domain}>`;
      break;
  }
  return { headers, body, eol: options.eol, finalNewline };
}

/** The header names of a message in order, lowercased, without repeats. */
export function headerOrder(spec: MessageSpec, wanted: string[]): string[] {
  const want = new Set(wanted.map((n) => n.toLowerCase()));
  const out: string[] = [];
  for (const h of spec.headers) {
    const n = h.name.toLowerCase();
    if (want.has(n) && !out.includes(n)) out.push(n);
  }
  return out;
}
