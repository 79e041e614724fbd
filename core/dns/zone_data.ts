/**
 * What a zone file says, reduced to what a TXT lookup needs: the TXT records
 * and CNAMEs by name, every name that owns any record, and the zones the file
 * is authoritative for. Filled by `zone_bind.ts` and `zone_tinydns.ts`, read
 * by {@link lookupTxt}. Pure.
 *
 * Names are lowercase, without a final dot.
 *
 * @module
 */

import type { TxtAnswer } from "./resolver.ts";

const MAX_CNAME_HOPS = 8;

/** The contents of one zone file. */
export interface ZoneData {
  /** TXT records by owner name: each record is its character-strings. */
  txt: Map<string, Uint8Array[][]>;
  /** CNAME target by owner name. */
  cname: Map<string, string>;
  /** Every owner name of any record, of any type. */
  names: Set<string>;
  /** Apexes of the zones the file answers for; empty = answers for every name. */
  zones: Set<string>;
}

/** An empty {@link ZoneData}. */
export function emptyZone(): ZoneData {
  return {
    txt: new Map(),
    cname: new Map(),
    names: new Set(),
    zones: new Set(),
  };
}

/** Adds one TXT record (its character-strings) at `name`. */
export function addTxt(
  zone: ZoneData,
  name: string,
  strings: Uint8Array[],
): void {
  const records = zone.txt.get(name) ?? [];
  records.push(strings);
  zone.txt.set(name, records);
  zone.names.add(name);
}

/** Lowercases ASCII letters and drops one final dot. */
export function normalizeName(name: string): string {
  return name.replace(/\.$/, "").replace(/[A-Z]/g, (c) => c.toLowerCase());
}

/** True when `name` is `apex` or below it. */
export function isAtOrBelow(name: string, apex: string): boolean {
  return apex === "" || name === apex || name.endsWith("." + apex);
}

/**
 * Answers a TXT query from `zone` as an authoritative server would: records
 * (following CNAMEs inside the file), `nodata` for a name that owns other
 * records or has names below it, `nxdomain` for any other name inside the
 * file's zones, and `tempfail` ("not in the zone file", as a server's
 * REFUSED) for a name outside every zone.
 */
export function lookupTxt(zone: ZoneData, name: string): TxtAnswer {
  let current = normalizeName(name);
  for (let hop = 0; hop <= MAX_CNAME_HOPS; hop++) {
    if (!_inZones(zone, current)) {
      return {
        kind: "tempfail",
        reason: `${current} is outside the zones of the zone file`,
      };
    }
    const records = zone.txt.get(current);
    if (records) {
      return {
        kind: "records",
        records: records.map((r) => r.map((s) => s.slice())),
      };
    }
    const target = zone.cname.get(current);
    if (target === undefined) break;
    current = target;
  }
  if (zone.cname.has(current)) {
    return {
      kind: "tempfail",
      reason: "CNAME chain too long in the zone file",
    };
  }
  if (zone.names.has(current)) return { kind: "nodata" };
  const suffix = "." + current;
  for (const owner of zone.names) {
    if (owner.endsWith(suffix)) return { kind: "nodata" };
  }
  return { kind: "nxdomain" };
}

function _inZones(zone: ZoneData, name: string): boolean {
  if (zone.zones.size === 0) return true;
  for (const apex of zone.zones) if (isAtOrBelow(name, apex)) return true;
  return false;
}
