import fc from "fast-check";
import { assert, assertEquals } from "../../tests/helpers/assert.ts";
import { mutated, pieced } from "../../tests/helpers/mutate.ts";
import { stepBudget } from "../../tests/helpers/step_budget.ts";
import { parseTinydnsData } from "./zone_tinydns.ts";
import { lookupTxt } from "./zone_data.ts";

const VALID = [
  `# a comment
.example.com::ns.example.com
Zother.org:ns.other.org.:hostmaster.other.org.
's._domainkey.example.com:k=rsa; p=AB\\072CD\\\\x:300
:t.example.com:16:\\003abc\\001d
Cwww.example.com:s._domainkey.example.com
+a.example.com:192.0.2.1
=b.example.com:192.0.2.2
&example.com::ns.example.com
@example.com::mx.example.com:10
^1.2.0.192.in-addr.arpa:a.example.com
3six.example.com:20010db8000000000000000000000001
-off.example.com:192.0.2.3
%lo:192.0.2
`,
  "'x.example.com:" + "y".repeat(300) + "\n",
];
const SPECIAL = [
  "\\",
  ":",
  "\n",
  "\r",
  " ",
  "\\0",
  "\\07",
  "\\377",
  ":16:",
  ":5:",
  "'",
  ".",
  "Z",
  "C",
  "#",
];

/** Passes allowed per input byte (at most 1 measured over 20 000 inputs). */
const PASSES_PER_BYTE = 3;

function check(bytes: Uint8Array): void {
  const budget = stepBudget(PASSES_PER_BYTE * (bytes.length + 1));
  const r = parseTinydnsData(bytes, { file: "data", step: budget.step });
  if (!r.ok) {
    assert(/^data:\d+: \S/.test(r.error), r.error);
    return;
  }
  for (const name of [...r.value.names, "example.com", "x.example.com"]) {
    const answer = lookupTxt(r.value, name);
    assert(
      ["records", "nodata", "nxdomain", "tempfail"].includes(answer.kind),
    );
  }
}

Deno.test("parseTinydnsData() returns a zone or a file:line error for any bytes, in at most 3 loop passes a byte", () => {
  fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), check), {
    numRuns: 600,
    seed: 20261204,
  });
  fc.assert(fc.property(pieced(SPECIAL), check), {
    numRuns: 600,
    seed: 20261204,
  });
});

Deno.test("parseTinydnsData() returns a zone or a file:line error for edited valid files, in bounded passes", () => {
  fc.assert(fc.property(mutated(VALID, SPECIAL), check), {
    numRuns: 600,
    seed: 20261204,
  });
});

Deno.test("parseTinydnsData() reads the valid seeds of the property tests", () => {
  for (const text of VALID) {
    const { step } = stepBudget(PASSES_PER_BYTE * (text.length + 1));
    const r = parseTinydnsData(new TextEncoder().encode(text), { step });
    assertEquals(r.ok, true, r.ok ? "" : r.error);
  }
});
