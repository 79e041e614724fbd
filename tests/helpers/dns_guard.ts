/**
 * Makes any real DNS lookup from inside a test fail the test. `guardDns()`
 * installs a hook in `core/dns/net_resolver.ts` that throws (so `txt()`
 * rejects and the test fails with "stray DNS lookup") and replaces
 * `Deno.resolveDns` with a function that throws the same way; it returns a
 * function that restores both and lists the stray lookups seen.
 *
 * ```ts
 * const release = guardDns();
 * try { ... } finally { release(); }
 * ```
 *
 * @module
 */

import { setNetworkGuard } from "../../core/dns/net_resolver.ts";

/** Installs the guard; the returned function removes it and returns the lookups it stopped. */
export function guardDns(): () => string[] {
  const stray: string[] = [];
  const original = Deno.resolveDns;
  const refuse = (what: string): never => {
    stray.push(what);
    throw new Error(`stray DNS lookup in a test: ${what}`);
  };
  setNetworkGuard(refuse);
  (Deno as { resolveDns: unknown }).resolveDns = (name: string) =>
    Promise.reject(new Error(`stray DNS lookup in a test: ${name}`)).finally(
      () => stray.push(name),
    );
  return () => {
    setNetworkGuard(null);
    (Deno as { resolveDns: unknown }).resolveDns = original;
    return stray;
  };
}

/** Runs `fn` with the guard installed; fails when `fn` tried a real lookup. */
export async function withDnsGuard<T>(fn: () => Promise<T>): Promise<T> {
  const release = guardDns();
  let stray: string[] = [];
  try {
    return await fn();
  } finally {
    stray = release();
    if (stray.length) {
      // deno-lint-ignore no-unsafe-finally
      throw new Error(`stray DNS lookups in a test: ${stray.join(", ")}`);
    }
  }
}
