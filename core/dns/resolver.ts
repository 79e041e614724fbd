/**
 * The resolver interface every DNS consumer in dk uses, and its error kinds.
 * Implementations: the system/`--dns` resolver (`net_resolver.ts`), zone
 * files (`zone_resolver.ts`), and the declarative test resolver; wrappers:
 * one message's memo (`memo_resolver.ts`) and a run's cache
 * (`cache_resolver.ts`).
 *
 * @module
 */

import { concat } from "../bytes.ts";

/**
 * The outcome of one TXT lookup. `ttl`, when there, is how many seconds the
 * answer may be kept (from the DNS reply: RFC 1035 TTLs, RFC 2308 for
 * negative answers); answers from zone files and test zones have none.
 */
export type TxtAnswer =
  /** The name has TXT records: each record is its list of character-strings. */
  | { kind: "records"; records: Uint8Array[][]; ttl?: number }
  /** The name does not exist (NXDOMAIN). */
  | { kind: "nxdomain"; ttl?: number }
  /** The name exists but has no TXT record (NODATA). */
  | { kind: "nodata"; ttl?: number }
  /** Temporary trouble: timeout, SERVFAIL, REFUSED, network error. */
  | { kind: "tempfail"; reason: string };

/** Looks up TXT records. Never throws: every failure is a {@link TxtAnswer}. */
export interface Resolver {
  /** TXT records of `name` (no trailing dot needed; case-insensitive). */
  txt(name: string): Promise<TxtAnswer>;
}

/** Joins the character-strings of one TXT record with nothing between them. */
export function joinStrings(record: Uint8Array[]): Uint8Array {
  return concat(...record);
}
