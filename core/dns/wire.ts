/**
 * The DNS wire format, as far as a TXT lookup needs it: building one query
 * (RFC 1035 4.1, with an EDNS0 OPT record, RFC 6891 6.1) and reading the
 * response totally and defensively. Pure: no I/O, never throws; a packet that
 * cannot be read is an error value. Every loop moves forward or is bounded
 * (pointers must point backwards, at most 64 of them, names at most 255
 * octets); the optional `step` argument of the readers is called once per
 * pass so tests can count the work (a `step` that throws stops the reader).
 *
 * @module
 */

import type { TxtAnswer } from "./resolver.ts";

/** RR type TXT (RFC 1035 3.2.2). */
export const TYPE_TXT = 16;
/** RR type CNAME. */
export const TYPE_CNAME = 5;
/** RR type SOA. */
export const TYPE_SOA = 6;
/** RR type OPT (RFC 6891). */
export const TYPE_OPT = 41;
/** Class IN. */
export const CLASS_IN = 1;
/** The UDP payload size advertised in the OPT record. */
export const EDNS_PAYLOAD = 4096;

const HEADER_SIZE = 12;
const MAX_NAME_OCTETS = 255;
const MAX_LABEL_OCTETS = 63;
const MAX_POINTER_JUMPS = 64;
const MAX_CNAME_HOPS = 16;
const FLAG_QR = 0x8000;
const FLAG_TC = 0x0200;
const FLAG_RD = 0x0100;

/** RCODE names (RFC 1035 4.1.1, RFC 2136). */
const RCODE_NAMES: Record<number, string> = {
  1: "FORMERR",
  2: "SERVFAIL",
  3: "NXDOMAIN",
  4: "NOTIMP",
  5: "REFUSED",
};

/** A query ready to send, with the id the response must carry. */
export interface Query {
  /** The 16-bit message id. */
  id: number;
  /** The lowercase name asked for, without a final dot. */
  name: string;
  /** The packet (no TCP length prefix). */
  bytes: Uint8Array;
}

/** What a response says, once read. */
export type Reply =
  /** The answer for the question (records, NXDOMAIN, NODATA or tempfail by RCODE). */
  | { kind: "answer"; answer: TxtAnswer }
  /** The TC bit is set: ask again over TCP. */
  | { kind: "truncated" }
  /** Not a response to this query (other id or question): keep waiting. */
  | { kind: "mismatch"; reason: string }
  /** A packet that cannot be read. */
  | { kind: "malformed"; reason: string };

/**
 * Encodes `name` as wire labels. Returns null for an empty label, a label
 * over 63 octets, a name over 255 octets, or a character outside ASCII.
 */
export function encodeName(name: string): Uint8Array | null {
  const trimmed = name.endsWith(".") ? name.slice(0, -1) : name;
  const out: number[] = [];
  if (trimmed !== "") {
    for (const label of trimmed.split(".")) {
      if (label.length === 0 || label.length > MAX_LABEL_OCTETS) return null;
      out.push(label.length);
      for (let i = 0; i < label.length; i++) {
        const c = label.charCodeAt(i);
        if (c > 0x7e || c < 0x21) return null;
        out.push(c);
      }
    }
  }
  out.push(0);
  return out.length > MAX_NAME_OCTETS ? null : new Uint8Array(out);
}

/**
 * Builds a TXT query for `name` with RD set and an EDNS0 OPT record that
 * advertises {@link EDNS_PAYLOAD} bytes. `id` defaults to a random one.
 * Returns null when the name cannot be encoded (see {@link encodeName}).
 */
export function buildTxtQuery(name: string, id?: number): Query | null {
  const wireName = encodeName(name);
  if (!wireName) return null;
  const queryId = id ?? crypto.getRandomValues(new Uint16Array(1))[0];
  const opt = [0, 0, TYPE_OPT, EDNS_PAYLOAD >> 8, EDNS_PAYLOAD & 0xff];
  const bytes = new Uint8Array(
    HEADER_SIZE + wireName.length + 4 + opt.length + 6,
  );
  const view = new DataView(bytes.buffer);
  view.setUint16(0, queryId);
  view.setUint16(2, FLAG_RD);
  view.setUint16(4, 1); // QDCOUNT
  view.setUint16(10, 1); // ARCOUNT: the OPT record
  bytes.set(wireName, HEADER_SIZE);
  let at = HEADER_SIZE + wireName.length;
  view.setUint16(at, TYPE_TXT);
  view.setUint16(at + 2, CLASS_IN);
  at += 4;
  bytes.set(opt, at); // root name, type OPT, class = payload size
  // TTL (extended RCODE, version, flags) and RDLENGTH stay zero.
  return { id: queryId, name: normalizeName(name), bytes };
}

