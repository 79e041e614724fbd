/**
 * A cancellable one-shot timer that starts cheaply. In Deno 2 the first
 * `setTimeout` of a process costs several milliseconds (it loads the timer
 * machinery behind Node-compatible timer objects), which queue mode pays on
 * every message; `AbortSignal.timeout` does not. Like an unref'd timer, it
 * does not keep the process alive by itself.
 *
 * @module
 */

/**
 * Calls `fn` once after `ms` milliseconds unless the returned function is
 * called first. A non-finite or negative `ms` is treated as 0.
 */
export function after(ms: number, fn: () => void): () => void {
  const delay = Number.isFinite(ms) && ms > 0 ? Math.min(ms, 2 ** 31 - 1) : 0;
  let live = true;
  AbortSignal.timeout(delay).addEventListener("abort", () => {
    if (live) {
      live = false;
      fn();
    }
  }, { once: true });
  return () => {
    live = false;
  };
}
