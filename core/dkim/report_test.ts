import { assertEquals } from "../../tests/helpers/assert.ts";
import {
  decidingSignature,
  dkimExplain,
  dkimSignatureJson,
  dkimTextPart,
} from "./report.ts";
import { headerBPrefixes } from "./header_b.ts";
import { blankResult, type DkimSignatureResult, setStatus } from "./verdict.ts";
import { type DkimLetter, dkimStatus } from "../status.ts";

function sig(
  code: DkimLetter,
  more: Partial<DkimSignatureResult> = {},
): DkimSignatureResult {
  const r = { ...blankResult(), ...more };
  setStatus(r, dkimStatus(code));
  return r;
}

Deno.test("headerBPrefixes() gives 8 characters, longer only where two signatures share them", () => {
  assertEquals(
    headerBPrefixes([
      "abcdefgh1234",
      "abcdefgh1299",
      "zzzzzzzzzzzz",
      null,
      "short",
    ]),
    ["abcdefgh123", "abcdefgh129", "zzzzzzzz", null, "short"],
  );
  assertEquals(headerBPrefixes(["samesame9", "samesame9"]), [
    "samesame9",
    "samesame9",
  ]);
});

Deno.test("decidingSignature() picks the first pass, else the first P, else the topmost aligned, else the topmost", () => {
  assertEquals(decidingSignature([sig("I"), sig("A")], false), 1);
  assertEquals(decidingSignature([sig("E"), sig("P")], false), 1);
  assertEquals(decidingSignature([sig("I"), sig("E")], true), 1);
  assertEquals(
    decidingSignature([sig("I"), sig("U", { aligned: true })], false),
    1,
  );
  assertEquals(decidingSignature([sig("I"), sig("U")], false), 0);
  assertEquals(decidingSignature([], false), -1);
});

Deno.test("dkimTextPart() names the deciding signature's d=, s= and a=, leaving unknown parts out", () => {
  const good = sig("A", {
    domain: "example.com",
    selector: "s2026",
    algorithm: "ed25519-sha256",
  });
  assertEquals(
    dkimTextPart({
      ...dkimStatus("A"),
      signatures: [sig("I"), good],
      skipped: 0,
      fromDomain: null,
      positions: [],
    }, false),
    "; dkim A good (d=example.com s=s2026 a=ed25519-sha256)",
  );
  assertEquals(
    dkimTextPart({
      ...dkimStatus("H"),
      signatures: [sig("H")],
      skipped: 0,
      fromDomain: null,
      positions: [],
    }, false),
    "; dkim H message or signature field unusable",
  );
});

Deno.test("dkimSignatureJson() has every field of dkim.md 5.2 item 2; a huge l= stays exact", () => {
  const json = dkimSignatureJson(
    sig("E", { bodyLength: 10n ** 30n, unsignedBodyOctets: 3 }),
    "abcdefgh",
  );
  assertEquals(Object.keys(json), [
    "scheme",
    "code",
    "status",
    "domain",
    "selector",
    "algorithm",
    "reason",
    "identity",
    "canonicalization",
    "headers",
    "header_b",
    "timestamp",
    "expires",
    "body_length",
    "unsigned_body_octets",
    "aligned",
    "testing",
    "key_type",
    "key_bits",
    "result",
  ]);
  assertEquals(json.body_length, "1" + "0".repeat(30));
  assertEquals(json.status, "signature good for part of the body only");
  assertEquals(json.result, "policy");
  assertEquals(
    dkimSignatureJson(sig("A", { bodyLength: 12n }), null, ["x"]).body_length,
    12,
  );
});

Deno.test("dkimExplain() shows U-labels beside A-labels and the decoded z=", () => {
  const lines = dkimExplain(
    sig("I", {
      domain: "xn--bcher-kva.example",
      selector: "s1",
      algorithm: "rsa-sha256",
      canonicalization: "relaxed/relaxed",
      headers: ["from"],
      copied: ["From:joe@example.com", "Subject:a b"],
    }),
    1,
    1,
  );
  assertEquals(
    lines[0],
    "DKIM-Signature 1 of 1 (from the top): d=xn--bcher-kva.example (b\\xfccher.example) s=s1 a=rsa-sha256",
  );
  assertEquals(
    lines.includes(
      "  z= (the fields as the signer saw them): From:joe@example.com | Subject:a b",
    ),
    true,
  );
  assertEquals(lines.at(-1)?.startsWith("  result: I ("), true);
});
