/**
 * How `dk verify` reports DKIM (dkim.md 5.2, cli.md "DKIM additions"): the
 * JSON object of one signature (with `header_b`, RFC 6008's shortest unique
 * prefix of `b=`), the signature that set the message letter, the text-line
 * continuation `; dkim LETTER TEXT (d=D s=S a=ALG)`, `--explain` lines and
 * the `DKIM-Status` field (6.8). Pure: verdicts in, text and objects out.
 *
 * @module
 */

import { domainToUnicode } from "node:url";
import type { DkimSignatureResult, DkimVerifyResult } from "./verdict.ts";
import { printable } from "../printable.ts";
import { DKIM_STATUS } from "../status.ts";
import { dkimStatusText } from "./header_b.ts";

/**
 * The position of the signature that set the message letter (5.2 item 4):
 * the first A (or E under `honorLength`), else the first P, else the
 * topmost aligned one, else the topmost; -1 with no signature.
 */
export function decidingSignature(
  signatures: DkimSignatureResult[],
  honorLength: boolean,
): number {
  const find = (test: (s: DkimSignatureResult) => boolean) =>
    signatures.findIndex(test);
  const pass = find((s) =>
    s.letter === "A" || (s.letter === "E" && honorLength)
  );
  if (pass >= 0) return pass;
  const temporary = find((s) => s.letter === "P");
  if (temporary >= 0) return temporary;
  const aligned = find((s) => s.aligned);
  return aligned >= 0 ? aligned : signatures.length ? 0 : -1;
}

/**
 * The text line's continuation for a message with a `DKIM-Signature`:
 * `; dkim LETTER TEXT (d=D s=S a=ALG)`, naming the deciding signature; a
 * part not known is left out (and the parentheses with all three).
 */
export function dkimTextPart(
  verdict: DkimVerifyResult,
  honorLength: boolean,
): string {
  const at = decidingSignature(verdict.signatures, honorLength);
  const sig = at >= 0 ? verdict.signatures[at] : undefined;
  const parts: string[] = [];
  if (sig?.domain) parts.push(`d=${printable(sig.domain)}`);
  if (sig?.selector) parts.push(`s=${printable(sig.selector)}`);
  if (sig?.algorithm) parts.push(`a=${printable(sig.algorithm, 40)}`);
  const where = parts.length ? ` (${parts.join(" ")})` : "";
  return `; dkim ${verdict.letter} ${dkimStatusText(verdict)}${where}`;
}

/** A number, or the decimal text of one too large for JSON numbers. */
function _jsonNumber(value: bigint | null): number | string | null {
  if (value === null) return null;
  return value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : `${value}`;
}

/**
 * The JSON object of one DKIM signature (5.2 item 2); `headerB` from
 * `headerBPrefixes()` (header_b.ts); `explain` added when given.
 */
export function dkimSignatureJson(
  result: DkimSignatureResult,
  headerB: string | null,
  explain?: string[],
): Record<string, unknown> {
  const object: Record<string, unknown> = {
    scheme: "dkim",
    code: result.letter,
    status: DKIM_STATUS[result.letter].text,
    domain: result.domain,
    selector: result.selector,
    algorithm: result.algorithm,
    reason: result.reason,
    identity: result.identity,
    canonicalization: result.canonicalization,
    headers: result.headers,
    header_b: headerB,
    timestamp: result.timestamp,
    expires: result.expires,
    body_length: _jsonNumber(result.bodyLength),
    unsigned_body_octets: result.unsignedBodyOctets,
    aligned: result.aligned,
    testing: result.testing,
    key_type: result.keyType,
    key_bits: result.keyBits,
    result: result.result,
  };
  if (explain) object.explain = explain;
  return object;
}

/** A name with its U-label form beside it when that differs (1.3). */
function _bothForms(name: string): string {
  const shown = printable(name);
  let unicode = "";
  try {
    unicode = domainToUnicode(name);
  } catch { /* keep the A-label only */ }
  return unicode && unicode !== name
    ? `${shown} (${printable(unicode)})`
    : shown;
}

/**
 * Plain-words lines on one DKIM signature for `--explain`: which field,
 * what it names, which key record was fetched, which fields were hashed,
 * and the letter with its reason.
 */
export function dkimExplain(
  result: DkimSignatureResult,
  number: number,
  count: number,
): string[] {
  const lines = [
    `DKIM-Signature ${number} of ${count} (from the top)` +
    (result.domain ? `: d=${_bothForms(result.domain)}` : "") +
    (result.selector ? ` s=${_bothForms(result.selector)}` : "") +
    (result.algorithm ? ` a=${printable(result.algorithm, 40)}` : ""),
  ];
  if (result.canonicalization) {
    const names = result.headers ?? [];
    const shown = names.slice(0, 50).map((n) => printable(n, 40)).join(":");
    lines.push(
      `  hashed (${result.canonicalization}): h=${shown}` +
        (names.length > 50 ? ` and ${names.length - 50} more` : "") +
        (result.bodyLength !== null
          ? `; body up to l=${result.bodyLength}`
          : "; whole body"),
    );
  }
  if (result.domain && result.selector && result.keyType !== null) {
    lines.push(
      `  key record: TXT ${printable(result.selector)}._domainkey.${
        printable(result.domain)
      } (${result.keyType}${
        result.keyBits !== null ? `, ${result.keyBits} bits` : ""
      }${result.testing ? ", testing t=y" : ""})`,
    );
  }
  if (result.copied) {
    const shown = result.copied.slice(0, 20).map((f) => printable(f, 200));
    lines.push(
      `  z= (the fields as the signer saw them): ${shown.join(" | ")}` +
        (result.copied.length > 20
          ? ` and ${result.copied.length - 20} more`
          : ""),
    );
  }
  if (result.timestamp !== null || result.expires !== null) {
    lines.push(
      `  signed at t=${result.timestamp ?? "-"}, expires x=${
        result.expires ?? "-"
      }`,
    );
  }
  lines.push(
    `  result: ${result.letter} (${DKIM_STATUS[result.letter].meaning}): ${
      printable(result.reason, 400)
    }`,
  );
  return lines;
}
