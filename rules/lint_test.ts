import { assertEquals } from "../tests/helpers/assert.ts";
import { lintRules } from "./lint.ts";
import { parseRules } from "./parse.ts";

function codes(text: string): [number, string][] {
  const parsed = parseRules(new TextEncoder().encode(text));
  if (!parsed.ok) throw new Error(parsed.error.message);
  return lintRules(parsed.value).map((f) => [f.line, f.code]);
}

Deno.test("lintRules() finds nothing in a clean file", () => {
  assertEquals(
    codes(
      '# c\n127.:allow,X=""\n1.2.3.4:deny\n=.example.com:allow\njoe@=h.x:allow\n10.1-3.:allow\n:allow\n',
    ),
    [],
  );
});

Deno.test("lintRules() reports a line without a colon", () => {
  assertEquals(codes("127.0.0.1 allow\n:allow\n"), [[1, "no-colon"]]);
});

Deno.test("lintRules() reports an address with spaces", () => {
  assertEquals(codes(" 127.:allow\n:allow\n"), [[1, "address-space"]]);
});

Deno.test("lintRules() reports a value quoted by a letter or digit", () => {
  assertEquals(codes("127.:allow,X=1a1\n:allow\n"), [[1, "odd-quote"]]);
});

Deno.test("lintRules() reports a rule shadowed by an earlier one with the same address", () => {
  assertEquals(
    codes(
      "127.:allow\n127.:deny\n1.2.3.1-5:allow\n1.2.3.4:deny\n1.2.3.4-9:deny\n:allow\n",
    ),
    [
      [2, "shadowed"],
      [4, "shadowed"],
      [5, "shadowed"],
    ],
  );
});

Deno.test("lintRules() reports addresses tcpserver never looks up", () => {
  assertEquals(
    codes(
      "10.0.0.0/8:allow\n1.2.3:allow\n010.1.2.3:allow\njoe@:allow\n:allow\n",
    ),
    [
      [1, "never-matches"],
      [2, "never-matches"],
      [3, "never-matches"],
      [4, "never-matches"],
    ],
  );
});

Deno.test("lintRules() reports an empty range and variables on deny", () => {
  assertEquals(codes('1.2.3.9-2:allow\n1.:deny,X="1"\n:allow\n'), [[
    1,
    "empty-range",
  ], [2, "deny-variables"]]);
});

Deno.test("lintRules() reports a missing default rule at the last line", () => {
  assertEquals(codes("127.:allow\n# end\n"), [[2, "no-default"]]);
});
