import { assertEquals } from "../../tests/helpers/assert.ts";
import {
  CleanedFeed,
  droppedRanges,
  keptParts,
  withoutRanges,
} from "./cleaned_feed.ts";
import { concat } from "../bytes.ts";
import { splitFields } from "../message/header.ts";

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);

/** Feeds `message` in chunks of `size`; what the sink got and what was cut. */
function run(message: string, size: number, dropName: string) {
  const got: Uint8Array[] = [];
  let chosen = 0;
  const feed = new CleanedFeed(() => {
    chosen++;
    return {
      drop: (f) => f.lower === dropName,
      sinks: [{ update: (c: Uint8Array) => got.push(c.slice()) }],
    };
  });
  const bytes = enc(message);
  for (let at = 0; at < bytes.length; at += size) {
    feed.update(bytes.subarray(at, at + size));
  }
  feed.end();
  return { text: dec(concat(...got)), dropped: feed.dropped, chosen };
}

Deno.test("CleanedFeed feeds the message without the dropped fields, whatever the chunking", () => {
  const message = "X-A: 1\nDKIM-Status: forged\n\tfolded\nFrom: a@b.example\n" +
    "dkim-status: again\n\nbody\nDKIM-Status: not a header\n";
  const want = "X-A: 1\nFrom: a@b.example\n\nbody\nDKIM-Status: not a header\n";
  for (const size of [1, 2, 3, 7, 16, 1000]) {
    const r = run(message, size, "dkim-status");
    assertEquals(r.text, want, `chunks of ${size}`);
    assertEquals(r.chosen, 1);
    assertEquals(r.dropped, [[7, 35], [53, 72]]);
  }
});

Deno.test("CleanedFeed handles a message without an empty line and one without fields to drop", () => {
  assertEquals(run("A: 1\nB: 2\n", 3, "b").text, "A: 1\n");
  assertEquals(run("A: 1\n\nb\n", 2, "c").text, "A: 1\n\nb\n");
  assertEquals(run("", 2, "c").text, "");
});

async function* chunksOf(b: Uint8Array, size: number) {
  for (let at = 0; at < b.length; at += size) yield b.subarray(at, at + size);
}

Deno.test("withoutRanges() cuts ranges across chunk borders and keeps the rest", async () => {
  const text = "0123456789abcdefghij";
  const ranges = [[2, 5], [9, 13], [19, 30]] as const;
  const want = "01" + "5678" + "defghi";
  for (const size of [1, 3, 4, 20]) {
    const out: Uint8Array[] = [];
    for await (const c of withoutRanges(chunksOf(enc(text), size), ranges)) {
      out.push(c);
    }
    assertEquals(dec(concat(...out)), want, `chunks of ${size}`);
  }
});

Deno.test("droppedRanges() gives the picked fields' spans, continuation lines and line ends included", () => {
  const section = enc("A: 1\r\nB: 2\r\n\tmore\r\nC: 3\r\nb: 4\r\n");
  // A view into a larger buffer: offsets are still the section's own.
  const padded = new Uint8Array(section.length + 5);
  padded.set(section, 5);
  for (const bytes of [section, padded.subarray(5)]) {
    const fields = splitFields(bytes);
    assertEquals(droppedRanges(fields, (f) => f.lower === "b"), [
      [6, 19],
      [25, 31],
    ]);
    assertEquals(droppedRanges(fields, () => false), []);
  }
});

Deno.test("keptParts() keeps what lies outside the ranges, the last part even when empty", () => {
  const bytes = enc("0123456789");
  const kept = (ranges: [number, number][]) =>
    keptParts(bytes, ranges).map(dec);
  assertEquals(kept([[2, 4], [4, 6], [8, 10]]), ["01", "67", ""]);
  assertEquals(kept([[0, 3]]), ["3456789"]);
  assertEquals(kept([]), ["0123456789"]);
});

Deno.test("CleanedFeed never drops the field the 1 MiB header limit cuts through, only whole ones", () => {
  // A dropped field early, filler up to the limit, and a DKIM-Status field
  // that straddles it: the first goes, the straddling one stays whole.
  const filler = "X-Filler: " + "a".repeat(70) + "\n";
  const head = "DKIM-Status: early\n" +
    filler.repeat(Math.floor((1024 * 1024 - 40) / filler.length));
  const message = head + "DKIM-Status: " + "b".repeat(200) + "\n\nbody\n";
  const r = run(message, 65536, "dkim-status");
  assertEquals(r.text, message.slice("DKIM-Status: early\n".length));
  assertEquals(r.dropped, [[0, 19]]);
});
