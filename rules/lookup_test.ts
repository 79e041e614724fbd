import { assertEquals } from "../tests/helpers/assert.ts";
import { applyData, candidateKeys, decide } from "./lookup.ts";

Deno.test("candidateKeys() follows rules.c's order", () => {
  assertEquals(
    candidateKeys({ ip: "1.2.3.4", host: "a.b.example.net", info: "joe" }),
    [
      "joe@1.2.3.4",
      "joe@=a.b.example.net",
      "1.2.3.4",
      "=a.b.example.net",
      "1.2.3.",
      "1.2.",
      "1.",
      "=.b.example.net",
      "=.example.net",
      "=.net",
      "=",
      "",
    ],
  );
  assertEquals(candidateKeys({ ip: "1.2.3.4" }), [
    "1.2.3.4",
    "1.2.3.",
    "1.2.",
    "1.",
    "",
  ]);
});

Deno.test("applyData() denies on D and sets + variables in order", () => {
  assertEquals(applyData("k", "D\0+X=1\0"), {
    action: "deny",
    rule: "k",
    sets: [],
    env: {},
  });
  assertEquals(applyData("k", "+X=1\0+Y=\0+X=2\0junk\0+Z=cut"), {
    action: "allow",
    rule: "k",
    sets: [["X", "1"], ["Y", ""], ["X", "2"]],
    env: { X: "2", Y: "" },
  });
});

Deno.test("applyData() keeps __proto__ as a plain variable name", () => {
  const d = applyData("", "+__proto__=x\0");
  assertEquals(Object.keys(d.env), ["__proto__"]);
});

Deno.test("decide() takes the first key found, else allows with nothing", () => {
  const table = new Map([["1.2.", "+A=1\0"], ["", "D\0"]]);
  const find = (k: string) => table.get(k) ?? null;
  assertEquals(decide({ ip: "1.2.3.4" }, find).rule, "1.2.");
  assertEquals(decide({ ip: "9.9.9.9" }, find).action, "deny");
  assertEquals(decide({ ip: "9.9.9.9" }, () => null), {
    action: "allow",
    rule: null,
    sets: [],
    env: {},
  });
});