/** Lowercases ASCII letters and drops one final dot. */
export function normalizeName(name: string): string {
  const trimmed = name.endsWith(".") ? name.slice(0, -1) : name;
  return trimmed.replace(/[A-Z]/g, (c) => c.toLowerCase());
}

/**
 * Reads a (possibly compressed) name at `offset`. Returns the name in
 * lowercase presentation form (bytes outside `!`–`~` and `.`/`\` escaped as
 * `\DDD`) and the offset after it, or null for a name that runs past the
 * packet, loops, or is longer than 255 octets.
 */
export function readName(
  packet: Uint8Array,
  offset: number,
  step: () => void = _noStep,
): { name: string; next: number } | null {
  const labels: string[] = [];
  let at = offset;
  let next = -1;
  let jumps = 0;
  let octets = 1;
  while (true) {
    step();
    if (at >= packet.length) return null;
    const length = packet[at];
    if ((length & 0xc0) === 0xc0) {
      if (at + 1 >= packet.length || ++jumps > MAX_POINTER_JUMPS) return null;
      const target = ((length & 0x3f) << 8) | packet[at + 1];
      if (next < 0) next = at + 2;
      if (target >= at) return null; // pointers must point backwards
      at = target;
      continue;
    }
    if ((length & 0xc0) !== 0) return null; // extended label types
    if (length === 0) break;
    if (at + 1 + length > packet.length) return null;
    octets += length + 1;
    if (octets > MAX_NAME_OCTETS) return null;
    labels.push(_labelText(packet.subarray(at + 1, at + 1 + length)));
    at += 1 + length;
  }
  return { name: labels.join("."), next: next < 0 ? at + 1 : next };
}

function _noStep(): void {}

function _labelText(bytes: Uint8Array): string {
  let out = "";
  for (const b of bytes) {
    if (b >= 0x41 && b <= 0x5a) out += String.fromCharCode(b + 0x20);
    else if (b > 0x20 && b < 0x7f && b !== 0x2e && b !== 0x5c) {
      out += String.fromCharCode(b);
    } else out += "\\" + String(b).padStart(3, "0");
  }
  return out;
}

/** One resource record of the answer section, as far as dk reads it. */
interface _Record {
  owner: string;
  type: number;
  class: number;
  /** Seconds (RFC 2181 8: a value with the top bit set counts as 0). */
  ttl: number;
  rdata: Uint8Array;
  rdataOffset: number;
}

/** A TTL field as RFC 2181 8 reads it: over 2^31 - 1 is 0. */
function _ttl(view: DataView, at: number): number {
  const ttl = view.getUint32(at);
  return ttl > 0x7fffffff ? 0 : ttl;
}

/**
 * Splits TXT RDATA into its character-strings. Returns null when a length
 * octet runs past the RDATA or the RDATA is empty.
 */
export function readCharacterStrings(
  rdata: Uint8Array,
  step: () => void = _noStep,
): Uint8Array[] | null {
  if (rdata.length === 0) return null;
  const strings: Uint8Array[] = [];
  let at = 0;
  while (at < rdata.length) {
    step();
    const length = rdata[at];
    if (at + 1 + length > rdata.length) return null;
    strings.push(rdata.slice(at + 1, at + 1 + length));
    at += 1 + length;
  }
  return strings;
}

/**
 * Reads a response to `query`. A response with another id or question is a
 * `mismatch` (to be ignored, not believed); TC set is `truncated`; RCODE
 * NXDOMAIN is `nxdomain`; NOERROR with TXT records at the name (after any
 * CNAME chain in the answer) is `records`, without is `nodata`; any other
 * RCODE is `tempfail`. Anything unreadable is `malformed`. Each answer
 * carries the `ttl` it may be kept: for records the smallest TTL of the TXT
 * records and CNAMEs used; for `nxdomain`/`nodata` the SOA's in the
 * authority section (RFC 2308 5), none without one.
 */
