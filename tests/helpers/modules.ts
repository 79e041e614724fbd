/**
 * The TypeScript files of the repository, found by walking it (not from any
 * list a script keeps): what the type check and the compiled binary are
 * compared against.
 *
 * @module
 */

import { ROOT } from "./mail_dkim.ts";

/** Folders that hold no source of dk's: installed, generated or cached. */
const SKIPPED = new Set(["node_modules", ".git", ".deno-cache", "dist"]);

/** Every `.ts` file under the root, as sorted paths relative to it. */
export async function allModules(): Promise<string[]> {
  const found: string[] = [];
  async function walk(dir: string, prefix: string): Promise<void> {
    for await (const entry of Deno.readDir(dir)) {
      const path = prefix + entry.name;
      if (entry.isDirectory) {
        if (!SKIPPED.has(entry.name) && path !== "wasm/target") {
          await walk(`${dir}/${entry.name}`, `${path}/`);
        }
      } else if (entry.isFile && entry.name.endsWith(".ts")) {
        found.push(path);
      }
    }
  }
  await walk(ROOT, "");
  return found.sort();
}

/**
 * The modules dk itself can load at run time: every `.ts` file but tests,
 * test helpers (`tests/`, `_`-prefixed files) and the build scripts.
 */
export async function sourceModules(): Promise<string[]> {
  return (await allModules()).filter((f) =>
    !f.endsWith("_test.ts") && !f.startsWith("tests/") &&
    !f.startsWith("scripts/") && !/(^|\/)_[^/]*$/.test(f)
  );
}
