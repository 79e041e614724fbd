/**
 * Reads the signing key file named by DKSIGN: a regular file of at most
 * 64 KiB, as text. A missing file (or a missing directory on its path) is
 * told apart from every other failure, because with `%` in DKSIGN a missing
 * key means "pass unsigned" (domainkeys.md 2.2).
 *
 * @module
 */

import { err, ok, type Result } from "../result.ts";
import { latin1 } from "../bytes.ts";
import { describeError } from "../fs_error.ts";

/** The largest key file read (an 8192-bit PEM key is about 6.5 KB). */
export const MAX_KEY_FILE = 64 * 1024;

/** Why a key file could not be read. */
export type KeyFileError = "missing" | "unreadable";

/** A key file read: its text (one character per byte) and its mode bits. */
export interface KeyFileText {
  text: string;
  /** The file's permission bits (for the world-readable warning). */
  mode: number;
}

/** A key file that could not be read: the kind and plain words why. */
export interface KeyFileFailure {
  kind: KeyFileError;
  /** Plain words, such as "no such file" or "is a directory". */
  why: string;
}

/**
 * The key file's text and mode, or why it cannot be had: "missing" when the
 * file (or a directory on its path) does not exist, else "unreadable", with
 * plain words. Synchronous, as queue mode reads one small local file per
 * message and each asynchronous file operation costs a turn of the event
 * loop; a path that is not a regular file (a FIFO would block the open) is
 * refused before it is opened. The one key-file reader of dk: `dk sign`,
 * `dk dns`, queue mode.
 */
export function readKeyFileText(
  path: string,
): Result<KeyFileText, KeyFileFailure> {
  const refused = (info: Deno.FileInfo) =>
    err<KeyFileFailure>({
      kind: "unreadable",
      why: info.isDirectory
        ? "is a directory"
        : !info.isFile
        ? "not a regular file"
        : `larger than ${MAX_KEY_FILE} bytes`,
    });
  try {
    const info = Deno.statSync(path);
    if (!info.isFile || info.size > MAX_KEY_FILE) return refused(info);
  } catch (e) {
    const missing = e instanceof Deno.errors.NotFound ||
      e instanceof Deno.errors.NotADirectory;
    return err({
      kind: missing ? "missing" : "unreadable",
      why: describeError(e),
    });
  }
  let file: Deno.FsFile;
  try {
    file = Deno.openSync(path, { read: true });
  } catch (e) {
    return err({ kind: "unreadable", why: describeError(e) });
  }
  try {
    const info = file.statSync();
    if (!info.isFile || info.size > MAX_KEY_FILE) return refused(info);
    const bytes = new Uint8Array(info.size);
    let at = 0;
    while (at < bytes.length) {
      const n = file.readSync(bytes.subarray(at));
      if (n === null || n === 0) break;
      at += n;
    }
    return ok({ text: latin1(bytes.subarray(0, at)), mode: info.mode ?? 0 });
  } catch (e) {
    return err({ kind: "unreadable", why: describeError(e) });
  } finally {
    file.close();
  }
}

/** The key file's text, or only the kind of failure (queue mode's view). */
export function readKeyFile(path: string): Result<string, KeyFileError> {
  const read = readKeyFileText(path);
  return read.ok ? ok(read.value.text) : err(read.error.kind);
}
