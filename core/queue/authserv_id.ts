/**
 * This host's authserv-id (dkim.md 6.9), read where it lives: the one queue
 * mode writes in its `Authentication-Results` field and removes others' by
 * (6.10), and the one `dk verify --add-header` writes and removes by, so
 * both name the host the same way.
 *
 * @module
 */

import type { EnvLookup } from "./plan.ts";
import { readControlFile } from "./regular_file.ts";
import { chooseAuthservId } from "./result_fields.ts";

/**
 * The authserv-id for a host whose control directory is `controlDir`:
 * `DK_AUTHSERV_ID`, else the first line of `controlDir/me`, else the host
 * name (`hostName`, the system's by default), the first usable one as
 * {@link chooseAuthservId} judges; null when none is (a configuration
 * error for the caller). A missing or unreadable `me` is skipped. Each
 * source is asked only when the ones before it gave nothing usable (queue
 * mode pays for every file read and system call, per message).
 */
export function authservIdFor(
  env: EnvLookup,
  controlDir: string,
  hostName: () => string | null = systemHostName,
): string | null {
  return chooseAuthservId([env("DK_AUTHSERV_ID")]) ??
    chooseAuthservId([firstLine(`${controlDir}/me`)]) ??
    chooseAuthservId([hostName()]);
}

/** The first line of a control file, or null when it cannot be read. */
export function firstLine(path: string): string | null {
  const text = readControlFile(path);
  if (text === "missing" || text === "unreadable") return null;
  return text.split("\n", 1)[0];
}

/** The system's host name, or null when it cannot be had. */
export function systemHostName(): string | null {
  try {
    return Deno.hostname();
  } catch {
    return null;
  }
}
