/**
 * Reads the signing key file named by DKSIGN: a regular file of at most
 * 64 KiB, as text. A missing file (or a missing directory on its path) is
 * told apart from every other failure, because with `%` in DKSIGN a missing
 * key means "pass unsigned" (domainkeys.md 2.2).
 *
 * @module
 */

import { err, ok, type Result } from "../result.ts";

/** The largest key file read (an 8192-bit PEM key is about 6.5 KB). */
export const MAX_KEY_FILE = 64 * 1024;

/** Why a key file could not be read. */
export type KeyFileError = "missing" | "unreadable";

/**
 * The key file's text, or why it cannot be had. Synchronous, as queue mode
 * reads one small local file per message and each asynchronous file
 * operation costs a turn of the event loop; a path that is not a regular
 * file (a FIFO would block the open) is refused before it is opened.
 */
export function readKeyFile(path: string): Result<string, KeyFileError> {
  try {
    const info = Deno.statSync(path);
    if (!info.isFile || info.size > MAX_KEY_FILE) return err("unreadable");
  } catch (e) {
    const missing = e instanceof Deno.errors.NotFound ||
      e instanceof Deno.errors.NotADirectory;
    return err(missing ? "missing" : "unreadable");
  }
  let file: Deno.FsFile;
  try {
    file = Deno.openSync(path, { read: true });
  } catch {
    return err("unreadable");
  }
  try {
    const info = file.statSync();
    if (!info.isFile || info.size > MAX_KEY_FILE) return err("unreadable");
    const bytes = new Uint8Array(info.size);
    let at = 0;
    while (at < bytes.length) {
      const n = file.readSync(bytes.subarray(at));
      if (n === null || n === 0) break;
      at += n;
    }
    return ok(new TextDecoder().decode(bytes.subarray(0, at)));
  } catch {
    return err("unreadable");
  } finally {
    file.close();
  }
}
