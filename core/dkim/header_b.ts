/**
 * What a verifier's report names a DKIM result by, without the rest of
 * `report.ts` (which loads `node:url` for U-labels): RFC 6008's `header.b`
 * prefixes and the `DKIM-Status` text (dkim.md 5.2, 6.8, 6.9). Queue mode's
 * `Authentication-Results` uses these, and must not pay for `node:url`.
 *
 * @module
 */

import type { DkimVerifyResult } from "./verdict.ts";
import { DKIM_STATUS } from "../status.ts";

/** Characters of `b=` that `header_b` shows at least (RFC 6008 section 4). */
export const HEADER_B_MIN = 8;

/**
 * The `header_b` of each signature: the first 8 characters of its `b=`, or
 * the shortest longer prefix no other signature shares (the whole value when
 * two are equal); null where `b=` is not known.
 */
export function headerBPrefixes(texts: (string | null)[]): (string | null)[] {
  return texts.map((text, i) => {
    if (text === null) return null;
    let length = Math.min(HEADER_B_MIN, text.length);
    for (const [j, other] of texts.entries()) {
      if (j === i || other === null) continue;
      while (length < text.length && other.startsWith(text.slice(0, length))) {
        length++;
      }
    }
    return text.slice(0, length);
  });
}

/** The `DKIM-Status` text of a message letter (6.8: `good` for A). */
export function dkimStatusText(verdict: DkimVerifyResult): string {
  return DKIM_STATUS[verdict.letter].text;
}
