/**
 * Loading a private key file for the commands that sign: read, check its
 * permissions, parse. Errors are one-line messages.
 *
 * @module
 */

import { parsePrivateKeyPem, type PrivateKeyInfo } from "../crypto/keys.ts";
import { err, ok, type Result } from "../result.ts";
import { readKeyFileText } from "../queue/key_file.ts";

/** A loaded key and a warning about its permissions, if any. */
export interface LoadedKey {
  key: PrivateKeyInfo;
  /** Set when others than owner and group can read the file. */
  warning?: string;
}

/**
 * Reads and parses a PEM RSA private key. Returns an error message for a
 * missing, unreadable, non-RSA, encrypted or truncated key.
 */
export function loadPrivateKey(path: string): Result<LoadedKey, string> {
  const read = readKeyFileText(path);
  if (!read.ok) return err(`Cannot read key file "${path}": ${read.error.why}`);
  const { text, mode } = read.value;
  const parsed = parsePrivateKeyPem(text);
  if (!parsed.ok) return err(`Cannot use key file "${path}": ${parsed.error}`);
  let warning: string | undefined;
  if (mode & 0o004) {
    warning = `Key file "${path}" is readable by everyone (mode ${
      (mode & 0o777).toString(8).padStart(4, "0")
    }): run chmod o-rwx on it`;
  }
  return ok({ key: parsed.value, warning });
}
