import { assert, assertEquals } from "../../tests/helpers/assert.ts";
import { isKeyCandidate, keyRefuses, parseKeyRecord } from "./key_record.ts";
import { RFC8463_RECORDS } from "./_rfc8463.ts";
import { parseSignatureField } from "./signature.ts";

const RSA = RFC8463_RECORDS["test._domainkey.football.example.com"];
const RSA_P = RSA.slice(RSA.indexOf("p="));
const ED = "k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=";

function letter(text: string, minBits?: number): string {
  const r = parseKeyRecord(text, minBits);
  return r.ok ? "ok" : r.error.letter;
}

Deno.test("parseKeyRecord() reads RFC 8463 A.2's records and flags", () => {
  const rsa = parseKeyRecord(RSA);
  assert(rsa.ok);
  assertEquals([rsa.value.keyType, rsa.value.rsa?.bits], ["rsa", 1024]);
  const ed = parseKeyRecord(`v=DKIM1; ${ED}; t=y:s:q; h=SHA256:foo`);
  assert(ed.ok);
  assertEquals(ed.value.ed25519?.length, 32);
  assertEquals([ed.value.testing, ed.value.strict], [true, true]);
  assertEquals(ed.value.hashes, ["sha256", "foo"]);
});

Deno.test("parseKeyRecord() gives L, N, R as dkim.md 3.1 says", () => {
  const rows: [string, string, number?][] = [
    [RSA.replace("v=DKIM1; ", ""), "ok"], // a DK-form record serves DKIM
    [`k=rsa; v=DKIM1; ${RSA_P}`, "L"], // v= not first
    [`v=DKIM2; ${RSA_P}`, "L"],
    [`v=DKIM1; k=dsa; ${RSA_P}`, "L"],
    [`v=DKIM1; s=web; ${RSA_P}`, "L"],
    [`v=DKIM1; s=web:Email; ${RSA_P}`, "ok"],
    [`v=DKIM1; s=*; g=x; n=note; ${RSA_P}`, "ok"],
    ["v=DKIM1; k=rsa", "L"],
    ["v=DKIM1; k=rsa; p=", "N"],
    ["v=DKIM1; p= ; k=ed25519", "N"],
    ["v=DKIM1; p=AB*C", "L"],
    ["v=DKIM1; p=AAAA", "R"],
    ["k=ed25519; p=AAAA", "R"],
    [`k=ed25519; ${RSA_P}`, "R"],
    [RSA, "R", 2048], // DK_MIN_KEY_BITS above the key
    ["p=a; p=b", "L"],
  ];
  for (const [text, want, bits] of rows) {
    assertEquals(letter(text, bits), want, text.slice(0, 60));
  }
});

Deno.test("parseKeyRecord() refuses RSA under 1024 bits whatever minBits says", () => {
  // The 512-bit key of dkimpy's dnsfunc5.
  const small =
    "k=rsa; p=MFwwDQYJKoZIhvcNAQEBBQADSwAwSAJBANmBe10IgY+u7h3enWTukkqtUD5PR52Tb/mPfjC0QJTocVBq6Za/PlzfV+Py92VaCak19F4WrbVTK5Gg5tW220MCAwEAAQ==";
  assertEquals(letter(small, 512), "R");
});

Deno.test("isKeyCandidate() skips SPF and other texts", () => {
  assertEquals(isKeyCandidate("v=spf1 -all"), false);
  assertEquals(isKeyCandidate("v=DKIM1; k=rsa"), true);
  assertEquals(isKeyCandidate("k=rsa; p="), true);
});

Deno.test("keyRefuses() gives V for the wrong k= or h=, Y under t=s", () => {
  const field = (extra: string) =>
    parseSignatureField(
      new TextEncoder().encode(
        "DKIM-Signature: v=1; a=ed25519-sha256; d=example.com; s=s; h=from; " +
          "bh=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=; b=AAAA" + extra,
      ),
      0,
    );
  const sig = field("");
  const sub = field("; i=@a.example.com");
  assert(sig.ok && sub.ok);
  const ed = parseKeyRecord(ED);
  const rsa = parseKeyRecord(RSA);
  const sha1 = parseKeyRecord(ED + "; h=sha1");
  const strict = parseKeyRecord(ED + "; t=s");
  assert(ed.ok && rsa.ok && sha1.ok && strict.ok);
  assertEquals(keyRefuses(ed.value, sig.value), null);
  assertEquals(keyRefuses(rsa.value, sig.value)?.letter, "V");
  assertEquals(keyRefuses(sha1.value, sig.value)?.letter, "V");
  assertEquals(keyRefuses(strict.value, sig.value), null);
  assertEquals(keyRefuses(strict.value, sub.value)?.letter, "Y");
});
