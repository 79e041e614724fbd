import fc from "fast-check";
import { assert, assertEquals } from "../tests/helpers/assert.ts";
import { mutated, pieced } from "../tests/helpers/mutate.ts";
import { stepBudget } from "../tests/helpers/step_budget.ts";
import { parseRules } from "./parse.ts";
import { scanRules } from "./scan.ts";

const VALID = [
  `# tcp.smtp
127.:allow,RELAYCLIENT="",DKSIGN="/etc/dk/%"
10.0.0.1-20:allow,DKVERIFY="DEGIJKfh"
192.168.-.1:deny
=host.example.com:allow,A='x',B=/y/
@info:allow
:allow,QMAILQUEUE="/var/qmail/bin/qmail-dk"
1.2.3.00000000000000000007-0000000000000000000000255:allow
no colon line
1.2.3. 4:allow
:deny
`,
  ':allow\n-999:deny,X="1"\n',
];
const SPECIAL = [
  ":",
  ",",
  "=",
  '"',
  "'",
  "-",
  ".",
  "#",
  "@",
  "\n",
  "\r",
  " ",
  "\t",
  "\0",
  "allow",
  "deny",
  ":allow",
  '="',
  "0-255",
  "99999999999999999999",
];

/**
 * Passes allowed per input byte: one per line and variable, and a range
 * adds at most 256 keys with ten bytes ("-999:allow").
 */
const PASSES_PER_BYTE = 32;

function check(bytes: Uint8Array): void {
  const scanned = stepBudget(PASSES_PER_BYTE * (bytes.length + 1));
  let rules = 0;
  const r = scanRules(bytes, () => rules++, scanned.step);
  const parsed = stepBudget(PASSES_PER_BYTE * (bytes.length + 1));
  const p = parseRules(bytes, parsed.step);
  if (!r.ok) {
    assert(r.error.line >= 1);
    assert(r.error.message.startsWith(`line ${r.error.line}`), r.error.message);
    assertEquals(p.ok ? "ok" : p.error, r.error);
    return;
  }
  assert(p.ok);
  assertEquals(p.value.rules.length, rules);
  assertEquals(p.value.lines, r.value.lines);
  for (const rule of p.value.rules) {
    assert(rule.keys.length >= 0 && rule.keys.length <= 256);
  }
}

Deno.test("scanRules() and parseRules() read any bytes as rules or a line error, in bounded loop passes", () => {
  fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), check), {
    numRuns: 600,
    seed: 20261204,
  });
  fc.assert(fc.property(pieced(SPECIAL), check), {
    numRuns: 1000,
    seed: 20261204,
  });
});

Deno.test("scanRules() and parseRules() read edited valid files as rules or a line error, in bounded passes", () => {
  fc.assert(fc.property(mutated(VALID, SPECIAL), check), {
    numRuns: 1000,
    seed: 20261204,
  });
});

Deno.test("the valid seeds of the property tests scan", () => {
  for (const text of VALID) {
    const { step } = stepBudget(PASSES_PER_BYTE * (text.length + 1));
    const r = parseRules(new TextEncoder().encode(text), step);
    assertEquals(r.ok, true, r.ok ? "" : r.error.message);
  }
});
