/**
 * Loading a private key file for the commands that sign: read, check its
 * permissions, parse. Errors are one-line messages.
 *
 * @module
 */

import { describeError } from "./io.ts";
import { parsePrivateKeyPem, type PrivateKeyInfo } from "../crypto/keys.ts";
import { err, ok, type Result } from "../result.ts";

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
export async function loadPrivateKey(
  path: string,
): Promise<Result<LoadedKey, string>> {
  let text: string;
  let mode: number | null = null;
  try {
    const info = await Deno.stat(path);
    if (info.isDirectory) {
      return err(`Cannot read key file "${path}": is a directory`);
    }
    mode = info.mode;
    text = new TextDecoder("latin1").decode(await Deno.readFile(path));
  } catch (e) {
    return err(`Cannot read key file "${path}": ${describeError(e)}`);
  }
  const parsed = parsePrivateKeyPem(text);
  if (!parsed.ok) return err(`Cannot use key file "${path}": ${parsed.error}`);
  let warning: string | undefined;
  if (mode !== null && (mode & 0o004)) {
    warning = `Key file "${path}" is readable by everyone (mode ${
      (mode & 0o777).toString(8).padStart(4, "0")
    }): run chmod o-rwx on it`;
  }
  return ok({ key: parsed.value, warning });
}
