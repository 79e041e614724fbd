/**
 * Writing the `DKIM-Signature` field (dkim.md 4.3): tags in the order
 * `v a c d s [i] t [x] h bh b`, `c=` with both halves, folded with one TAB
 * at tag boundaries, inside `h=` after a `:` and inside `b=` anywhere, so
 * lines stay within 78 octets where a single tag allows it; `b=` last,
 * without a final `;`.
 *
 * @module
 */

import type { CanonMode } from "./canon_header.ts";
import type { DkimAlgorithm } from "./signature.ts";

/** Longest line written, line end not counted. */
export const MAX_LINE = 78;

/** The tag values of a signature to write (all already valid). */
export interface SignatureTags {
  /** `a=`. */
  algorithm: DkimAlgorithm;
  /** `c=`. */
  canon: { header: CanonMode; body: CanonMode };
  /** `d=` (A-labels). */
  domain: string;
  /** `s=`. */
  selector: string;
  /** `i=`, already DKIM-quoted-printable. */
  identity?: string;
  /** `t=`. */
  time: number;
  /** `x=`. */
  expires?: number;
  /** Write `q=dns/txt` (the default, written only when asked). */
  query?: boolean;
  /** `h=` names. */
  headers: string[];
  /** `bh=`, base64. */
  bodyHash: string;
}

/** A field waiting for its `b=` value. */
export interface UnsignedField {
  /** The field up to and including `b=`: what the header hash covers. */
  prefix: string;
  /** The whole field with `b=` filled in and a final line end. */
  complete(signature: string): string;
}

/**
 * Lays out the field with an empty `b=`. `lineEnd` ends every line; the
 * prefix is exactly the bytes that will be written before the `b=` value.
 */
export function formatSignatureField(
  tags: SignatureTags,
  lineEnd: "\n" | "\r\n",
): UnsignedField {
  const lines: string[] = [];
  let line = "DKIM-Signature:";
  const add = (piece: string, space: boolean) => {
    if (line.length + piece.length + (space ? 1 : 0) <= MAX_LINE) {
      line += (space ? " " : "") + piece;
    } else {
      lines.push(line);
      line = "\t" + piece;
    }
  };
  add("v=1;", true);
  add(`a=${tags.algorithm};`, true);
  add(`c=${tags.canon.header}/${tags.canon.body};`, true);
  add(`d=${tags.domain};`, true);
  add(`s=${tags.selector};`, true);
  if (tags.identity !== undefined) add(`i=${tags.identity};`, true);
  add(`t=${tags.time};`, true);
  if (tags.expires !== undefined) add(`x=${tags.expires};`, true);
  if (tags.query) add("q=dns/txt;", true);
  tags.headers.forEach((name, i) => {
    const last = i === tags.headers.length - 1;
    add(`${i === 0 ? "h=" : ""}${name}${last ? ";" : ":"}`, i === 0);
  });
  add(`bh=${tags.bodyHash};`, true);
  add("b=", true);
  const before = [...lines];
  const open = line;
  return {
    prefix: [...before, open].join(lineEnd),
    complete(signature: string): string {
      const out = [...before];
      let current = open;
      let rest = signature;
      while (rest.length) {
        const room = MAX_LINE - current.length;
        if (room <= 0) {
          out.push(current);
          current = "\t";
          continue;
        }
        current += rest.slice(0, room);
        rest = rest.slice(room);
      }
      out.push(current);
      return out.join(lineEnd) + lineEnd;
    },
  };
}
