import { assertEquals } from "../../tests/helpers/assert.ts";
import { memoResolver } from "./memo_resolver.ts";
import { memoryResolver } from "./memory_resolver.ts";

Deno.test("memoResolver() asks each name once, whatever its case or final dot", async () => {
  const inner = memoryResolver({ "s._domainkey.example.com": [["p="]] });
  const memo = memoResolver(inner);
  const a = await memo.txt("s._domainkey.example.com");
  const b = await memo.txt("S._domainkey.Example.COM.");
  await memo.txt("t._domainkey.example.com");
  assertEquals(a, b);
  assertEquals(inner.queries, [
    "s._domainkey.example.com",
    "t._domainkey.example.com",
  ]);
  assertEquals(memo.asked, inner.queries);
});

Deno.test("memoResolver() turns a throwing resolver into tempfail", async () => {
  const memo = memoResolver({
    txt: () => Promise.reject(new Error("boom")),
  });
  assertEquals((await memo.txt("x.example")).kind, "tempfail");
});
