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
import { type ReadFailure, readRegularFile } from "./regular_file.ts";

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
export type KeyFileFailure = ReadFailure;

/**
 * The key file's text and mode, or why it cannot be had: "missing" when the
 * file (or a directory on its path) does not exist, else "unreadable", with
 * plain words. Synchronous, and a path that is not a regular file is
 * refused before it is opened (`regular_file.ts`). The one key-file reader
 * of dk: `dk sign`, `dk dns`, queue mode.
 */
export function readKeyFileText(
  path: string,
): Result<KeyFileText, KeyFileFailure> {
  const read = readRegularFile(path, MAX_KEY_FILE);
  if (!read.ok) return read;
  return ok({ text: latin1(read.value.bytes), mode: read.value.mode });
}

/** The key file's text, or only the kind of failure (queue mode's view). */
export function readKeyFile(path: string): Result<string, KeyFileError> {
  const read = readKeyFileText(path);
  return read.ok ? ok(read.value.text) : err(read.error.kind);
}
