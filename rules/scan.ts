/**
 * The tcprules language (ucspi-tcp 0.88, `domainkeys.md` 4.1–4.2), scanned
 * totally and exactly as `tcprules` reads it, over the file's bytes, with a
 * line number on every rule, warning and error. The scanner hands each rule
 * to a visitor as offsets into the bytes, so compiling a large file makes no
 * garbage; `parse.ts` builds rule objects from the same scanner.
 *
 * Where tcprules silently accepts something that cannot do what the writer
 * meant (a line with no `:` is skipped; an address with white space never
 * matches; an unquoted value is "quoted" by its own first character), the
 * rule is kept as tcprules keeps it and a {@link ScanWarning} says so.
 *
 * Every loop moves its index forward on every pass; the optional `step`
 * argument is called once per pass of the loops that move by more than a
 * plain `i++`, so tests can count the work.
 *
 * @module
 */

import { fromBytes, quote } from "./bytes.ts";

/** Kinds of silently accepted but suspicious lines. */
export type WarningKind = "no-colon" | "address-space" | "odd-quote";

/** Something tcprules accepts without a word but which is almost surely wrong. */
export interface ScanWarning {
  /** 1-based line number. */
  line: number;
  /** Which mistake. */
  kind: WarningKind;
  /** Plain words (without the line number): what is wrong and what to do. */
  message: string;
}

/** A line tcprules refuses. */
export interface ScanError {
  /** 1-based line number. */
  line: number;
  /**
   * Plain words starting with the line number (`line 3: …` or
   * `line 3 ends in CR: …`), to be printed after the file name.
   */
  message: string;
}

/**
 * One rule as offsets into the source bytes. The object and its `vars`
 * array are reused: they are valid only during the visitor call.
 */
export interface RuleSpans {
  /** 1-based line number. */
  line: number;
  /** True for `deny`. */
  deny: boolean;
  /** The address is `src[addrStart, addrEnd)`. */
  addrStart: number;
  /** End of the address (the `:`). */
  addrEnd: number;
  /** Per variable: name start, name end, value start, value end. */
  vars: Int32Array;
  /** Number of variables (`vars` holds 4 × this many offsets). */
  varCount: number;
  /**
   * A range: the key is address bytes before `left`, a number from `bot`
   * to `top` (inclusive; none when `bot > top`), and bytes from `right` on.
   * `left` is -1 when the address is not a range.
   */
  left: number;
  /** Offset where the text after the range's upper number starts. */
  right: number;
  /** Lower bound of the range. */
  bot: number;
  /** Upper bound of the range, capped at 255. */
  top: number;
}

/** Called for each rule, in file order. */
export type RuleVisitor = (rule: Readonly<RuleSpans>, src: Uint8Array) => void;

/** What a completed scan found besides the rules. */
export interface ScanSummary {
  /** Silently accepted mistakes, in line order. */
  warnings: ScanWarning[];
  /** Number of lines read (a last line without LF counts). */
  lines: number;
}

const _LF = 0x0a;
const _CR = 0x0d;
const _SPACE = 0x20;
const _TAB = 0x09;
const _HASH = 0x23;
const _COLON = 0x3a;
const _COMMA = 0x2c;
const _EQUALS = 0x3d;
const _AT = 0x40;
const _DASH = 0x2d;
const _DOT = 0x2e;
const _ALLOW = [0x61, 0x6c, 0x6c, 0x6f, 0x77];
const _DENY = [0x64, 0x65, 0x6e, 0x79];
const _TWO_64 = 1n << 64n;
/** Range bounds above this are capped, as tcprules does. */
export const RANGE_MAX = 255;
/** A line shown in an error message is cut at this many bytes. */
const _SHOW = 120;

/** Signals a refused line (internal). */
class _Bad extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

/**
 * Scans a whole tcprules source file, calling `visit` for each rule in file
 * order. Returns the warnings and line count, or the first line tcprules
 * would refuse (`tcprules: fatal: unable to parse this line`) in plain
 * words. A NUL byte anywhere is refused too (tcprules would store it; no
 * rule file has one).
 * `step`, when given, is called once per line and once per variable (tests
 * count the calls to bound the work by the file's size; it may throw).
 */
