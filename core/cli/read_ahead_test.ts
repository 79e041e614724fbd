import { assertEquals } from "../../tests/helpers/assert.ts";
import { readAhead } from "./read_ahead.ts";

/** A source that records when each item is asked for and taken. */
function source(items: number[], failAfter = Infinity) {
  const log: string[] = [];
  let closed = false;
  const iterable: AsyncIterable<number> = {
    [Symbol.asyncIterator]: () => {
      let at = 0;
      return {
        next() {
          log.push(`ask ${at}`);
          if (at >= failAfter) return Promise.reject(new Error("gone"));
          if (at >= items.length) {
            return Promise.resolve({ done: true, value: undefined });
          }
          return Promise.resolve({ done: false, value: items[at++] });
        },
        return() {
          closed = true;
          return Promise.resolve({ done: true, value: undefined });
        },
      };
    },
  };
  return { iterable, log, closed: () => closed };
}

Deno.test("readAhead() gives every item in order, asking for the next before handing out this one", async () => {
  const s = source([1, 2, 3]);
  const seen: number[] = [];
  for await (const item of readAhead(s.iterable)) {
    s.log.push(`take ${item}`);
    seen.push(item);
  }
  assertEquals(seen, [1, 2, 3]);
  assertEquals(s.log, [
    "ask 0",
    "ask 1",
    "take 1",
    "ask 2",
    "take 2",
    "ask 3",
    "take 3",
  ]);
  assertEquals(s.closed(), false);
});

Deno.test("readAhead() throws a source error after the items before it, and unhandled never", async () => {
  const s = source([1, 2, 3], 2);
  const seen: number[] = [];
  let error = "";
  try {
    for await (const item of readAhead(s.iterable)) {
      seen.push(item);
      // A turn of the event loop while the failed next one waits.
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  } catch (e) {
    error = (e as Error).message;
  }
  assertEquals([seen, error], [[1, 2], "gone"]);
});

Deno.test("readAhead() closes the source when the consumer stops early", async () => {
  const s = source([1, 2, 3]);
  for await (const item of readAhead(s.iterable)) if (item === 2) break;
  assertEquals(s.closed(), true);
});
