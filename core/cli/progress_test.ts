import { assertEquals } from "../../tests/helpers/assert.ts";
import { REDRAW_MS, SHOW_AFTER_MS, startProgress } from "./progress.ts";

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

Deno.test("startProgress() draws nothing before 2 s, then a counter line it can clear and leaves at the end", async () => {
  let ms = 0;
  const written: string[] = [];
  const progress = startProgress({
    enabled: true,
    label: "dk verify",
    write: (t) => written.push(t),
    now: () => ms,
  });
  for (let i = 0; i < 3000; i++) progress.tick();
  await wait(REDRAW_MS * 1.5);
  assertEquals(written, []); // a short run shows nothing
  progress.clear();
  assertEquals(written, []);
  ms = SHOW_AFTER_MS + 1000;
  await wait(REDRAW_MS * 1.5);
  assertEquals(
    written.at(-1),
    "\rdk verify: 3000 messages, 1000/s, 3.0 s\x1b[K",
  );
  progress.clear();
  assertEquals(written.at(-1), "\r\x1b[K");
  progress.tick();
  progress.end();
  assertEquals(
    written.at(-1),
    "\rdk verify: 3001 messages, 1000/s, 3.0 s\x1b[K\n",
  );
});

Deno.test("startProgress() disabled writes nothing and leaves no timer", async () => {
  const written: string[] = [];
  const progress = startProgress({
    enabled: false,
    label: "dk verify",
    write: (t) => written.push(t),
    now: () => 1e9,
  });
  progress.tick();
  await wait(REDRAW_MS * 1.5);
  progress.end();
  assertEquals(written, []);
});

Deno.test("startProgress() that never showed ends without a line", () => {
  const written: string[] = [];
  const progress = startProgress({
    enabled: true,
    label: "x",
    write: (t) => written.push(t),
    now: () => 0,
  });
  progress.end();
  assertEquals(written, []);
});