export function scanRules(
  src: Uint8Array,
  visit: RuleVisitor,
  step: () => void = _noStep,
): { ok: true; value: ScanSummary } | { ok: false; error: ScanError } {
  const warnings: ScanWarning[] = [];
  const spans: RuleSpans = {
    line: 0,
    deny: false,
    addrStart: 0,
    addrEnd: 0,
    vars: new Int32Array(64),
    varCount: 0,
    left: -1,
    right: 0,
    bot: 0,
    top: 0,
  };
  const n = src.length;
  const nul = src.indexOf(0);
  let pos = 0;
  let lineNo = 0;
  while (pos < n) {
    step();
    let nl = src.indexOf(_LF, pos);
    if (nl < 0) nl = n;
    lineNo++;
    const start = pos;
    pos = nl + 1;
    if (nul >= start && nul < nl) {
      return {
        ok: false,
        error: {
          line: lineNo,
          message: `line ${lineNo}: byte ${
            nul - start + 1
          } is a NUL byte: this is not a text file`,
        },
      };
    }
    if (src[start] === _HASH) continue;
    let end = nl;
    while (end > start) {
      const c = src[end - 1];
      if (c !== _SPACE && c !== _TAB && c !== _LF) break;
      end--;
    }
    let colon = start;
    while (colon < end && src[colon] !== _COLON) colon++;
    if (colon === end) {
      let first = start;
      while (first < end && (src[first] === _SPACE || src[first] === _TAB)) {
        first++;
      }
      if (first < end && src[first] !== _HASH) {
        warnings.push({
          line: lineNo,
          kind: "no-colon",
          message: `${
            quote(fromBytes(src.subarray(start, end)), _SHOW)
          } has no ":", so tcprules skips it: write ADDRESS:allow or ADDRESS:deny, or start the line with # to make it a comment`,
        });
      }
      continue;
    }
    try {
      _scanLine(src, start, colon, end, lineNo, spans, warnings, step);
    } catch (e) {
      if (!(e instanceof _Bad)) throw e;
      if (src[end - 1] === _CR) {
        return {
          ok: false,
          error: {
            line: lineNo,
            message:
              `line ${lineNo} ends in CR: the file has DOS line endings, which tcprules refuses (convert it with dos2unix)`,
          },
        };
      }
      return {
        ok: false,
        error: {
          line: lineNo,
          message: `line ${lineNo}: ${e.reason}: ${
            quote(fromBytes(src.subarray(start, end)), _SHOW)
          }`,
        },
      };
    }
    visit(spans, src);
  }
  return { ok: true, value: { warnings, lines: lineNo } };
}

function _noStep(): void {}

function _startsWith(
  src: Uint8Array,
  at: number,
  end: number,
  word: number[],
): boolean {
  if (end - at < word.length) return false;
  for (let i = 0; i < word.length; i++) {
    if (src[at + i] !== word[i]) return false;
  }
  return true;
}

function _text(src: Uint8Array, from: number, to: number): string {
  return fromBytes(src.subarray(from, to));
}

