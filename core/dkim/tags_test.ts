import { assert, assertEquals } from "../../tests/helpers/assert.ts";
import { base64Value, listValue, parseTagList, plainValue } from "./tags.ts";

Deno.test("parseTagList() reads RFC 6376 3.2 lists with FWS around parts", () => {
  const text = " v = 1 ;\r\n\ta=rsa-sha256; x_1=A ;; ";
  const list = parseTagList(text);
  assert(list.ok);
  assertEquals(list.value.tags.map((t) => [t.name, t.value]), [
    ["v", "1"],
    ["a", "rsa-sha256"],
    ["x_1", "A"],
  ]);
  const a = list.value.byName.get("a")!;
  assertEquals(text.slice(a.valueStart, a.valueEnd), "rsa-sha256");
});

Deno.test("parseTagList() refuses repeats, bad names, no '=' and controls", () => {
  for (
    const text of ["a=1; a=2", "1a=x", "_a=1", "a-b=1", "v", "a=\x01", "a=1;b"]
  ) {
    assert(!parseTagList(text).ok, JSON.stringify(text));
  }
});

Deno.test("parseTagList() keeps name case: V=1 is another tag than v", () => {
  const list = parseTagList("V=1; v=2");
  assert(list.ok);
  assertEquals(list.value.byName.get("v")?.value, "2");
});

Deno.test("base64Value() drops FWS and is strict", () => {
  assertEquals(
    base64Value(" YW\r\n\tJj ZA== "),
    new TextEncoder().encode("abcd"),
  );
  assertEquals(base64Value(""), new Uint8Array());
  assertEquals(base64Value("YWJjZA"), null);
  assertEquals(base64Value("YW=jZA=="), null);
  assertEquals(base64Value("YWJj*A=="), null);
});

Deno.test("listValue() trims around separators; plainValue() refuses inner space", () => {
  assertEquals(listValue("from : To\r\n :subject", ":"), [
    "from",
    "To",
    "subject",
  ]);
  assertEquals(listValue("from::to", ":"), null);
  assertEquals(listValue("fr om", ":"), null);
  assertEquals(plainValue("a b"), null);
  assertEquals(plainValue("ab"), "ab");
});
