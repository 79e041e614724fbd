/**
 * Differential tests against the real ucspi-tcp: random rule files compiled
 * by dk and by tcprules must be the same bytes, and random clients looked up
 * by dk and by tcprulescheck must get the same rule, action and variables.
 * Replay a failure with DK_RULES_SEED=N (the seed is in the test names).
 */

import { assertEquals, assertStrictEquals } from "./helpers/assert.ts";
import { compileRules } from "../rules/compile.ts";
import { cdbOpen } from "../rules/cdb_read.ts";
import { fromText } from "../rules/bytes.ts";
import { decide } from "../rules/lookup.ts";
import { parseRules } from "../rules/parse.ts";
import { badLine, client, Rng, ruleFile, seedFromEnv } from "./rules_gen.ts";

const SEED = seedFromEnv();
const FILES = 300;
const LOOKUP_FILES = 60;
const LOOKUPS_PER_FILE = 40;
const CONCURRENCY = 8;
const HAVE_PEERS = (() => {
  try {
    Deno.statSync("/usr/bin/tcprules");
    Deno.statSync("/usr/bin/tcprulescheck");
    return true;
  } catch {
    return false;
  }
})();

async function tcprules(
  dir: string,
  source: Uint8Array,
): Promise<{ code: number; cdb?: Uint8Array; stderr: string }> {
  const child = new Deno.Command("/usr/bin/tcprules", {
    args: [`${dir}/ref.cdb`, `${dir}/ref.tmp`],
    stdin: "piped",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(source);
  await writer.close();
  const { code, stderr } = await child.output();
  const text = new TextDecoder().decode(stderr);
  if (code !== 0) return { code, stderr: text };
  return { code, cdb: await Deno.readFile(`${dir}/ref.cdb`), stderr: text };
}

interface Answer {
  rule: string | null;
  action: "allow" | "deny";
  sets: [string, string][];
}

async function tcprulescheck(
  cdbPath: string,
  c: { ip: string; host?: string; info?: string },
): Promise<Answer> {
  const env: Record<string, string> = { TCPREMOTEIP: c.ip };
  if (c.host !== undefined) env.TCPREMOTEHOST = c.host;
  if (c.info !== undefined) env.TCPREMOTEINFO = c.info;
  const out = await new Deno.Command("/usr/bin/tcprulescheck", {
    args: [cdbPath],
    env,
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (out.code !== 0) {
    throw new Error(
      `tcprulescheck failed: ${new TextDecoder().decode(out.stderr)}`,
    );
  }
  const lines = new TextDecoder().decode(out.stdout).split("\n").filter((l) =>
    l !== ""
  );
  const head = lines.shift()!;
  const rule = head === "default:" ? null : head.slice("rule ".length, -1);
  const action = lines.pop() === "deny connection" ? "deny" : "allow";
  const sets = lines.map((l): [string, string] => {
    const body = l.slice("set environment variable ".length);
    const eq = body.indexOf("=");
    return [body.slice(0, eq), body.slice(eq + 1)];
  });
  return { rule, action, sets };
}

async function pool<T>(
  items: T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const runners = Array.from({ length: limit }, async () => {
    while (next < items.length) await work(items[next++]);
  });
  await Promise.all(runners);
}

Deno.test({
  name:
    `compile writes tcprules' bytes for ${FILES} random rule files (seed ${SEED})`,
  ignore: !HAVE_PEERS,
  async fn() {
    const rng = new Rng(SEED);
    const dir = await Deno.makeTempDir({ prefix: "dk-rules-diff-" });
    try {
      for (let i = 0; i < FILES; i++) {
        const source = fromTextBytes(ruleFile(rng, 1 + rng.int(60)));
        const ref = await tcprules(dir, source);
        const mine = compileRules(source);
        const where = `seed ${SEED}, file ${i}:\n${
          new TextDecoder().decode(source)
        }`;
        assertStrictEquals(
          ref.code,
          0,
          `tcprules refused a generated file (${where}): ${ref.stderr}`,
        );
        assertStrictEquals(
          mine.ok,
          true,
          `dk refused (${where}): ${JSON.stringify(mine)}`,
        );
        if (!mine.ok) continue;
        assertEquals(mine.value.cdb, ref.cdb, `cdb bytes differ (${where})`);
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name:
    `compile refuses every line tcprules refuses, naming that line (seed ${SEED})`,
  ignore: !HAVE_PEERS,
  async fn() {
    const rng = new Rng(SEED ^ 0x5bad);
    const dir = await Deno.makeTempDir({ prefix: "dk-rules-bad-" });
    try {
      for (let i = 0; i < 60; i++) {
        const lines = ruleFile(rng, 1 + rng.int(20)).split("\n");
        const at = rng.int(lines.length);
        const bad = badLine(rng);
        lines.splice(at, 0, bad);
        const source = fromTextBytes(lines.join("\n"));
        const ref = await tcprules(dir, source);
        const mine = compileRules(source);
        const where = `seed ${SEED}, case ${i}, bad line ${at + 1}: ${
          JSON.stringify(bad)
        }`;
        assertStrictEquals(ref.code, 100, `tcprules accepted (${where})`);
        assertStrictEquals(mine.ok, false, `dk accepted (${where})`);
        if (!mine.ok) assertStrictEquals(mine.error.line, at + 1, where);
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name: `check agrees with tcprulescheck on ${
    LOOKUP_FILES * LOOKUPS_PER_FILE
  } random clients (seed ${SEED})`,
  ignore: !HAVE_PEERS,
  async fn() {
    const rng = new Rng(SEED ^ 0x10c0);
    const dir = await Deno.makeTempDir({ prefix: "dk-rules-check-" });
    const seen = { rule: 0, deny: 0, variables: 0 };
    try {
      for (let f = 0; f < LOOKUP_FILES; f++) {
        const source = fromTextBytes(ruleFile(rng, 5 + rng.int(80)));
        const ref = await tcprules(dir, source);
        assertStrictEquals(ref.code, 0, ref.stderr);
        const cdbPath = `${dir}/f${f}.cdb`;
        await Deno.writeFile(cdbPath, ref.cdb!);
        const opened = cdbOpen(ref.cdb!);
        assertStrictEquals(opened.ok, true);
        if (!opened.ok) continue;
        const parsed = parseRules(source);
        if (!parsed.ok) throw new Error(parsed.error.message);
        const first = new Map<string, string>();
        for (const rule of parsed.value.rules) {
          for (const key of rule.keys) {
            if (!first.has(key)) first.set(key, rule.data);
          }
        }
        const clients = Array.from(
          { length: LOOKUPS_PER_FILE },
          () => client(rng),
        );
        await pool(clients, CONCURRENCY, async (c) => {
          const want = await tcprulescheck(cdbPath, c);
          const bytesClient = {
            ip: fromText(c.ip),
            host: c.host === undefined ? undefined : fromText(c.host),
            info: c.info === undefined ? undefined : fromText(c.info),
          };
          const fromCdb = decide(bytesClient, (k) => opened.value.find(k));
          const fromSource = decide(bytesClient, (k) => first.get(k) ?? null);
          const where = `seed ${SEED}, file ${f}, client ${JSON.stringify(c)}`;
          if (want.rule !== null) seen.rule++;
          if (want.action === "deny") seen.deny++;
          if (want.sets.length > 0) seen.variables++;
          for (const got of [fromCdb, fromSource]) {
            assertEquals(
              {
                rule: got.rule,
                action: got.action,
                sets: got.action === "deny" ? [] : got.sets,
              },
              want,
              where,
            );
          }
        });
      }
      // The generator must exercise matches, denials and variables.
      const total = LOOKUP_FILES * LOOKUPS_PER_FILE;
      assertStrictEquals(
        seen.rule > total / 4,
        true,
        `few matches: ${JSON.stringify(seen)}`,
      );
      assertStrictEquals(
        seen.deny > total / 20,
        true,
        `few denials: ${JSON.stringify(seen)}`,
      );
      assertStrictEquals(
        seen.variables > total / 20,
        true,
        `few variables: ${JSON.stringify(seen)}`,
      );
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

function fromTextBytes(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}
