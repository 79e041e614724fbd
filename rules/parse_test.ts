import { assertEquals, assertStrictEquals } from "../tests/helpers/assert.ts";
import { parseRules, records, type RuleFile } from "./parse.ts";

const enc = (s: string) => new TextEncoder().encode(s);

function parsed(text: string): RuleFile {
  const r = parseRules(enc(text));
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

function refused(text: string): { line: number; message: string } {
  const r = parseRules(enc(text));
  if (r.ok) throw new Error(`accepted: ${JSON.stringify(text)}`);
  return r.error;
}

Deno.test("parseRules() reads the verified example of domainkeys.md 4.3", () => {
  const file = parsed('127.:allow,RELAYCLIENT="",DKSIGN="/k/%/private"\n');
  assertEquals(file.rules[0], {
    line: 1,
    address: "127.",
    action: "allow",
    env: [["RELAYCLIENT", ""], ["DKSIGN", "/k/%/private"]],
    keys: ["127."],
    data: "+RELAYCLIENT=\0+DKSIGN=/k/%/private\0",
  });
});

Deno.test("parseRules() keeps line numbers across comments, blanks and skipped lines", () => {
  const file = parsed("# c\n\n1.2.3.4:deny\n   \n=host:allow\n:allow");
  assertEquals(file.rules.map((r) => [r.line, r.address, r.data]), [
    [3, "1.2.3.4", "D\0"],
    [5, "=host", ""],
    [6, "", ""],
  ]);
  assertStrictEquals(file.lines, 6);
});

Deno.test("parseRules() takes every address form byte for byte", () => {
  const forms = [
    "1.2.3.4",
    "10.",
    "=mail.example.com",
    "=.example.net",
    "=",
    "joe@1.2.3.4",
    "joe@=h",
    "",
  ];
  const file = parsed(forms.map((a) => `${a}:allow`).join("\n"));
  assertEquals(file.rules.map((r) => r.keys), forms.map((a) => [a]));
});

Deno.test("parseRules() expands ranges as tcprules does", () => {
  const keys = (a: string) => parsed(`${a}:allow\n`).rules[0].keys;
  assertEquals(keys("1.2.3.9-11"), ["1.2.3.9", "1.2.3.10", "1.2.3.11"]);
  assertEquals(keys("1.2-3."), ["1.2.", "1.3."]);
  assertEquals(keys("1.2.-1.x"), ["1.2.0.x", "1.2.1.x"]);
  assertEquals(keys("1.2.3.254-900"), ["1.2.3.254", "1.2.3.255"]);
  assertEquals(keys("1.2.3.5-4"), []);
  assertEquals(keys("1-2.3-4."), ["1.3-4.", "2.3-4."]);
  assertEquals(keys("j@1.2.3.1-2"), ["j@1.2.3.1-2"]);
  assertEquals(keys("=a-1-2"), ["=a-1-2"]);
  assertEquals(keys("1.2.3.18446744073709551616-1"), ["1.2.3.0", "1.2.3.1"]);
});

Deno.test("parseRules() takes any quote character and trims trailing blanks", () => {
  const file = parsed("1.:allow,A='x\"y',B=/a,b/,C=||\t \n");
  assertEquals(file.rules[0].env, [["A", 'x"y'], ["B", "a,b"], ["C", ""]]);
});

Deno.test("parseRules() warns about lines tcprules silently skips or cannot match", () => {
  const file = parsed(
    "oops\n  # indented comment\n 1.2.3.4:allow\n1.:allow,X=1abc1\n",
  );
  assertEquals(file.warnings.map((w) => [w.line, w.kind]), [
    [1, "no-colon"],
    [3, "address-space"],
    [4, "odd-quote"],
  ]);
});

Deno.test("parseRules() refuses bad lines, naming the line", () => {
  const cases: [string, RegExp][] = [
    ['1.:allow,X="1', /line 1: the value of "X" has no closing "/],
    ["\n1.:allow,X=1", /line 2: the value of "X" is not quoted/],
    ["1.:allow # note", /line 1: a comment cannot follow a rule/],
    ["1.:allow\r\n", /^line 1 ends in CR: the file has DOS line endings/],
    [
      "1.2.x-5.:allow",
      /line 1: the range in "1.2.x-5." has "x", which is not a number/,
    ],
    ["1.:allow\n2.:al\0low", /^line 2: byte 6 is a NUL byte/],
    ["1.:permit", /expected "allow" or "deny"/],
    ["1.:allow,X", /"X" has no "="/],
    ["1.:allow,X=", /variable "X" has no value/],
    ['1.:allow X="1"', /unexpected " " after "1.:allow"/],
  ];
  for (const [text, want] of cases) {
    const e = refused(text);
    assertStrictEquals(
      want.test(e.message),
      true,
      `${JSON.stringify(text)}: ${e.message}`,
    );
  }
});

Deno.test("parseRules() quotes control characters in error messages", () => {
  const e = refused("1.:allow,X=\x1b[31m");
  assertStrictEquals(e.message.includes("\x1b"), false);
  assertStrictEquals(e.message.includes("\\x1b"), true);
});

Deno.test("records() lists every key of every rule in file order", () => {
  assertEquals([...records(parsed('1.2.3.1-2:deny\n:allow,X=""\n'))], [
    ["1.2.3.1", "D\0"],
    ["1.2.3.2", "D\0"],
    ["", "+X=\0"],
  ]);
});
