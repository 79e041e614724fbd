import { assertEquals, assertStrictEquals } from "../tests/helpers/assert.ts";
import { cdbMake } from "./cdb_write.ts";
import { compileRules } from "./compile.ts";
import { parseRules, records } from "./parse.ts";

const enc = (s: string) => new TextEncoder().encode(s);

Deno.test("compileRules() gives the same bytes as parseRules() and cdbMake()", () => {
  const text =
    '# x\n1.2.3.1-40:allow,A="1",B=""\n=h:deny,C="x"\n j@=x:allow\n:allow\n';
  const compiled = compileRules(enc(text));
  const parsed = parseRules(enc(text));
  if (!compiled.ok || !parsed.ok) throw new Error("refused");
  const made = cdbMake(records(parsed.value));
  if (!made.ok) throw new Error(made.error);
  assertEquals(compiled.value.cdb, made.value);
  assertStrictEquals(compiled.value.rules, 4);
  assertStrictEquals(compiled.value.records, 43);
  assertEquals(compiled.value.warnings.map((w) => w.line), [4]);
});

Deno.test("compileRules() refuses what parseRules() refuses, with the line", () => {
  const compiled = compileRules(enc('1.:allow\n2.:allow,X="\n'));
  assertStrictEquals(compiled.ok, false);
  if (!compiled.ok) assertStrictEquals(compiled.error.line, 2);
});

Deno.test("compileRules() of an empty file is an empty cdb", () => {
  const compiled = compileRules(new Uint8Array());
  if (!compiled.ok) throw new Error("refused");
  assertStrictEquals(compiled.value.cdb.length, 2048);
});