export function parseTxtResponse(
  packet: Uint8Array,
  query: Query,
  step: () => void = _noStep,
): Reply {
  if (packet.length < HEADER_SIZE) {
    return { kind: "malformed", reason: "response shorter than a header" };
  }
  const view = new DataView(
    packet.buffer,
    packet.byteOffset,
    packet.byteLength,
  );
  const id = view.getUint16(0);
  const flags = view.getUint16(2);
  const qdcount = view.getUint16(4);
  const ancount = view.getUint16(6);
  if (id !== query.id) return { kind: "mismatch", reason: "other id" };
  if ((flags & FLAG_QR) === 0) {
    return { kind: "mismatch", reason: "not a response" };
  }
  if (qdcount !== 1) {
    // A server may drop the question on FORMERR/NOTIMP; believe the RCODE.
    const rcode = flags & 0x0f;
    if (qdcount === 0 && rcode !== 0 && rcode !== 3) {
      return _rcodeAnswer(rcode);
    }
    return { kind: "mismatch", reason: `${qdcount} questions` };
  }
  const question = readName(packet, HEADER_SIZE, step);
  if (!question || question.next + 4 > packet.length) {
    return { kind: "malformed", reason: "unreadable question" };
  }
  const qtype = view.getUint16(question.next);
  const qclass = view.getUint16(question.next + 2);
  if (
    question.name !== query.name || qtype !== TYPE_TXT || qclass !== CLASS_IN
  ) {
    return { kind: "mismatch", reason: "other question" };
  }
  if (flags & FLAG_TC) return { kind: "truncated" };
  const rcode = flags & 0x0f;
  if (rcode === 3) {
    // The answer section does not matter; only the SOA after it does.
    const authority = _skipRecords(
      packet,
      view,
      question.next + 4,
      ancount,
      step,
    );
    return {
      kind: "answer",
      answer: authority < 0
        ? { kind: "nxdomain" }
        : _negative("nxdomain", packet, view, authority, step),
    };
  }
  if (rcode !== 0) return _rcodeAnswer(rcode);

  const records: _Record[] = [];
  let at = question.next + 4;
  for (let i = 0; i < ancount; i++) {
    step();
    const owner = readName(packet, at, step);
    if (!owner || owner.next + 10 > packet.length) {
      return { kind: "malformed", reason: "unreadable answer record" };
    }
    const type = view.getUint16(owner.next);
    const klass = view.getUint16(owner.next + 2);
    const rdlength = view.getUint16(owner.next + 8);
    const rdataOffset = owner.next + 10;
    if (rdataOffset + rdlength > packet.length) {
      return {
        kind: "malformed",
        reason: "answer record runs past the packet",
      };
    }
    records.push({
      owner: owner.name,
      type,
      class: klass,
      ttl: _ttl(view, owner.next + 4),
      rdata: packet.subarray(rdataOffset, rdataOffset + rdlength),
      rdataOffset,
    });
    at = rdataOffset + rdlength;
  }
  const reply = _collectTxt(packet, records, query.name, step);
  if (reply.kind === "answer" && reply.answer.kind === "nodata") {
    return {
      kind: "answer",
      answer: _negative("nodata", packet, view, at, step),
    };
  }
  return reply;
}

/** The offset after `count` records from `at`, or -1 when they cannot be read. */
function _skipRecords(
  packet: Uint8Array,
  view: DataView,
  at: number,
  count: number,
  step: () => void,
): number {
  for (let i = 0; i < count; i++) {
    step();
    const owner = readName(packet, at, step);
    if (!owner || owner.next + 10 > packet.length) return -1;
    at = owner.next + 10 + view.getUint16(owner.next + 8);
    if (at > packet.length) return -1;
  }
  return at;
}

/**
 * A negative answer with the time it may be kept (RFC 2308 5): the smaller
 * of the SOA record's TTL and its MINIMUM field, from the authority section
 * starting at `at`. Without a readable SOA there, no `ttl`. The authority
 * section is only looked at for this: when it cannot be read the answer
 * stands, without a `ttl`.
 */
function _negative(
  kind: "nxdomain" | "nodata",
  packet: Uint8Array,
  view: DataView,
  at: number,
  step: () => void,
): TxtAnswer {
  const nscount = view.getUint16(8);
  for (let i = 0; i < nscount; i++) {
    step();
    const owner = readName(packet, at, step);
    if (!owner || owner.next + 10 > packet.length) break;
    const type = view.getUint16(owner.next);
    const rdlength = view.getUint16(owner.next + 8);
    const rdata = owner.next + 10;
    if (rdata + rdlength > packet.length) break;
    if (type === TYPE_SOA) {
      const mname = readName(packet, rdata, step);
      const rname = mname && readName(packet, mname.next, step);
      if (!rname || rname.next + 20 !== rdata + rdlength) break;
      const minimum = _ttl(view, rname.next + 16);
      return { kind, ttl: Math.min(_ttl(view, owner.next + 4), minimum) };
    }
    at = rdata + rdlength;
  }
  return { kind };
}

