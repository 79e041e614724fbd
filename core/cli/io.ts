/**
 * The edges every command shares: reading a whole stream, writing all bytes,
 * and the one-line error format `dk: …` (sentence case, values quoted, no
 * stack traces).
 *
 * @module
 */

import { parseArgs, type ParseArgsConfig } from "node:util";

/** Reads a readable stream to the end into one byte array. */
export async function readAll(
  stream: ReadableStream<Uint8Array>,
): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of stream) {
    parts.push(chunk);
    size += chunk.length;
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * Writes all of `bytes` to stdout. Returns false when stdout is closed
 * (a reader such as `head` went away), instead of throwing.
 */
export async function writeStdout(bytes: Uint8Array): Promise<boolean> {
  let at = 0;
  try {
    while (at < bytes.length) {
      at += await Deno.stdout.write(bytes.subarray(at));
    }
    return true;
  } catch (e) {
    if (e instanceof Deno.errors.BrokenPipe) return false;
    throw e;
  }
}

/** Prints one error line on stderr, control characters escaped. */
export function fail(message: string): void {
  const clean = message.replace(
    /[^\x20-\x7e]/g,
    (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`,
  );
  console.error(`dk: ${clean}`);
}

/**
 * Parses a command's flags with `node:util` parseArgs (`config` says how:
 * strict, positionals or not). On a bad flag prints
 * `dk: <first line of the reason> (usage: USAGE)` and returns null.
 */
export function parseFlags<T extends ParseArgsConfig>(
  config: T,
  usage: string,
): ReturnType<typeof parseArgs<T>> | null {
  try {
    return parseArgs(config);
  } catch (e) {
    fail(`${(e as Error).message.split("\n")[0]} (usage: ${usage})`);
    return null;
  }
}

/** Plain words for a file-system error, without the stack or errno noise. */
export function describeError(e: unknown): string {
  if (e instanceof Deno.errors.NotFound) return "no such file";
  if (e instanceof Deno.errors.PermissionDenied) return "permission denied";
  if (e instanceof Deno.errors.IsADirectory) return "is a directory";
  if (e instanceof Deno.errors.AlreadyExists) return "already exists";
  if (e instanceof Error) {
    const m = /^[^(,\n]*/.exec(e.message);
    return (m ? m[0] : e.message).trim().toLowerCase() || "error";
  }
  return String(e);
}
