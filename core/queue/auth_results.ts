/**
 * The result fields dk writes in verify mode (dkim.md 6.8, 6.9):
 * `Authentication-Results` (RFC 8601, `header.b` from RFC 6008) with one
 * `dkim=` result per evaluated signature and, when DomainKeys verification
 * ran in the same run, a `domainkeys=` result last; and `DKIM-Status`.
 * Queue mode and `dk verify --add-header` write them with
 * {@link resultFields}. Pure: verdicts in, field text out.
 *
 * @module
 */

import { addressValue, propertyValue, reasonText } from "./ar_syntax.ts";
import { toALabels } from "../dkim/domain_name.ts";
import { dkimStatusText, headerBPrefixes } from "../dkim/header_b.ts";
import type { DkimSignatureResult, DkimVerifyResult } from "../dkim/verdict.ts";
import type { VerifyResult } from "../dk/verify.ts";
import {
  type AuthResultWord,
  DK_AUTH_RESULT,
  DKIM_STATUS,
  type Letter,
  STATUS,
} from "../status.ts";

/** The longest line dk folds to, where each piece fits (RFC 5322 2.1.1). */
export const AR_LINE_MAX = 78;

/** DomainKeys' part of the field, when DK verification ran in the same run. */
export interface DkResultPart {
  /** The DomainKeys letter (`core/status.ts`'s DK table). */
  letter: Letter;
  /** `d=` of the evaluated `DomainKey-Signature`, when known. */
  domain: string | null;
  /** Which field gave the sending address. */
  header: "from" | "sender";
  /** The sending address (`local@domain`), for `header.from`/`header.sender`. */
  address: string | null;
  /** Plain words for `reason=` when the result is not `pass` (optional). */
  reason?: string | null;
}

/** How the DKIM results are read. */
export interface AuthResultsOptions {
  /** `--honor-l` / `HONOR_BODYLENGTHTAG`: an E signature is a `pass`. */
  honorLength?: boolean;
}

/**
 * The whole `Authentication-Results:` field (dkim.md 6.9), lines ending in
 * `lineEnd` (the last one too): `authservId;`, then one result per line
 * group, each starting with a TAB and folded at spaces within
 * {@link AR_LINE_MAX} octets where each piece fits. `authservId` as
 * `chooseAuthservId()` gives it (not checked here). `dkim`: one `dkim=`
 * result per evaluated signature, top to bottom (`dkim=none` without
 * any), with `reason=` when not `pass` and `(testing)`, `(N unsigned body
 * octets)` (an E under `options.honorLength`, then a `pass`) or
 * `(rsa-sha1)` on a pass; `dk`: `domainkeys=` appended last when given. A
 * property whose value cannot be written (not printable ASCII, a
 * non-ASCII local part of `i=`) is left out; never fails.
 */
export function authResultsField(
  authservId: string,
  dkim: DkimVerifyResult,
  dk: DkResultPart | null,
  lineEnd: "\n" | "\r\n",
  options: AuthResultsOptions = {},
): string {
  const results = dkimResults(dkim, options.honorLength ?? false);
  if (dk) results.push(dkResult(dk));
  const lines = [`Authentication-Results: ${authservId};`];
  results.forEach((pieces, i) => {
    lines.push(...foldResult(pieces, i < results.length - 1 ? ";" : ""));
  });
  return lines.join(lineEnd) + lineEnd;
}

/**
 * `Authentication-Results` then `DKIM-Status` (6.8, 6.9), lines ending in
 * `lineEnd`: `dkim` the DKIM verdict, `dk` the DomainKeys verdict when
 * DomainKeys verification ran too (its `domainkeys=` result goes last).
 */
export function resultFields(
  authservId: string,
  dkim: DkimVerifyResult,
  dk: VerifyResult | null,
  lineEnd: "\n" | "\r\n",
  options: AuthResultsOptions = {},
): string {
  const dkPart = dk ? dkResultPart(dk) : null;
  return authResultsField(authservId, dkim, dkPart, lineEnd, options) +
    dkimStatusField(dkim, lineEnd);
}

/**
 * DomainKeys' part of the field from its verdict: letter, `d=`, the field
 * that gave the sending address (From unless it came from `Sender:`) and
 * that address, and the reason.
 */
export function dkResultPart(dk: VerifyResult): DkResultPart {
  return {
    letter: dk.letter,
    domain: dk.domain ?? null,
    header: dk.sender?.header ?? "from",
    address: dk.sender ? `${dk.sender.local}@${dk.sender.domain}` : null,
    reason: dk.reason,
  };
}

/**
 * `DKIM-Status: TEXT` (dkim.md 6.8): `good` when the message letter is A,
 * else the 3.5 text of the message letter; ends with `lineEnd`.
 */