function _rcodeAnswer(rcode: number): Reply {
  const name = RCODE_NAMES[rcode] ?? `RCODE ${rcode}`;
  return {
    kind: "answer",
    answer: { kind: "tempfail", reason: `server answered ${name}` },
  };
}

function _collectTxt(
  packet: Uint8Array,
  records: _Record[],
  qname: string,
  step: () => void,
): Reply {
  let name = qname;
  let cnameTtl = 0x7fffffff;
  for (let hop = 0; hop <= MAX_CNAME_HOPS; hop++) {
    step();
    const cname = records.find((r) =>
      r.owner === name && r.type === TYPE_CNAME && r.class === CLASS_IN
    );
    if (!cname) break;
    if (hop === MAX_CNAME_HOPS) {
      return { kind: "malformed", reason: "CNAME chain too long" };
    }
    const target = readName(packet, cname.rdataOffset, step);
    if (!target || target.next !== cname.rdataOffset + cname.rdata.length) {
      return { kind: "malformed", reason: "unreadable CNAME" };
    }
    name = target.name;
    cnameTtl = Math.min(cnameTtl, cname.ttl);
  }
  const txt: Uint8Array[][] = [];
  let ttl = cnameTtl;
  for (const r of records) {
    if (r.owner !== name || r.type !== TYPE_TXT || r.class !== CLASS_IN) {
      continue;
    }
    const strings = readCharacterStrings(r.rdata, step);
    if (!strings) return { kind: "malformed", reason: "unreadable TXT data" };
    txt.push(strings);
    ttl = Math.min(ttl, r.ttl);
  }
  return {
    kind: "answer",
    answer: txt.length
      ? { kind: "records", records: txt, ttl }
      : { kind: "nodata" },
  };
}

/**
 * Answers a TXT query packet from `zone` (lowercase name without a final
 * dot → TXT records, each a list of character strings of at most 255
 * octets, Latin-1): the records at the question's name with RCODE 0, or
 * NXDOMAIN when the name has none. Returns null for a packet that is not a
 * query with one readable question, or records that do not fit one packet.
 * dk is no DNS server: this serves its install-time self-test
 * (`scripts/dk --prepare`) and tests.
 */
export function answerTxtQuery(
  query: Uint8Array,
  zone: ReadonlyMap<string, readonly (readonly string[])[]>,
  step: () => void = _noStep,
): Uint8Array | null {
  if (query.length < HEADER_SIZE) return null;
  const view = new DataView(query.buffer, query.byteOffset, query.byteLength);
  if ((view.getUint16(2) & FLAG_QR) !== 0 || view.getUint16(4) !== 1) {
    return null;
  }
  const question = readName(query, HEADER_SIZE, step);
  if (!question || question.next + 4 > query.length) return null;
  const records = zone.get(question.name) ?? [];
  const answers: number[] = [];
  for (const strings of records) {
    const rdata: number[] = [];
    for (const s of strings) {
      if (s.length > 255 || rdata.length > 0xffff) return null;
      rdata.push(s.length);
      for (let i = 0; i < s.length; i++) rdata.push(s.charCodeAt(i) & 0xff);
    }
    // Owner: a pointer to the question's name at offset 12.
    answers.push(0xc0, HEADER_SIZE, 0, TYPE_TXT, 0, CLASS_IN, 0, 0, 0, 60);
    answers.push(rdata.length >> 8, rdata.length & 0xff);
    // One push per byte: spreading a large record overflows the stack.
    for (const b of rdata) answers.push(b);
    if (answers.length > 0xffff) return null;
  }
  const questionEnd = question.next + 4;
  if (questionEnd + answers.length > 0xffff) return null;
  const out = new Uint8Array(questionEnd + answers.length);
  out.set(query.subarray(0, questionEnd));
  const outView = new DataView(out.buffer);
  const rcode = records.length ? 0 : 3;
  outView.setUint16(2, FLAG_QR | (view.getUint16(2) & FLAG_RD) | 0x80 | rcode);
  outView.setUint16(6, records.length);
  outView.setUint16(8, 0);
  outView.setUint16(10, 0);
  out.set(answers, questionEnd);
  return out;
}
