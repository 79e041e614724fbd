/**
 * A {@link Resolver} built from a declarative zone, for tests: each name maps
 * to its TXT records (each a list of character-strings) or to an outcome.
 * Every query is recorded, in order. Pure: no I/O.
 *
 * ```ts
 * const resolver = memoryResolver({
 *   "s._domainkey.example.com": [["k=rsa; p=MIGf…"]],
 *   "_domainkey.example.com": "nodata",
 *   "t._domainkey.example.com": "servfail",
 * });
 * ```
 *
 * @module
 */

import type { Resolver, TxtAnswer } from "./resolver.ts";

/** What a name answers: records (strings or bytes) or an outcome. */
export type MemoryEntry =
  | (string | Uint8Array)[][]
  | "nxdomain"
  | "nodata"
  | "servfail"
  | "timeout";

/** A declarative zone: lowercase names (no final dot) to entries. */
export type MemoryZone = Record<string, MemoryEntry>;

/** A resolver that also shows what it was asked. */
export interface MemoryResolver extends Resolver {
  /** Every name asked for, normalized (lowercase, no final dot), in order. */
  queries: string[];
}

/**
 * A resolver answering from `zone`. Names not in the zone answer `nxdomain`;
 * `servfail` and `timeout` answer `tempfail` (without waiting).
 */
export function memoryResolver(zone: MemoryZone): MemoryResolver {
  const te = new TextEncoder();
  const entries = new Map<string, MemoryEntry>();
  for (const [name, entry] of Object.entries(zone)) {
    entries.set(_normalize(name), entry);
  }
  const queries: string[] = [];
  // Each text is encoded once (benchmarks ask for the same record again
  // and again); every answer still gets its own copies.
  const encoded = new Map<string, Uint8Array>();
  const bytesOf = (text: string) => {
    let bytes = encoded.get(text);
    if (bytes === undefined) {
      bytes = te.encode(text);
      encoded.set(text, bytes);
    }
    return bytes.slice();
  };
  return {
    queries,
    txt(name: string): Promise<TxtAnswer> {
      const key = _normalize(name);
      queries.push(key);
      const entry = entries.get(key) ?? "nxdomain";
      let answer: TxtAnswer;
      if (entry === "nxdomain" || entry === "nodata") answer = { kind: entry };
      else if (entry === "servfail" || entry === "timeout") {
        answer = { kind: "tempfail", reason: `test zone says ${entry}` };
      } else if (entry.length === 0) answer = { kind: "nodata" };
      else {
        answer = {
          kind: "records",
          records: entry.map((r) =>
            r.map((s) => typeof s === "string" ? bytesOf(s) : s.slice())
          ),
        };
      }
      return Promise.resolve(answer);
    },
  };
}

function _normalize(name: string): string {
  return name.replace(/\.$/, "").toLowerCase();
}
