import { assertEquals, assertStrictEquals } from "../tests/helpers/assert.ts";
import { scanRules } from "./scan.ts";

const enc = (s: string) => new TextEncoder().encode(s);

Deno.test("scanRules() hands each rule to the visitor as offsets into the bytes", () => {
  const src = enc('# c\n1.2.3.4-6:deny,A="x"\n');
  const seen: unknown[] = [];
  const r = scanRules(src, (s) => {
    seen.push([
      s.line,
      s.deny,
      s.addrStart,
      s.addrEnd,
      [...s.vars.subarray(0, 4)],
      s.left,
      s.right,
      s.bot,
      s.top,
    ]);
  });
  assertStrictEquals(r.ok, true);
  assertEquals(seen, [[2, true, 4, 13, [19, 20, 22, 23], 10, 13, 4, 6]]);
});

Deno.test("scanRules() counts a last line without LF and stops at the first refused line", () => {
  const r = scanRules(enc("1.:allow\n2.:allow"), () => {});
  assertEquals(r, { ok: true, value: { warnings: [], lines: 2 } });
  let visited = 0;
  const bad = scanRules(enc("1.:allow\n2.:nope\n3.:allow\n"), () => visited++);
  assertStrictEquals(bad.ok, false);
  assertStrictEquals(visited, 1);
});

Deno.test("scanRules() grows its variable table for many variables", () => {
  const vars = Array.from({ length: 40 }, (_, i) => `,V${i}="${i}"`).join("");
  let count = 0;
  scanRules(enc(`1.:allow${vars}\n`), (s) => count = s.varCount);
  assertStrictEquals(count, 40);
});
