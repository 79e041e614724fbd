import fc from "fast-check";
import { assert, assertEquals } from "../../tests/helpers/assert.ts";
import { mutated, pieced } from "../../tests/helpers/mutate.ts";
import { stepBudget } from "../../tests/helpers/step_budget.ts";
import { parseBindZone } from "./zone_bind.ts";
import { lookupTxt } from "./zone_data.ts";

const VALID = [
  `$ORIGIN example.com.
$TTL 1h
@   IN SOA ns.example.com. host.example.com. ( 1 ; serial
        3600 900 604800 300 )
    IN NS ns
s._domainkey  IN  TXT  "k=rsa; p=AB" "CD" ; two strings
_domainkey 300 IN TXT ( "t=y; "
                        "o=-" )
q IN 60 TXT "say \\"hi\\"" "back\\\\slash" "\\065\\066;" bare\\ word
www CNAME ns
hex TXT \\# 4 03616263
$ORIGIN sub
deep TXT "in sub"
`,
  'a.example. 60 IN TXT "v" \\\n b\\032c\n',
];
const SPECIAL = [
  "\\",
  '"',
  "(",
  ")",
  ";",
  "\n",
  "\r",
  "\t",
  " ",
  "$",
  "@",
  ".",
  "\\0",
  "\\25",
  "\\#",
  "\\\n",
  "$ORIGIN",
  "$TTL",
  "TXT",
  "CNAME",
  "SOA",
];

/** Passes allowed per input byte (at most 1.75 measured over 20 000 inputs). */
const PASSES_PER_BYTE = 4;

function check(bytes: Uint8Array): void {
  const budget = stepBudget(PASSES_PER_BYTE * (bytes.length + 1));
  const r = parseBindZone(bytes, {
    origin: "example.com",
    file: "db",
    step: budget.step,
  });
  if (!r.ok) {
    assert(/^db:\d+: \S/.test(r.error), r.error);
    return;
  }
  for (const name of [...r.value.names, "example.com", "x.example.com"]) {
    const answer = lookupTxt(r.value, name);
    assert(
      ["records", "nodata", "nxdomain", "tempfail"].includes(answer.kind),
    );
  }
}

Deno.test("parseBindZone() returns a zone or a file:line error for any bytes, in at most 4 loop passes a byte", () => {
  fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), check), {
    numRuns: 600,
    seed: 20261204,
  });
  fc.assert(fc.property(pieced(SPECIAL), check), {
    numRuns: 1000,
    seed: 20261204,
  });
});

Deno.test("parseBindZone() returns a zone or a file:line error for edited valid files, in bounded passes", () => {
  fc.assert(fc.property(mutated(VALID, SPECIAL), check), {
    numRuns: 1000,
    seed: 20261204,
  });
});

Deno.test("parseBindZone() reads the valid seeds of the property tests", () => {
  for (const text of VALID) {
    const { step } = stepBudget(PASSES_PER_BYTE * (text.length + 1));
    const r = parseBindZone(text, { origin: "example.com", step });
    assertEquals(r.ok, true, r.ok ? "" : r.error);
  }
});
