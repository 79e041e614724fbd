import fc from "fast-check";
import { assert, assertEquals } from "../../tests/helpers/assert.ts";
import { mutated } from "../../tests/helpers/mutate.ts";
import { stepBudget } from "../../tests/helpers/step_budget.ts";
import {
  answerTxtQuery,
  buildTxtQuery,
  parseTxtResponse,
  readCharacterStrings,
  readName,
} from "./wire.ts";

const q = buildTxtQuery("s._domainkey.example.com", 0x1234)!;
const ZONE = new Map([["s._domainkey.example.com", [["k=rsa; p=AB", "CD"], [
  "v=1",
]]]]);
/** The question section of `q` (name at 12, "example.com" at 25). */
const QUESTION = q.bytes.subarray(12, 42);

/** A CNAME to a.example.com (compressed), then TXT there, pointing into it. */
const CNAME_RESPONSE = new Uint8Array([
  0x12,
  0x34,
  0x81,
  0x80,
  0,
  1,
  0,
  2,
  0,
  0,
  0,
  0,
  ...QUESTION,
  ...[0xc0, 12, 0, 5, 0, 1, 0, 0, 0, 60, 0, 4, 1, 0x61, 0xc0, 25],
  ...[0xc0, 54, 0, 16, 0, 1, 0, 0, 0, 60, 0, 4, 1, 0x78, 1, 0x79],
]);

const VALID = [
  answerTxtQuery(q.bytes, ZONE)!,
  answerTxtQuery(q.bytes, new Map())!,
  CNAME_RESPONSE,
];
/** Bytes that mean something in a packet: pointers, label lengths, types. */
const SPECIAL = [
  "\xc0\x0c",
  "\xc0\x19",
  "\xc0\x36",
  "\xc0",
  "\x3f",
  "\x40",
  "\x00",
  "\x00\x05",
  "\x00\x10",
  "\xff\xff",
  "\x02",
];

/**
 * Passes allowed: a name takes at most 64 pointer jumps and 127 labels
 * (193 passes) and each answer record needs 12 bytes; the CNAME chain
 * reads at most 17 names.
 */
function limit(bytes: Uint8Array): number {
  return 24 * (bytes.length + 1) + 4096;
}

const REPLY_KINDS = ["answer", "truncated", "mismatch", "malformed"];
const ANSWER_KINDS = ["records", "nodata", "nxdomain", "tempfail"];

function checkResponse(bytes: Uint8Array): void {
  const budget = stepBudget(limit(bytes));
  const reply = parseTxtResponse(bytes, q, budget.step);
  assert(REPLY_KINDS.includes(reply.kind), reply.kind);
  if (reply.kind === "answer") {
    assert(ANSWER_KINDS.includes(reply.answer.kind), reply.answer.kind);
  }
}

function checkPieces(bytes: Uint8Array, offset: number): void {
  const names = stepBudget(200);
  const read = readName(bytes, offset % (bytes.length + 1), names.step);
  if (read) {
    assert(
      read.next > offset % (bytes.length + 1) && read.next <= bytes.length,
    );
  }
  const strings = stepBudget(bytes.length + 1);
  const split = readCharacterStrings(bytes, strings.step);
  if (split) {
    assertEquals(split.reduce((n, s) => n + 1 + s.length, 0), bytes.length);
  }
  const answers = stepBudget(200);
  const answer = answerTxtQuery(bytes, ZONE, answers.step);
  assert(answer === null || answer instanceof Uint8Array);
}

type Piece = { label: Uint8Array } | { to: number } | { fields: number[] };

/**
 * Names made of labels and pointers to the start of any piece (before or
 * after, itself included), now and then record fields: pointer chains and
 * loops are common in these. `base` is where the bytes will sit in the
 * packet.
 */
