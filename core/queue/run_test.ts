import { assertEquals } from "../../tests/helpers/assert.ts";
import { exitForException, runQueue } from "./run.ts";
import { DEPTH_VARIABLE, MAX_DEPTH } from "./self.ts";
import { QUEUE_EXIT } from "../status.ts";
import type { ByteReader } from "./spool.ts";

/** An environment lookup over a plain object. */
const envOf = (vars: Record<string, string>) => (name: string) => vars[name];

/** fd 0 that never ends (a client that stalls). */
const stalled: ByteReader = { read: () => new Promise(() => {}) };

/** fd 0 whose read fails. */
const broken: ByteReader = {
  read: () => Promise.reject(new Error("Input/output error")),
};

Deno.test("runQueue() refuses to go deeper than MAX_DEPTH nested dk runs: 81", async () => {
  const code = await runQueue({
    env: envOf({ [DEPTH_VARIABLE]: String(MAX_DEPTH) }),
    argv0: "qmail-dk",
    stdin: stalled,
  });
  assertEquals(code, QUEUE_EXIT.internalBug);
});

Deno.test("runQueue() ends with 52 when the deadline passes before the message ends", async () => {
  const started = performance.now();
  const code = await runQueue({
    env: envOf({ DK_QUEUE_TIMEOUT: "1", DKVERIFY: "" }),
    argv0: "qmail-dk",
    stdin: stalled,
  });
  assertEquals(code, QUEUE_EXIT.timeout);
  assertEquals(performance.now() - started < 10_000, true);
});

Deno.test("runQueue() answers a read error on fd 0 with 54, in every mode", async () => {
  const modes: Record<string, string>[] = [{}, { DKVERIFY: "" }, {
    RELAYCLIENT: "",
    DKSIGN: "/nonexistent/%/k",
  }];
  for (const env of modes) {
    const code = await runQueue({
      env: envOf(env),
      argv0: "qmail-dk",
      stdin: broken,
    });
    assertEquals(code, QUEUE_EXIT.readError, JSON.stringify(env));
  }
});

Deno.test("exitForException(): 51 for a failed allocation, 81 for anything else", () => {
  assertEquals(
    exitForException(new RangeError("Array buffer allocation failed")),
    QUEUE_EXIT.outOfMemory,
  );
  assertEquals(exitForException(new RangeError("Invalid array length")), 81);
  assertEquals(exitForException(new TypeError("x is undefined")), 81);
  assertEquals(exitForException("thrown text"), 81);
});
