/**
 * Reads a small regular file in one go, synchronously: queue mode reads a
 * few small local files per message (the key, `dkimkeys`, `rcpthosts`), and
 * each asynchronous file operation costs a turn of the event loop. A path
 * that is not a regular file (a FIFO would block the open) or is larger
 * than the caller's bound is refused before it is read. Control files
 * (`dkimkeys`, `me`) are read here as text, for queue mode and for
 * `dk verify --add-header` alike.
 *
 * @module
 */

import { err, ok, type Result } from "../result.ts";
import { describeError } from "../fs_error.ts";
import { latin1 } from "../bytes.ts";

/** The most bytes of a control file (`CONTROLDIR/dkimkeys`, `me`) read. */
export const MAX_CONTROL_FILE = 1024 * 1024;

/** Why a file could not be read: it (or a directory on its path) does not exist, or anything else. */
export interface ReadFailure {
  kind: "missing" | "unreadable";
  /** Plain words, such as "no such file" or "is a directory". */
  why: string;
}

/** A file read: its bytes and its permission bits. */
export interface FileBytes {
  bytes: Uint8Array;
  /** The file's permission bits. */
  mode: number;
}

/**
 * The bytes and mode of the regular file at `path`, of at most `max` bytes.
 * Fails with "missing" when the file or a directory on its path does not
 * exist (ENOENT, ENOTDIR), else "unreadable" with plain words: a directory,
 * not a regular file, larger than `max` bytes, permission denied, a read
 * error.
 */
export function readRegularFile(
  path: string,
  max: number,
): Result<FileBytes, ReadFailure> {
  const refused = (info: Deno.FileInfo) =>
    err<ReadFailure>({
      kind: "unreadable",
      why: info.isDirectory
        ? "is a directory"
        : !info.isFile
        ? "not a regular file"
        : `larger than ${max} bytes`,
    });
  try {
    const info = Deno.statSync(path);
    if (!info.isFile || info.size > max) return refused(info);
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
    if (!info.isFile || info.size > max) return refused(info);
    const bytes = new Uint8Array(info.size);
    let at = 0;
    while (at < bytes.length) {
      const n = file.readSync(bytes.subarray(at));
      if (n === null || n === 0) break;
      at += n;
    }
    return ok({ bytes: bytes.subarray(0, at), mode: info.mode ?? 0 });
  } catch (e) {
    return err({ kind: "unreadable", why: describeError(e) });
  } finally {
    file.close();
  }
}

/**
 * A small control file's text (latin1, at most `max` bytes, by default
 * {@link MAX_CONTROL_FILE}), or why it could not be had: "missing" or
 * "unreadable" (a larger file too).
 */
export function readControlFile(
  path: string,
  max = MAX_CONTROL_FILE,
): string | "missing" | "unreadable" {
  const read = readRegularFile(path, max);
  if (read.ok) return latin1(read.value.bytes);
  return read.error.kind;
}
