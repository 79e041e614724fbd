import { assertEquals } from "../../tests/helpers/assert.ts";
import {
  authservIdOf,
  chooseAuthservId,
  isOutsideResultField,
} from "./result_fields.ts";
import { splitFields } from "../message/header.ts";

/** The fields of a header section written as latin1 text (8-bit kept). */
function fieldsOf(text: string) {
  return [...splitFields(Uint8Array.from(text, (c) => c.charCodeAt(0)))];
}

Deno.test("chooseAuthservId() takes the first candidate that is non-empty [A-Za-z0-9.-]", () => {
  assertEquals(
    chooseAuthservId(["mx.example.org", "me.example"]),
    "mx.example.org",
  );
  assertEquals(
    chooseAuthservId([undefined, "me.example\n", "host"]),
    "me.example",
  );
  assertEquals(
    chooseAuthservId([
      "",
      "bad id",
      "bad_id",
      "h\xe9llo.example",
      " lead.example",
      null,
      "ok-1.example",
    ]),
    "ok-1.example",
  );
  assertEquals(chooseAuthservId(["", null, "Host-7"]), "Host-7");
});

Deno.test("chooseAuthservId() reads the first line and drops trailing blanks, as qmail reads me", () => {
  assertEquals(chooseAuthservId([null, "me.example\nsecond\n"]), "me.example");
  assertEquals(chooseAuthservId(["mx.example.org \t\r\n"]), "mx.example.org");
  assertEquals(chooseAuthservId(["\nmx.example.org", "host"]), "host");
});

Deno.test("chooseAuthservId() is null when no candidate is usable", () => {
  assertEquals(chooseAuthservId([]), null);
  assertEquals(chooseAuthservId([null, undefined, "", " ", "a;b"]), null);
});

Deno.test("authservIdOf() reads the first token or quoted string after CFWS", () => {
  const cases: [string, string | null][] = [
    [" mx.example.org; dkim=pass", "mx.example.org"],
    ["mx.example.org 1; dkim=pass", "mx.example.org"],
    [" (forged) (a (nested) \\) one) mx.example.org;", "mx.example.org"],
    ['\t"mx.example.org"; dkim=pass', "mx.example.org"],
    [' "quoted \\"id\\""; x', 'quoted "id"'],
    [" mx.example.org(comment);", "mx.example.org"],
    [" mx.example.org/extra; x", "mx.example.org"],
    [" mx.example.org", "mx.example.org"],
    ["", null],
    ["   ", null],
    [" (never closed mx.example.org; x", null],
    [' "never closed; x', null],
    [' ""; dkim=pass', null],
    ["; dkim=pass", null],
    [" @mx.example.org; x", null],
    [" \xe9mx.example.org; x", null],
  ];
  for (const [value, want] of cases) {
    assertEquals(authservIdOf(value), want, JSON.stringify(value));
  }
});

Deno.test("isOutsideResultField() removes Authentication-Results with our id, compared without case", () => {
  const ours = [
    "Authentication-Results: mx.example.org; dkim=pass\n",
    "authentication-results: MX.Example.ORG; dkim=pass\n",
    "AUTHENTICATION-RESULTS:(forged)mx.example.org;dkim=pass\n",
    'Authentication-Results: "mx.example.org"; dkim=pass\n',
    "Authentication-Results: mx.example.org 1; dkim=pass\n",
    "Authentication-Results : mx.example.org; dkim=pass\n",
    'Authentication-Results: mx.example.org; dkim=pass reason="caf\xe9"\n',
  ];
  for (const text of ours) {
    const [field] = fieldsOf(text);
    assertEquals(isOutsideResultField(field, "mx.example.org"), true, text);
    assertEquals(isOutsideResultField(field, "MX.EXAMPLE.ORG"), true, text);
  }
});

Deno.test("isOutsideResultField() reads a folded Authentication-Results, LF or CRLF", () => {
  for (const end of ["\n", "\r\n"]) {
    const [field] = fieldsOf(
      `Authentication-Results:${end}\t(a comment${end}\t spanning lines)${end}` +
        ` mx.example.org${end}\t; dkim=pass header.d=example.com${end}`,
    );
    assertEquals(isOutsideResultField(field, "mx.example.org"), true);
  }
});

Deno.test("isOutsideResultField() keeps foreign and unreadable authserv-ids", () => {
  const kept = [
    "Authentication-Results: mx.google.com; dkim=pass\n",
    "Authentication-Results: other.example; dkim=pass header.d=mx.example.org\n",
    "Authentication-Results: mx.example.org.evil; dkim=pass\n",
    "Authentication-Results: mx.example.or; dkim=pass\n",
    "Authentication-Results: ; dkim=pass\n",
    "Authentication-Results:\n",
    "Authentication-Results: (open mx.example.org; dkim=pass\n",
    'Authentication-Results: "mx.example.org; dkim=pass\n',
    "Authentication-Results: \xe9mx.example.org; dkim=pass\n",
    "ARC-Authentication-Results: i=1; mx.example.org; dkim=pass\n",
  ];
  for (const text of kept) {
    const [field] = fieldsOf(text);
    assertEquals(isOutsideResultField(field, "mx.example.org"), false, text);
  }
});

Deno.test("isOutsideResultField() removes every DKIM-Status and X-DKIM-* field, keeps DomainKey-Status", () => {
  const cases: [string, boolean][] = [
    ["DKIM-Status: good\n", true],
    ["dkim-status: bad\n", true],
    ["DKIM-Status : good\n", true],
    ["X-DKIM-Authentication-Results: pass\n", true],
    ["x-dkim-status: good\n", true],
    ["X-DKIM-: x\n", true],
    ["X-DKIM: x\n", false],
    ["X-DKIMSTATUS: x\n", false],
    ["DomainKey-Status: good\n", false],
    ["DKIM-Signature: v=1; d=mx.example.org\n", false],
    ["DomainKey-Signature: a=rsa-sha1\n", false],
    ["Received: from mx.example.org\n", false],
    ["Subject: DKIM-Status: good\n", false],
  ];
  for (const [text, want] of cases) {
    const [field] = fieldsOf(text);
    assertEquals(isOutsideResultField(field, "mx.example.org"), want, text);
  }
});

Deno.test("isOutsideResultField() leaves a line without a colon alone", () => {
  const [, line] = fieldsOf("Subject: x\nDKIM-Status good\n");
  assertEquals(line.hasColon, false);
  assertEquals(isOutsideResultField(line, "mx.example.org"), false);
});
