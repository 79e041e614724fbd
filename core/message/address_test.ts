import { assertEquals } from "../../tests/helpers/assert.ts";
import { parseMailbox, sendingAddress } from "./address.ts";
import { splitFields } from "./header.ts";

const te = new TextEncoder();
const fields = (text: string) => splitFields(te.encode(text));
const list = (text: string) => [...fields(text)];

const MAILBOXES: [string, string | null][] = [
  ["alice@example.com", "alice@example.com"],
  ["Alice <alice@example.com>", "alice@example.com"],
  ['"Smith, Alice" <alice@example.com>', "alice@example.com"],
  ["alice@example.com (Alice <x@y.z>)", "alice@example.com"],
  ["(comment) Alice <alice(c)@example.com>", "alice@example.com"],
  ["a@one.example, b@two.example", "a@one.example"],
  ['"a b"@example.com', "a b@example.com"],
  ["undisclosed-recipients:;", null],
  ["no address", null],
  ["alice@", null],
  ["Team: a@one.example, b@two.example;", "a@one.example"],
];

for (const [text, expected] of MAILBOXES) {
  Deno.test(`parseMailbox() reads ${JSON.stringify(text)}`, () => {
    const m = parseMailbox(text);
    assertEquals(m === null ? null : `${m.local}@${m.domain}`, expected);
  });
}

Deno.test("sendingAddress() prefers Sender over From", () => {
  const r = sendingAddress(
    fields("From: a@from.example\nSender: s@sender.example\n"),
  );
  assertEquals(r.ok && r.value, {
    local: "s",
    domain: "sender.example",
    header: "sender",
  });
});

Deno.test("sendingAddress() unfolds a folded From", () => {
  const r = sendingAddress(fields("From: Alice\n <alice@example.com>\n"));
  assertEquals(r.ok && r.value.domain, "example.com");
});

Deno.test("sendingAddress() refuses no From, two From, two Sender", () => {
  assertEquals(sendingAddress(fields("Sender: s@x.example\n")).ok, false);
  assertEquals(
    sendingAddress(fields("From: a@x.example\nfrom: b@x.example\n")).ok,
    false,
  );
  assertEquals(
    sendingAddress(
      fields("From: a@x.example\nSender: b@x.example\nSender: c@x.example\n"),
    ).ok,
    false,
  );
});

Deno.test("splitFields() keeps continuation lines and lines without a colon", () => {
  const f = list("A: 1\n 2\nno colon\r\nB:3");
  assertEquals(f.map((x) => [x.name, x.hasColon]), [["A", true], [
    "no colon",
    false,
  ], ["B", true]]);
  assertEquals(new TextDecoder().decode(f[0].raw), "A: 1\n 2\n");
});
