import {
  assertEquals,
  assertMatch,
  assertStrictEquals,
} from "../../tests/helpers/assert.ts";
import { type DkimKeys, matchDkimKeys, parseDkimKeys } from "./dkimkeys.ts";

const FILE = `# dkimkeys
example.com:domainkeys/example.com/default
EXAMPLE.org.:/etc/dkim/%/rsa2026:DKIMSIGNOPTIONS=-c s,DKIMIDENTITY=,DKIMEXPIRE=600

*:domainkeys/%/default
example.com:/never/used
*:/never/used/either
`;

function summary(keys: DkimKeys) {
  return keys.lines.map((l) => [l.line, l.domain, l.keyPath, [...l.edits]]);
}

Deno.test("parseDkimKeys() reads domain:keypath[:edits], skipping comments and empty lines", () => {
  const keys = parseDkimKeys(FILE);
  assertEquals(summary(keys), [
    [2, "example.com", "domainkeys/example.com/default", []],
    [3, "example.org", "/etc/dkim/%/rsa2026", [
      ["DKIMSIGNOPTIONS", "-c s"],
      ["DKIMIDENTITY", undefined],
      ["DKIMEXPIRE", "600"],
    ]],
    [5, "*", "domainkeys/%/default", []],
    [6, "example.com", "/never/used", []],
    [7, "*", "/never/used/either", []],
  ]);
  assertEquals(keys.problems, []);
});

Deno.test("parseDkimKeys() removes trailing whitespace and CR, so DOS files work", () => {
  const keys = parseDkimKeys("example.com:keys/sel \t\r\n#c\r\n\r\n");
  assertEquals(summary(keys), [[1, "example.com", "keys/sel", []]]);
  assertEquals(keys.problems, []);
});

Deno.test("parseDkimKeys() skips a line without ':' or with an empty part, as dkimkeys-syntax", () => {
  const keys = parseDkimKeys(
    "example.com domainkeys/x/default\n:keys/a\nexample.net:\nexample.org::X=1\nok.example:k\n",
  );
  assertEquals(summary(keys), [[5, "ok.example", "k", []]]);
  assertEquals(
    keys.problems.map((p) => [p.line, p.code]),
    [
      [1, "dkimkeys-syntax"],
      [2, "dkimkeys-syntax"],
      [3, "dkimkeys-syntax"],
      [4, "dkimkeys-syntax"],
    ],
  );
  assertMatch(
    keys.problems[0].message,
    /^"example\.com domainkeys\/x\/default" has no ":"/,
  );
  assertMatch(keys.problems[1].message, /^the domain is empty/);
  assertMatch(keys.problems[2].message, /^the key path is empty/);
});

Deno.test("parseDkimKeys() keeps globs, regular expressions and U-labels out of matching, as dkimkeys-pattern", () => {
  const keys = parseDkimKeys(
    "*.example.com:k1\n.*\\.example\\.net:k2\nbücher.example:k3\nexample.com:k4\n",
  );
  assertEquals(summary(keys), [[4, "example.com", "k4", []]]);
  assertEquals(keys.problems.map((p) => [p.line, p.code]), [
    [1, "dkimkeys-pattern"],
    [2, "dkimkeys-pattern"],
    [3, "dkimkeys-pattern"],
  ]);
  assertMatch(
    keys.problems[0].message,
    /^"\*\.example\.com" is neither a domain name nor \*/,
  );
  assertStrictEquals(matchDkimKeys(keys, "a.example.com"), null);
});

Deno.test("parseDkimKeys() ignores edits of other variables and edits without '=', as dkimkeys-edit", () => {
  const keys = parseDkimKeys(
    "example.com:k:DKIMSIGN=/x,DKIMEXPIRE=60,dkimidentity=a@b.c,QREGEX,,DKIMSIGNEXTRA=k2\n",
  );
  assertEquals(summary(keys), [[1, "example.com", "k", [
    ["DKIMEXPIRE", "60"],
    ["DKIMSIGNEXTRA", "k2"],
  ]]]);
  assertEquals(keys.problems.map((p) => [p.line, p.code]), [
    [1, "dkimkeys-edit"],
    [1, "dkimkeys-edit"],
    [1, "dkimkeys-edit"],
  ]);
  assertMatch(keys.problems[0].message, /^"DKIMSIGN" cannot be changed here/);
  assertMatch(keys.problems[2].message, /^the edit "QREGEX" has no "="/);
});

Deno.test("matchDkimKeys() takes the first exact line without case, else the first '*' line", () => {
  const keys = parseDkimKeys(FILE);
  assertStrictEquals(matchDkimKeys(keys, "example.com")?.line, 2);
  assertStrictEquals(matchDkimKeys(keys, "Example.COM.")?.line, 2);
  assertStrictEquals(matchDkimKeys(keys, "example.org")?.line, 3);
  assertStrictEquals(matchDkimKeys(keys, "sub.example.com")?.line, 5);
  assertStrictEquals(matchDkimKeys(keys, "other.example")?.line, 5);
  assertStrictEquals(matchDkimKeys(keys, "*")?.line, 5);
});

Deno.test("matchDkimKeys() without a '*' line gives null for other domains", () => {
  const keys = parseDkimKeys("example.com:k\n");
  assertStrictEquals(matchDkimKeys(keys, "example.net"), null);
  assertStrictEquals(matchDkimKeys(parseDkimKeys(""), "example.com"), null);
});
