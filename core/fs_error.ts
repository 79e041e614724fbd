/**
 * Plain words for a file-system error, for the one-line messages of every
 * command (`Cannot read zone file "x": no such file`).
 *
 * @module
 */

/**
 * The error's plain words, without the stack or errno noise: "no such
 * file", "permission denied", "is a directory", "already exists", "not a
 * directory", else the first words of the message, lowercased.
 */
export function describeError(e: unknown): string {
  if (e instanceof Deno.errors.NotFound) return "no such file";
  if (e instanceof Deno.errors.PermissionDenied) return "permission denied";
  if (e instanceof Deno.errors.IsADirectory) return "is a directory";
  if (e instanceof Deno.errors.AlreadyExists) return "already exists";
  if (e instanceof Deno.errors.NotADirectory) return "not a directory";
  if (e instanceof Error) {
    const m = /^[^(,\n]*/.exec(e.message);
    return (m ? m[0] : e.message).trim().toLowerCase() || "error";
  }
  return String(e);
}