function _scanLine(
  src: Uint8Array,
  start: number,
  colon: number,
  end: number,
  lineNo: number,
  spans: RuleSpans,
  warnings: ScanWarning[],
  step: () => void,
): void {
  spans.line = lineNo;
  spans.addrStart = start;
  spans.addrEnd = colon;
  spans.varCount = 0;
  let x = colon + 1;
  let action: string;
  if (_startsWith(src, x, end, _ALLOW)) {
    spans.deny = false;
    action = "allow";
    x += 5;
  } else if (_startsWith(src, x, end, _DENY)) {
    spans.deny = true;
    action = "deny";
    x += 4;
  } else {
    throw new _Bad(
      `expected "allow" or "deny" right after the ":", found ${
        quote(_text(src, x, Math.min(end, x + 12)))
      }`,
    );
  }
  while (x < end) {
    step();
    if (src[x] !== _COMMA) {
      throw new _Bad(_unexpected(src, start, x, end, action));
    }
    x++;
    let eq = x;
    while (eq < end && src[eq] !== _EQUALS) eq++;
    if (eq === end) {
      throw new _Bad(
        `${
          quote(_text(src, x, Math.min(end, x + 40)))
        } has no "=": write ,NAME="value"`,
      );
    }
    const nameStart = x;
    x = eq + 1;
    if (x >= end) {
      throw new _Bad(
        `variable ${quote(_text(src, nameStart, eq))} has no value: write ${
          quote(_text(src, nameStart, eq) + '=""')
        }`,
      );
    }
    const q = src[x++];
    let close = x;
    while (close < end && src[close] !== q) close++;
    if (close === end) {
      const name = quote(_text(src, nameStart, eq));
      throw new _Bad(
        q === 0x22 || q === 0x27
          ? `the value of ${name} has no closing ${String.fromCharCode(q)}`
          : `the value of ${name} is not quoted (tcprules takes its first character ${
            quote(String.fromCharCode(q))
          } as the quote): write ${_text(src, nameStart, eq)}="value"`,
      );
    }
    if (!_isQuoteLike(q)) {
      warnings.push({
        line: lineNo,
        kind: "odd-quote",
        message: `the value of ${
          quote(_text(src, nameStart, eq))
        } is quoted with ${quote(String.fromCharCode(q))}, so tcprules stores ${
          quote(_text(src, x, close))
        }: quote values with double quotes, NAME="value"`,
      });
    }
    let k = spans.varCount * 4;
    if (k + 4 > spans.vars.length) {
      const bigger = new Int32Array(spans.vars.length * 2);
      bigger.set(spans.vars);
      spans.vars = bigger;
    }
    spans.vars[k++] = nameStart;
    spans.vars[k++] = eq;
    spans.vars[k++] = x;
    spans.vars[k] = close;
    spans.varCount++;
    x = close + 1;
  }
  _range(src, start, colon, spans);
  for (let i = start; i < colon; i++) {
    const c = src[i];
    if (c === _SPACE || (c >= _TAB && c <= _CR)) {
      const address = _text(src, start, colon);
      warnings.push({
        line: lineNo,
        kind: "address-space",
        message: `the address ${
          quote(address)
        } contains white space, so this rule never matches any client: remove the spaces`,
      });
      break;
    }
  }
}

function _unexpected(
  src: Uint8Array,
  start: number,
  at: number,
  end: number,
  action: string,
): string {
  let i = at;
  while (i < end && (src[i] === _SPACE || src[i] === _TAB)) i++;
  if (src[i] === _HASH) {
    return "a comment cannot follow a rule (# starts a comment only at the start of a line): put it on its own line";
  }
  return `unexpected ${quote(_text(src, at, at + 1))} after ${
    quote(_text(src, start, at), _SHOW)
  }: after ${quote(action)} only ,NAME="value" may follow, with no spaces`;
}

function _isQuoteLike(c: number): boolean {
  const alnum = (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) ||
    (c >= 0x61 && c <= 0x7a);
  return !alnum && c > 0x20 && c < 0x7f;
}

/** Fills the range fields of `spans`, as tcprules' doaddressdata does. */
function _range(
  src: Uint8Array,
  start: number,
  end: number,
  spans: RuleSpans,
): void {
  spans.left = -1;
  let dash = -1;
  for (let i = start; i < end; i++) {
    const c = src[i];
    if (c === _EQUALS || c === _AT) return;
    if (c === _DASH && dash < 0) dash = i;
  }
  if (dash < 0) return;
  let left = dash - 1;
  while (left >= start && src[left] !== _DOT) left--;
  left++;
  let right = dash + 1;
  while (right < end && src[right] !== _DOT) right++;
  spans.left = left;
  spans.right = right;
  spans.bot = _number(src, left, dash, start, end);
  const top = _number(src, dash + 1, right, start, end);
  spans.top = top > RANGE_MAX ? RANGE_MAX : top;
}

/** scan_ulong over the whole text: digits only (empty is 0), modulo 2^64. */
function _number(
  src: Uint8Array,
  from: number,
  to: number,
  start: number,
  end: number,
): number {
  let value = 0;
  for (let i = from; i < to; i++) {
    const d = src[i] - 0x30;
    if (d < 0 || d > 9) {
      throw new _Bad(
        `the range in ${quote(_text(src, start, end))} has ${
          quote(_text(src, from, to))
        }, which is not a number`,
      );
    }
    value = value * 10 + d;
  }
  if (to - from > 15) {
    const wrapped = BigInt(_text(src, from, to)) % _TWO_64;
    return wrapped > BigInt(RANGE_MAX)
      ? Number.MAX_SAFE_INTEGER
      : Number(wrapped);
  }
  return value;
}