function linked(base: number): fc.Arbitrary<Uint8Array> {
  const piece: fc.Arbitrary<Piece> = fc.oneof(
    {
      arbitrary: fc.record({
        label: fc.uint8Array({ minLength: 1, maxLength: 4 }),
      }),
      weight: 3,
    },
    { arbitrary: fc.record({ to: fc.nat() }), weight: 3 },
    {
      arbitrary: fc.record({
        fields: fc.constantFrom(
          [0],
          [0, 0, 16, 0, 1, 0, 0, 0, 60, 0, 2, 1, 0x61],
          [0, 0, 5, 0, 1, 0, 0, 0, 60, 0, 2],
        ),
      }),
      weight: 1,
    },
  );
  return fc.array(piece, { minLength: 1, maxLength: 16 }).map((pieces) => {
    const starts: number[] = [];
    let at = base;
    for (const p of pieces) {
      starts.push(at);
      at += "label" in p ? 1 + p.label.length : "to" in p ? 2 : p.fields.length;
    }
    const out: number[] = [];
    for (const p of pieces) {
      if ("label" in p) out.push(p.label.length, ...p.label);
      else if ("fields" in p) out.push(...p.fields);
      else {
        const target = starts[p.to % starts.length];
        out.push(0xc0 | (target >> 8), target & 0xff);
      }
    }
    return new Uint8Array(out);
  });
}

/** A response header for `q` with any flags and counts, then any bytes. */
const headed = fc.tuple(
  fc.integer({ min: 0, max: 0xffff }),
  fc.integer({ min: 0, max: 8 }),
  fc.boolean(),
  fc.oneof(fc.uint8Array({ maxLength: 120 }), linked(42), linked(12)),
).map(([flags, ancount, question, tail]) =>
  new Uint8Array([
    0x12,
    0x34,
    (flags >> 8) | 0x80,
    flags & 0xf0, // RCODE 0: read the answers
    0,
    1,
    0,
    ancount,
    0,
    0,
    0,
    0,
    ...(question ? QUESTION : []),
    ...tail,
  ])
);

/** Valid packets edited after the question only, so they reach the answers. */
const editedAnswers = fc.tuple(
  fc.constantFrom(...VALID.map((p) => p.subarray(0, 42))),
  mutated(VALID.map((p) => p.subarray(42)), SPECIAL),
).map(([head, tail]) => new Uint8Array([...head, ...tail]));

Deno.test("parseTxtResponse() reads any packet as a reply kind in bounded loop passes, never a throw", () => {
  fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), checkResponse), {
    numRuns: 200,
    seed: 20261204,
  });
  fc.assert(fc.property(headed, checkResponse), {
    numRuns: 1000,
    seed: 20261204,
  });
  fc.assert(fc.property(mutated(VALID, SPECIAL), checkResponse), {
    numRuns: 600,
    seed: 20261204,
  });
  fc.assert(fc.property(editedAnswers, checkResponse), {
    numRuns: 600,
    seed: 20261204,
  });
});

Deno.test("readName() ends on names of pointers and labels, loops included, in at most 193 passes", () => {
  fc.assert(
    fc.property(linked(0), fc.nat({ max: 40 }), (bytes, offset) => {
      const at = offset % bytes.length;
      const read = readName(bytes, at, stepBudget(193).step);
      if (read) assert(read.next > at && read.next <= bytes.length);
    }),
    { numRuns: 1000, seed: 20261204 },
  );
});

Deno.test("readName(), readCharacterStrings() and answerTxtQuery() end on any bytes in bounded passes", () => {
  const bytes = fc.oneof(
    fc.uint8Array({ maxLength: 300 }),
    headed,
    mutated([...VALID, q.bytes], SPECIAL),
  );
  fc.assert(fc.property(bytes, fc.nat(), checkPieces), {
    numRuns: 1000,
    seed: 20261204,
  });
});

Deno.test("the valid seeds of the property tests are answers with records, NXDOMAIN and a CNAME", () => {
  const kinds = VALID.map((p) => {
    const reply = parseTxtResponse(p, q, stepBudget(limit(p)).step);
    return reply.kind === "answer" ? reply.answer.kind : reply.kind;
  });
  assertEquals(kinds, ["records", "nxdomain", "records"]);
});
