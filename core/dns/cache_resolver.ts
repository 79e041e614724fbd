/**
 * A resolver that keeps answers for a run of many messages (`dk verify
 * DIR`): a name asked again while its answer is fresh costs no lookup, and
 * askers of a name whose lookup is in flight share it. An answer is fresh
 * for its DNS TTL (at most {@link MAX_KEEP_SECONDS}); answers without a TTL
 * (a zone file, a negative answer without a SOA) and temporary failures
 * only for {@link BRIEF_KEEP_SECONDS}, so a failing server is asked again
 * soon but not once per message. At most {@link MAX_ENTRIES} names are
 * kept; past that the oldest goes.
 *
 * @module
 */

import type { Resolver, TxtAnswer } from "./resolver.ts";

/** The longest an answer is kept, whatever its TTL (seconds). */
export const MAX_KEEP_SECONDS = 3600;
/** How long a failure or an answer without a TTL is kept (seconds). */
export const BRIEF_KEEP_SECONDS = 1;
/** The most names kept at once. */
export const MAX_ENTRIES = 10_000;

/** Options of {@link cacheResolver}; the defaults are the constants above. */
export interface CacheOptions {
  /** The clock in milliseconds (tests); default `Date.now`. */
  now?: () => number;
  maxEntries?: number;
  briefSeconds?: number;
  maxKeepSeconds?: number;
}

/** A caching resolver and what it sent on. */
export interface CacheResolver extends Resolver {
  /** Lookups sent to the wrapped resolver (names normalized), in order. */
  readonly asked: readonly string[];
}

interface Entry {
  answer: Promise<TxtAnswer>;
  /** When it stops being fresh (ms); Infinity while in flight. */
  until: number;
}

/**
 * Wraps `inner` with a run-wide cache (names compared lowercased, one final
 * dot dropped). Never throws: a throwing inner resolver gives a `tempfail`
 * answer, kept briefly like any failure.
 */
export function cacheResolver(
  inner: Resolver,
  options: CacheOptions = {},
): CacheResolver {
  const now = options.now ?? Date.now;
  const maxEntries = Math.max(1, options.maxEntries ?? MAX_ENTRIES);
  const briefMs = (options.briefSeconds ?? BRIEF_KEEP_SECONDS) * 1000;
  const maxKeepMs = (options.maxKeepSeconds ?? MAX_KEEP_SECONDS) * 1000;
  const entries = new Map<string, Entry>();
  const asked: string[] = [];

  const keepFor = (answer: TxtAnswer): number => {
    if (answer.kind === "tempfail" || answer.ttl === undefined) return briefMs;
    return Math.min(answer.ttl * 1000, maxKeepMs);
  };

  return {
    asked,
    txt(name: string): Promise<TxtAnswer> {
      const key = name.toLowerCase().replace(/\.$/, "");
      const found = entries.get(key);
      if (found && found.until > now()) return found.answer;
      if (found) entries.delete(key);
      while (entries.size >= maxEntries) {
        // Map order is insertion order: the first key is the oldest.
        entries.delete(entries.keys().next().value!);
      }
      asked.push(key);
      let pending: Promise<TxtAnswer>;
      try {
        pending = inner.txt(name);
      } catch (e) {
        pending = Promise.reject(e);
      }
      const entry: Entry = {
        answer: pending.catch((e): TxtAnswer => ({
          kind: "tempfail",
          reason: `lookup failed: ${(e as Error).message}`,
        })).then((answer) => {
          entry.until = now() + keepFor(answer);
          return answer;
        }),
        until: Infinity,
      };
      entries.set(key, entry);
      return entry.answer;
    },
  };
}
