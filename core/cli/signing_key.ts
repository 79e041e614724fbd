/**
 * Loading a DKIM signing key file for `dk sign`: read (the one key-file
 * reader of `core/queue/key_file.ts`), parse as an RSA or Ed25519 PEM key
 * (dkim.md 4.4), warn when everyone can read it.
 *
 * @module
 */

import { type DkimSigningKey, parseSigningKeyPem } from "../dkim/sign.ts";
import { readKeyFileText } from "../queue/key_file.ts";
import { err, ok, type Result } from "../result.ts";

/** A loaded signing key and a warning about its permissions, if any. */
export interface LoadedSigningKey {
  key: DkimSigningKey;
  /** Set when others than owner and group can read the file. */
  warning?: string;
}

/**
 * Reads and parses a PEM RSA (PKCS#1 or PKCS#8) or Ed25519 (PKCS#8) private
 * key. Returns a one-line error for a missing, unreadable, encrypted,
 * damaged or other-type key.
 */
export function loadSigningKey(
  path: string,
): Result<LoadedSigningKey, string> {
  const read = readKeyFileText(path);
  if (!read.ok) return err(`Cannot read key file "${path}": ${read.error.why}`);
  const parsed = parseSigningKeyPem(read.value.text);
  if (!parsed.ok) return err(`Cannot use key file "${path}": ${parsed.error}`);
  const mode = read.value.mode;
  return ok({
    key: parsed.value,
    warning: mode & 0o004
      ? `Key file "${path}" is readable by everyone (mode ${
        (mode & 0o777).toString(8).padStart(4, "0")
      }): run chmod o-rwx on it`
      : undefined,
  });
}