export function dkimStatusField(
  dkim: DkimVerifyResult,
  lineEnd: "\n" | "\r\n",
): string {
  return `DKIM-Status: ${dkimStatusText(dkim)}${lineEnd}`;
}

/**
 * The `dkim=` results of a verdict, each as its pieces (method and result,
 * comments, reason, properties) in writing order; `[["dkim=none"]]` when
 * no signature was evaluated.
 */
export function dkimResults(
  dkim: DkimVerifyResult,
  honorLength: boolean,
): string[][] {
  if (dkim.signatures.length === 0) return [["dkim=none"]];
  const prefixes = headerBPrefixes(dkim.signatures.map((s) => s.signature));
  return dkim.signatures.map((sig, i) =>
    _dkimResult(sig, prefixes[i], honorLength)
  );
}

function _dkimResult(
  sig: DkimSignatureResult,
  headerB: string | null,
  honorLength: boolean,
): string[] {
  const honoured = sig.letter === "E" && honorLength;
  const word: AuthResultWord = honoured ? "pass" : sig.result;
  const pieces = [`dkim=${word}`];
  if (word === "pass") {
    if (sig.testing) pieces.push("(testing)");
    if (honoured && sig.unsignedBodyOctets !== null) {
      pieces.push(`(${sig.unsignedBodyOctets} unsigned body octets)`);
    }
    if (sig.algorithm?.toLowerCase() === "rsa-sha1") pieces.push("(rsa-sha1)");
  } else {
    pieces.push(_reason(sig.reason, DKIM_STATUS[sig.letter].meaning));
  }
  const domain = sig.domain === null ? null : propertyValue(sig.domain);
  if (domain) pieces.push(`header.d=${domain}`);
  const identity = sig.identity ?? (sig.domain ? `@${sig.domain}` : null);
  const i = identity === null ? null : _address(identity);
  if (i) pieces.push(`header.i=${i}`);
  for (
    const [name, value] of [
      ["s", sig.selector],
      ["a", sig.algorithm],
      ["b", headerB],
    ] as const
  ) {
    const shown = value === null ? null : propertyValue(value);
    if (shown) pieces.push(`header.${name}=${shown}`);
  }
  return pieces;
}

/**
 * The `domainkeys=` result (dkim.md 6.9) as its pieces: the word of
 * {@link DK_AUTH_RESULT}, `reason=` when not `pass` and a reason is given,
 * `header.d` (A-labels) and `header.from` or `header.sender`.
 */
export function dkResult(dk: DkResultPart): string[] {
  const word = DK_AUTH_RESULT[dk.letter];
  const pieces = [`domainkeys=${word}`];
  if (word !== "pass" && dk.reason) {
    pieces.push(_reason(dk.reason, STATUS[dk.letter].meaning));
  }
  const domain = dk.domain === null ? null : toALabels(dk.domain);
  if (domain) pieces.push(`header.d=${domain}`);
  const address = dk.address === null ? null : _address(dk.address);
  if (address) pieces.push(`header.${dk.header}=${address}`);
  return pieces;
}

/**
 * One result's lines: a TAB and the first piece, then each piece after a
 * space while the line stays within {@link AR_LINE_MAX} octets (with
 * `end`, the `;` between results, on the last), else on a new TAB line. A
 * piece longer than a line stays whole on its own line.
 */
export function foldResult(pieces: string[], end: string): string[] {
  const lines: string[] = [];
  let line = "\t" + pieces[0];
  for (let i = 1; i < pieces.length; i++) {
    const room = AR_LINE_MAX - (i === pieces.length - 1 ? end.length : 0);
    if (line.length + 1 + pieces[i].length <= room) {
      line += " " + pieces[i];
    } else {
      lines.push(line);
      line = "\t" + pieces[i];
    }
  }
  lines.push(line + end);
  return lines;
}

/**
 * `reason="…"` from the reason, or from `fallback` when nothing of it is
 * left; {@link reasonText} leaves nothing that needs a quoted pair.
 */
function _reason(reason: string, fallback: string): string {
  return `reason="${reasonText(reason) || reasonText(fallback)}"`;
}

/**
 * An address as a property value, its domain as A-labels; null when it
 * has no `@`, its local part is not printable ASCII or its domain cannot
 * be written.
 */
function _address(text: string): string | null {
  const at = text.lastIndexOf("@");
  if (at < 0) return null;
  const local = text.slice(0, at);
  const written = text.slice(at + 1);
  const domain = /[^ -~]/.test(written) ? toALabels(written) : written;
  return domain === null || domain === "" ? null : addressValue(local, domain);
}
