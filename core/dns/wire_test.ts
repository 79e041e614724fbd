import { assertEquals } from "../../tests/helpers/assert.ts";
import type { TxtAnswer } from "./resolver.ts";
import {
  answerTxtQuery,
  buildTxtQuery,
  encodeName,
  parseTxtResponse,
  type Query,
  readCharacterStrings,
  readName,
} from "./wire.ts";

const te = new TextEncoder();
const td = new TextDecoder();

function name(n: string): number[] {
  return [...encodeName(n)!];
}

function u16(n: number): number[] {
  return [n >> 8, n & 0xff];
}

function rr(
  owner: number[],
  type: number,
  rdata: number[],
  ttl = 3600,
): number[] {
  return [
    ...owner,
    ...u16(type),
    0,
    1,
    ...u32(ttl),
    ...u16(rdata.length),
    ...rdata,
  ];
}

function u32(n: number): number[] {
  return [n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
}

/** SOA RDATA with the given MINIMUM (RFC 1035 3.3.13). */
function soaRdata(minimum: number): number[] {
  return [
    ...name("ns.example.com"),
    ...name("hostmaster.example.com"),
    ...u32(1),
    ...u32(7200),
    ...u32(900),
    ...u32(86400),
    ...u32(minimum),
  ];
}

function txtRdata(...strings: string[]): number[] {
  return strings.flatMap((s) => [s.length, ...te.encode(s)]);
}

/** A response packet to `q` with the given flags low byte and answers. */
function response(
  q: Query,
  opts: {
    rcode?: number;
    tc?: boolean;
    answers?: number[][];
    authority?: number[][];
  } = {},
): Uint8Array {
  const answers = opts.answers ?? [];
  const authority = opts.authority ?? [];
  const flags = 0x8180 | (opts.tc ? 0x0200 : 0) | (opts.rcode ?? 0);
  return new Uint8Array([
    ...u16(q.id),
    ...u16(flags),
    0,
    1,
    ...u16(answers.length),
    ...u16(authority.length),
    0,
    0,
    ...name(q.name),
    0,
    16,
    0,
    1,
    ...answers.flat(),
    ...authority.flat(),
  ]);
}

const q = buildTxtQuery("S._DomainKey.Example.COM.", 0x1234)!;

Deno.test("buildTxtQuery() writes RD, one question and an EDNS0 OPT record of 4096 bytes", () => {
  assertEquals(q.name, "s._domainkey.example.com");
  assertEquals([...q.bytes.subarray(0, 12)], [
    0x12,
    0x34,
    1,
    0,
    0,
    1,
    0,
    0,
    0,
    0,
    0,
    1,
  ]);
  const tail = [...q.bytes.subarray(q.bytes.length - 15)];
  assertEquals(tail, [0, 16, 0, 1, 0, 0, 41, 0x10, 0, 0, 0, 0, 0, 0, 0]);
  assertEquals(q.bytes.length, 12 + 26 + 4 + 11);
});

Deno.test("buildTxtQuery() picks a random id and refuses names that cannot be encoded", () => {
  const ids = new Set(
    Array.from({ length: 20 }, () => buildTxtQuery("a.b")!.id),
  );
  assertEquals(ids.size > 1, true);
  assertEquals(buildTxtQuery("a..b"), null);
  assertEquals(buildTxtQuery("x".repeat(64) + ".com"), null);
  assertEquals(buildTxtQuery(("x".repeat(60) + ".").repeat(5) + "com"), null);
  assertEquals(buildTxtQuery("bad name.com"), null);
  assertEquals(buildTxtQuery("ümlaut.com"), null);
});

Deno.test("parseTxtResponse() returns each TXT record as its character-strings", () => {
  const owner = name(q.name);
  const packet = response(q, {
    answers: [
      rr(owner, 16, txtRdata("k=rsa; p=ab", "cd")),
      rr([0xc0, 12], 16, txtRdata("v=spf1 -all")),
    ],
  });
  const reply = parseTxtResponse(packet, q);
  if (reply.kind !== "answer" || reply.answer.kind !== "records") {
    throw new Error(JSON.stringify(reply));
  }
  assertEquals(reply.answer.records.map((r) => r.map((s) => td.decode(s))), [[
    "k=rsa; p=ab",
    "cd",
  ], ["v=spf1 -all"]]);
});

Deno.test("parseTxtResponse() keeps 8-bit and NUL bytes of TXT data", () => {
  const packet = response(q, {
    answers: [rr([0xc0, 12], 16, [3, 0, 0xff, 0x80])],
  });
  const reply = parseTxtResponse(packet, q);
  if (reply.kind !== "answer" || reply.answer.kind !== "records") {
    throw new Error("no records");
  }
  assertEquals([...reply.answer.records[0][0]], [0, 0xff, 0x80]);
});

Deno.test("parseTxtResponse() follows a CNAME chain in the answer", () => {
  const target = name("k.example.net");
  const answers = [
    rr([0xc0, 12], 5, target),
    rr(target, 16, txtRdata("p=x")),
    rr([0xc0, 12], 16, txtRdata("not mine")), // owner is the alias: ignored
  ];
  const reply = parseTxtResponse(response(q, { answers }), q);
  if (reply.kind !== "answer" || reply.answer.kind !== "records") {
    throw new Error(JSON.stringify(reply));
  }
  assertEquals(reply.answer.records.map((r) => td.decode(r[0])), ["p=x"]);
});

Deno.test("parseTxtResponse() tells NXDOMAIN, NODATA and each temporary RCODE apart", () => {
  assertEquals(parseTxtResponse(response(q, { rcode: 3 }), q), {
    kind: "answer",
    answer: { kind: "nxdomain" },
  });
  assertEquals(parseTxtResponse(response(q), q), {
    kind: "answer",
    answer: { kind: "nodata" },
  });
  const onlyA = response(q, { answers: [rr([0xc0, 12], 1, [127, 0, 0, 1])] });
  assertEquals(parseTxtResponse(onlyA, q), {
    kind: "answer",
    answer: { kind: "nodata" },
  });
  for (
    const [rcode, word] of [[1, "FORMERR"], [2, "SERVFAIL"], [4, "NOTIMP"], [
      5,
      "REFUSED",
    ], [9, "RCODE 9"]] as const
  ) {
    assertEquals(parseTxtResponse(response(q, { rcode }), q), {
      kind: "answer",
      answer: { kind: "tempfail", reason: `server answered ${word}` },
    });
  }
});

Deno.test("parseTxtResponse() reports the TC bit and ignores responses to other queries", () => {
  assertEquals(
    parseTxtResponse(response(q, { tc: true }), q).kind,
    "truncated",
  );
  const other = buildTxtQuery("s._domainkey.example.com", 0x1235)!;
  assertEquals(parseTxtResponse(response(other), q).kind, "mismatch");
  const otherName = { ...q, name: "t._domainkey.example.com", bytes: q.bytes };
  assertEquals(parseTxtResponse(response(otherName), q).kind, "mismatch");
  const notResponse = response(q);
  notResponse[2] &= 0x7f;
  assertEquals(parseTxtResponse(notResponse, q).kind, "mismatch");
});

Deno.test("parseTxtResponse() returns malformed, never throws, on garbage", () => {
  const good = response(q, {
    answers: [rr([0xc0, 12], 16, txtRdata("k=rsa; p=ab"))],
  });
  for (let cut = 0; cut < good.length; cut++) {
    const reply = parseTxtResponse(good.subarray(0, cut), q);
    if (reply.kind === "answer" && reply.answer.kind === "records") {
      throw new Error(`cut ${cut} gave records`);
    }
  }
  // A TXT length octet that runs past its RDATA.
  const overrun = response(q, { answers: [rr([0xc0, 12], 16, [9, 0x61])] });
  assertEquals(parseTxtResponse(overrun, q).kind, "malformed");
  // A compression pointer to itself, and one pointing forward.
  const loop = response(q, {
    answers: [rr([0xc0, 12 + 26 + 4], 16, txtRdata("x"))],
  });
  assertEquals(parseTxtResponse(loop, q).kind, "malformed");
  // Random bytes with the right id and QR bit.
  let seed = 7;
  for (let n = 0; n < 2000; n++) {
    const junk = new Uint8Array(12 + (n % 90)).map(() =>
      (seed = (seed * 1103515245 + 12345) & 0x7fffffff) & 0xff
    );
    junk[0] = 0x12;
    junk[1] = 0x34;
    junk[2] |= 0x80;
    parseTxtResponse(junk, q); // must not throw
  }
});

Deno.test("readName() reads compressed names and refuses loops and overlong names", () => {
  const packet = new Uint8Array([...name("example.com"), 1, 0x73, 0xc0, 0]);
  assertEquals(readName(packet, 13), { name: "s.example.com", next: 17 });
  assertEquals(readName(new Uint8Array([0xc0, 0]), 0), null);
  const long = new Uint8Array(
    [...Array(5)].flatMap(() => [60, ...new Array(60).fill(0x61)]).concat([0]),
  );
  assertEquals(readName(long, 0), null);
  assertEquals(readName(new Uint8Array([0x40, 1]), 0), null);
  assertEquals(readName(new Uint8Array([2, 0x41, 0x2e, 0]), 0), {
    name: "a\\046",
    next: 4,
  });
});

Deno.test("readCharacterStrings() splits RDATA and refuses an overrun or empty RDATA", () => {
  assertEquals(readCharacterStrings(new Uint8Array([0])), [new Uint8Array()]);
  assertEquals(readCharacterStrings(new Uint8Array([1, 0x61, 0])), [
    new Uint8Array([0x61]),
    new Uint8Array(),
  ]);
  assertEquals(readCharacterStrings(new Uint8Array([2, 0x61])), null);
  assertEquals(readCharacterStrings(new Uint8Array()), null);
});

Deno.test("answerTxtQuery() answers what parseTxtResponse() reads back, NXDOMAIN for other names", () => {
  const zone = new Map([
    ["sel._domainkey.example.com", [["k=rsa; ", "p=AB\xff"], ["second"]]],
  ]);
  const query = buildTxtQuery("Sel._DomainKey.Example.COM.", 4242)!;
  const packet = answerTxtQuery(query.bytes, zone)!;
  const reply = parseTxtResponse(packet, query);
  assertEquals(reply.kind, "answer");
  const answer = (reply as { answer: TxtAnswer }).answer;
  assertEquals(answer.kind, "records");
  const records = (answer as { records: Uint8Array[][] }).records;
  assertEquals(
    records.map((r) => r.map((s) => Array.from(s))),
    [
      [[...new TextEncoder().encode("k=rsa; ")], [
        0x70,
        0x3d,
        0x41,
        0x42,
        0xff,
      ]],
      [[...new TextEncoder().encode("second")]],
    ],
  );
  const other = buildTxtQuery("other.example.com", 7)!;
  const none = parseTxtResponse(answerTxtQuery(other.bytes, zone)!, other);
  assertEquals(none, { kind: "answer", answer: { kind: "nxdomain" } });
});

Deno.test("answerTxtQuery() refuses responses, short packets and overlong strings", () => {
  const query = buildTxtQuery("a.example", 1)!;
  const zone = new Map([["a.example", [["x".repeat(256)]]]]);
  assertEquals(answerTxtQuery(query.bytes, zone), null);
  assertEquals(answerTxtQuery(query.bytes.subarray(0, 11), new Map()), null);
  const response = answerTxtQuery(query.bytes, new Map())!;
  assertEquals(answerTxtQuery(response, new Map()), null);
});

Deno.test("answerTxtQuery() returns null, not a RangeError, for records that do not fit one packet", () => {
  const query = buildTxtQuery("a.example", 1)!;
  const string = "x".repeat(255);
  // One record of 250 kB (it used to overflow the stack spreading its bytes)
  // and many records of 1 kB each.
  const huge = new Map([["a.example", [Array(1000).fill(string)]]]);
  assertEquals(answerTxtQuery(query.bytes, huge), null);
  const many = new Map([["a.example", Array(300).fill(Array(4).fill(string))]]);
  assertEquals(answerTxtQuery(query.bytes, many), null);
  const fits = new Map([["a.example", Array(60).fill(Array(4).fill(string))]]);
  const reply = parseTxtResponse(answerTxtQuery(query.bytes, fits)!, query);
  assertEquals(
    reply.kind === "answer" && reply.answer.kind === "records"
      ? reply.answer.records.length
      : reply.kind,
    60,
  );
});

Deno.test("parseTxtResponse() gives records the smallest TTL of the TXT records and CNAMEs used", () => {
  const target = name("k.example.net");
  const ttlOf = (answers: number[][]) => {
    const reply = parseTxtResponse(response(q, { answers }), q);
    if (reply.kind !== "answer" || reply.answer.kind !== "records") {
      throw new Error(JSON.stringify(reply));
    }
    return reply.answer.ttl;
  };
  assertEquals(ttlOf([rr([0xc0, 12], 16, txtRdata("a"), 300)]), 300);
  assertEquals(
    ttlOf([
      rr([0xc0, 12], 16, txtRdata("a"), 300),
      rr([0xc0, 12], 16, txtRdata("b"), 120),
      rr([0xc0, 12], 1, [127, 0, 0, 1], 5), // not TXT: does not count
    ]),
    120,
  );
  assertEquals(
    ttlOf([
      rr([0xc0, 12], 5, target, 30),
      rr(target, 16, txtRdata("p=x"), 600),
    ]),
    30,
  );
  // RFC 2181 8: a TTL with the top bit set is 0.
  assertEquals(ttlOf([rr([0xc0, 12], 16, txtRdata("a"), 0x80000000)]), 0);
});

Deno.test("parseTxtResponse() gives NXDOMAIN and NODATA the SOA's TTL or MINIMUM, whichever is less, and no TTL without a SOA", () => {
  const soa = (ttl: number, minimum: number) =>
    rr(name("example.com"), 6, soaRdata(minimum), ttl);
  assertEquals(
    parseTxtResponse(response(q, { rcode: 3, authority: [soa(900, 60)] }), q),
    { kind: "answer", answer: { kind: "nxdomain", ttl: 60 } },
  );
  assertEquals(
    parseTxtResponse(response(q, { authority: [soa(45, 300)] }), q),
    { kind: "answer", answer: { kind: "nodata", ttl: 45 } },
  );
  // An NS record before the SOA is passed over.
  const ns = rr(name("example.com"), 2, name("ns.example.com"), 10);
  assertEquals(
    parseTxtResponse(
      response(q, { rcode: 3, authority: [ns, soa(900, 600)] }),
      q,
    ),
    { kind: "answer", answer: { kind: "nxdomain", ttl: 600 } },
  );
  // A SOA that cannot be read leaves the answer without a TTL.
  const cut = rr(name("example.com"), 6, soaRdata(60).slice(0, -3), 900);
  assertEquals(
    parseTxtResponse(response(q, { rcode: 3, authority: [cut] }), q),
    { kind: "answer", answer: { kind: "nxdomain" } },
  );
  // NXDOMAIN with an unreadable answer section is still NXDOMAIN.
  const garbage = response(q, { rcode: 3 });
  const withCount = new Uint8Array([...garbage, 0xc0]);
  withCount[7] = 1;
  assertEquals(parseTxtResponse(withCount, q), {
    kind: "answer",
    answer: { kind: "nxdomain" },
  });
});
