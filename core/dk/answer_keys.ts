/**
 * The DomainKeys key records of one DNS answer, read once per answer
 * object: a run's DNS cache (`cache_resolver.ts`) hands every message the
 * same answer, so `dk verify DIR` parses a selector's record once, not once
 * per message, and every message gets the same key object (the crypto
 * backends then find its prepared form by the object, `key_cache.ts`).
 * Answers are never changed once made, so what was read stays true; a
 * fresh answer (another lookup, another resolver) is read again.
 *
 * @module
 */

import { latin1 } from "../bytes.ts";
import { joinStrings, type TxtAnswer } from "../dns/resolver.ts";
import {
  type KeyRecordReading,
  looksLikeKeyRecord,
  readKeyRecord,
} from "./key_record.ts";

/** An answer with records. */
type Records = Extract<TxtAnswer, { kind: "records" }>;

/** What was read from each answer, with the minimum bits it was read for. */
const _read = new WeakMap<
  Records,
  { minBits: number; readings: readonly KeyRecordReading[] }
>();

/**
 * The answer's records that look like key records (`p=`), each joined,
 * read as latin1 and checked for any sender (`readKeyRecord`), in answer
 * order; the same array for the same answer and `minBits`.
 */
export function keyRecordReadings(
  answer: Records,
  minBits: number,
): readonly KeyRecordReading[] {
  const known = _read.get(answer);
  if (known !== undefined && known.minBits === minBits) return known.readings;
  const readings = answer.records.map((r) => latin1(joinStrings(r)))
    .filter(looksLikeKeyRecord)
    .map((text) => readKeyRecord(text, minBits));
  _read.set(answer, { minBits, readings });
  return readings;
}
