/**
 * The resolver interface every DNS consumer in dk uses, and its error kinds.
 * Implementations: the system/`--dns` resolver (`deno_resolver.ts`), zone
 * files (`zone_resolver.ts`), and the declarative test resolver.
 *
 * @module
 */

import { concat } from "../bytes.ts";

/** The outcome of one TXT lookup. */
export type TxtAnswer =
  /** The name has TXT records: each record is its list of character-strings. */
  | { kind: "records"; records: Uint8Array[][] }
  /** The name does not exist (NXDOMAIN). */
  | { kind: "nxdomain" }
  /** The name exists but has no TXT record (NODATA). */
  | { kind: "nodata" }
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
