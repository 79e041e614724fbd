import { assertEquals } from "../tests/helpers/assert.ts";
import { after } from "./timer.ts";

Deno.test("after() calls the function once after the delay", async () => {
  let calls = 0;
  after(20, () => calls++);
  const hold = new Promise((resolve) => after(60, () => resolve(null)));
  // Keep the event loop busy while unref'd timers run.
  const ticker = setInterval(() => {}, 5);
  await hold;
  clearInterval(ticker);
  assertEquals(calls, 1);
});

Deno.test("after() does nothing once cancelled", async () => {
  let calls = 0;
  const cancel = after(10, () => calls++);
  cancel();
  const ticker = setInterval(() => {}, 5);
  await new Promise((resolve) => after(40, () => resolve(null)));
  clearInterval(ticker);
  assertEquals(calls, 0);
});
