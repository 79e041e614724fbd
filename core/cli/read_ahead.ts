/**
 * An async iterable read one item ahead: the next item is asked for as the
 * current one is handed out, so its wait (a directory entry from a thread
 * of the runtime's pool) runs while the consumer works on this one, instead
 * of after. `dk verify DIR` lists folders this way: one entry ahead, never
 * the whole listing.
 *
 * @module
 */

/**
 * The items of `source` in order, each next one asked for before this one
 * is yielded. An error of the source comes after the items before it, as
 * it would without the read-ahead; ending early closes the source.
 */
export async function* readAhead<T>(
  source: AsyncIterable<T>,
): AsyncGenerator<T, void, undefined> {
  const iterator = source[Symbol.asyncIterator]();
  let done = false;
  try {
    let next = iterator.next();
    for (;;) {
      const item = await next;
      if (item.done) {
        done = true;
        return;
      }
      next = iterator.next();
      // Awaited at the next turn; until then, not an unhandled rejection.
      next.catch(() => {});
      yield item.value;
    }
  } catch (e) {
    done = true;
    throw e;
  } finally {
    if (!done) await iterator.return?.();
  }
}
