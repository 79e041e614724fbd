import { assertEquals } from "../../tests/helpers/assert.ts";
import { fieldsAt, hOrder, messageOrder, sameOrder } from "./header_order.ts";
import { splitFields } from "../message/header.ts";

const te = new TextEncoder();

/** The field lines (without line end) in the order given by `indices`. */
function lines(
  text: string,
  pick: (f: ReturnType<typeof splitFields>) => number[],
) {
  const fields = splitFields(te.encode(text));
  return pick(fields).map((i) =>
    new TextDecoder().decode(fields.at(i)!.raw).trimEnd()
  );
}

const MESSAGE = "DomainKey-Signature: x\n" +
  "Received: r1\nFrom: a@example.com\nReceived: r2\nTo: b\nSubject: s\n" +
  " folded\nno colon\n";

Deno.test("messageOrder() takes the named headers below the signature, every occurrence, in message order", () => {
  assertEquals(
    lines(MESSAGE, (f) => messageOrder(f, 0, new Set(["received", "subject"]))),
    ["Received: r1", "Received: r2", "Subject: s\n folded"],
  );
  assertEquals(lines(MESSAGE, (f) => messageOrder(f, 0, null)).length, 6);
});

// Known answers worked by hand from Mail::DKIM's rule (domainkeys.md 1.4).
const CASES: [string, string, string[]][] = [
  ["names in another order", "subject:from:to", [
    "Subject: s\n folded",
    "From: a@example.com",
    "To: b",
  ]],
  [
    "a name once in h=, twice in the message: both, in message order",
    "subject:received:from",
    [
      "Subject: s\n folded",
      "Received: r1",
      "Received: r2",
      "From: a@example.com",
    ],
  ],
  [
    "a name twice in h=: the last one takes the last header",
    "received:from:received",
    [
      "Received: r1",
      "From: a@example.com",
      "Received: r2",
    ],
  ],
  [
    "a name three times in h=, twice in the message",
    "received:from:received:received",
    [
      "From: a@example.com",
      "Received: r1",
      "Received: r2",
    ],
  ],
  [
    "names absent from the message are skipped, case is ignored",
    "X-None:TO:From",
    [
      "To: b",
      "From: a@example.com",
    ],
  ],
];

for (const [name, h, expected] of CASES) {
  Deno.test(`hOrder(): ${name}`, () => {
    assertEquals(
      lines(MESSAGE, (f) => hOrder(f, 0, h.toLowerCase().split(":"))),
      expected,
    );
  });
}

Deno.test("hOrder() and messageOrder() agree when h= lists the headers as they occur", () => {
  const fields = splitFields(te.encode(MESSAGE));
  const names = ["received", "from", "received", "to", "subject"];
  assertEquals(
    sameOrder(
      hOrder(fields, 0, names),
      messageOrder(fields, 0, new Set(names)),
    ),
    true,
  );
  assertEquals(sameOrder([1, 2], [2, 1]), false);
});

Deno.test("fieldsAt() gives the fields at the indices in their order, afresh on each iteration", () => {
  const fields = splitFields(te.encode(MESSAGE));
  const picked = fieldsAt(fields, [3, 1, 3]);
  const names = () => [...picked].map((f) => f.name);
  assertEquals(names(), ["Received", "Received", "Received"]);
  assertEquals(
    [...picked].map((f) => new TextDecoder().decode(f.raw).trimEnd()),
    ["Received: r2", "Received: r1", "Received: r2"],
  );
  assertEquals(names().length, 3);
  assertEquals([...fieldsAt(fields, [])], []);
});
