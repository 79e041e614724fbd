/**
 * "Is this queue program dk itself?" (domainkeys.md 2.4): dk refuses to run
 * itself, which would loop. Itself means any file with the same device and
 * inode as: the running executable (the compiled `dk`, or the Deno binary
 * under the launcher), the name dk was invoked under (a `qmail-queue` link
 * resolves to the launcher or the binary), the launcher `scripts/dk` and
 * `main.ts` of this checkout. Links of any kind resolve to one of these.
 * A wrapper script that runs dk is caught by the nesting limit instead.
 *
 * @module
 */

import type { EnvLookup } from "./plan.ts";
import { SOURCE_ROOT } from "../source.ts";

/** The environment variable counting nested `dk queue` runs. */
export const DEPTH_VARIABLE = "DK_QUEUE_DEPTH";

/** Nested `dk queue` runs allowed before dk assumes a loop. */
export const MAX_DEPTH = 8;

/** A file's identity. */
interface FileId {
  dev: number;
  ino: number;
}

/** The files that are "dk itself" for this process, as paths. */
export function selfPaths(
  env: EnvLookup,
  root: URL = SOURCE_ROOT,
): string[] {
  const paths = [Deno.execPath()];
  const argv0 = env("DK_ARGV0");
  if (argv0 && argv0.includes("/")) paths.push(argv0);
  if (root.protocol === "file:") {
    paths.push(new URL("scripts/dk", root).pathname);
    paths.push(new URL("main.ts", root).pathname);
  }
  return paths;
}

/**
 * True when `program` (an absolute path, links followed) is the same file as
 * one of `selves`. A program that cannot be looked at is not dk (running it
 * will fail on its own).
 */
export function isSelf(
  program: string,
  selves: string[],
): boolean {
  const target = fileId(program);
  if (!target) return false;
  for (const path of selves) {
    const id = fileId(path);
    if (id && id.dev === target.dev && id.ino === target.ino) return true;
  }
  return false;
}

/** The nesting depth of this run (0 for the first `dk queue`). */
export function queueDepth(env: EnvLookup): number {
  const value = env(DEPTH_VARIABLE);
  return value && /^[0-9]{1,4}$/.test(value) ? Number(value) : 0;
}

/** Synchronous: a few stats per message cost less than event-loop turns. */
function fileId(path: string): FileId | null {
  try {
    const info = Deno.statSync(path);
    if (info.dev === null || info.ino === null) return null;
    return { dev: info.dev, ino: info.ino };
  } catch {
    return null;
  }
}
