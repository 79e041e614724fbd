import { assertEquals } from "../../tests/helpers/assert.ts";
import {
  DEFAULT_POLICY,
  parsePolicy,
  policyName,
  readPolicy,
} from "./policy.ts";

Deno.test("parsePolicy() reads o=, t=, r= and n=", () => {
  assertEquals(parsePolicy("t=y; o=-; r=postmaster@example.com; n=hi"), {
    ok: true,
    value: {
      allSigned: true,
      testing: true,
      report: "postmaster@example.com",
      notes: "hi",
    },
  });
  const empty = parsePolicy("");
  assertEquals(empty.ok && [empty.value.allSigned, empty.value.testing], [
    false,
    false,
  ]);
});

Deno.test("parsePolicy() refuses bad syntax and unknown o= values", () => {
  assertEquals(parsePolicy("o=!").ok, false);
  assertEquals(parsePolicy("o=~; o=-").ok, false);
  assertEquals(parsePolicy('"o=~"').ok, false);
});

Deno.test("readPolicy(): the default o=~ without a record, one record parsed, several ambiguous, trouble temporary", () => {
  const enc = (s: string) => new TextEncoder().encode(s);
  assertEquals(readPolicy({ kind: "nxdomain" }), {
    kind: "absent",
    answer: "nxdomain",
    policy: DEFAULT_POLICY,
  });
  assertEquals(readPolicy({ kind: "nodata" }).kind, "absent");
  assertEquals(readPolicy({ kind: "tempfail", reason: "timeout" }), {
    kind: "tempfail",
    reason: "timeout",
  });
  assertEquals(
    readPolicy({ kind: "records", records: [[enc("o=-")], [enc("o=~")]] }),
    { kind: "ambiguous", count: 2 },
  );
  const split = readPolicy({
    kind: "records",
    records: [[enc("o="), enc("-; t=y")]],
  });
  assertEquals(split.kind === "published" && split.policy, {
    allSigned: true,
    testing: true,
    report: "",
    notes: "",
  });
  const bad = readPolicy({ kind: "records", records: [[enc("o=!")]] });
  assertEquals(bad, {
    kind: "unusable",
    text: "o=!",
    error: "o=! is neither ~ nor -",
  });
  assertEquals(policyName("example.com"), "_domainkey.example.com");
});
