/**
 * A resolver that asks each name once: the first `txt()` of a name goes to
 * the wrapped resolver, later ones share its answer. `dk verify` makes one
 * per message, so DomainKeys and DKIM signatures naming the same
 * `SELECTOR._domainkey.DOMAIN` cost one lookup (dkim.md 3.2).
 *
 * @module
 */

import type { Resolver, TxtAnswer } from "./resolver.ts";

/** A memoizing resolver and the names it sent on. */
export interface MemoResolver extends Resolver {
  /** Each name sent to the wrapped resolver (normalized), in order. */
  readonly asked: readonly string[];
}

/**
 * Wraps `inner` so each name (compared lowercased, one final dot dropped)
 * is looked up at most once. Never throws: a throwing inner resolver gives a
 * `tempfail` answer.
 */
export function memoResolver(inner: Resolver): MemoResolver {
  const answers = new Map<string, Promise<TxtAnswer>>();
  const asked: string[] = [];
  return {
    asked,
    txt(name: string): Promise<TxtAnswer> {
      const key = name.toLowerCase().replace(/\.$/, "");
      let answer = answers.get(key);
      if (!answer) {
        asked.push(key);
        answer = inner.txt(name).catch((e): TxtAnswer => ({
          kind: "tempfail",
          reason: `lookup failed: ${(e as Error).message}`,
        }));
        answers.set(key, answer);
      }
      return answer;
    },
  };
}
