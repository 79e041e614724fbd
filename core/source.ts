/**
 * dk's source tree, for the modules loaded on demand by a computed URL
 * (Deno then walks their graphs only when they are needed). The root is
 * found from this file, one directory below it; the queue bundle
 * (`dist/queue.js`, see `core/queue/bundle_entry.ts`) also sits one
 * directory below the root, so the same URLs hold inside it.
 *
 * @module
 */

/** The URL of the source tree's root directory (ends in `/`). */
export const SOURCE_ROOT: URL = new URL("../", import.meta.url);

/**
 * Imports the module at `path` (relative to the root, as
 * `core/crypto/bigint.ts`). Rejects, as `import()` does, when it cannot be
 * loaded.
 */
export function importSource<T>(path: string): Promise<T> {
  return import(new URL(path, SOURCE_ROOT).href);
}
