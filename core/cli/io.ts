/**
 * The edges every command shares: reading a whole stream, writing all bytes,
 * and the one-line error format `dk: …` (sentence case, values quoted, no
 * stack traces).
 *
 * @module
 */

import { type FlagConfig, type ParsedFlags, parseFlagArgs } from "./flags.ts";
import { joinBytes } from "../bytes.ts";
import { printable } from "../printable.ts";

/** Reads a readable stream to the end into one byte array. */
export async function readAll(
  stream: ReadableStream<Uint8Array>,
): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const chunk of stream) parts.push(chunk);
  return joinBytes(parts);
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

/**
 * Writes all of `bytes` to stdout at once, as `console.log` writes (a
 * stdout that is closed or gone loses them, silently), but not through
 * V8's console: that keeps the last messages for a debugger, up to 10 MB
 * of them, memory a long `dk verify` run would never get back.
 */
export function writeStdoutSync(bytes: Uint8Array): void {
  try {
    for (let at = 0; at < bytes.length;) {
      at += Deno.stdout.writeSync(bytes.subarray(at));
    }
  } catch { /* as console.log: the reader went away */ }
}

/** Prints one error line on stderr, control characters escaped. */
export function fail(message: string): void {
  console.error(`dk: ${printable(message, Infinity)}`);
}

/**
 * Parses a command's flags as `node:util` parseArgs would (`flags.ts`;
 * `config` says how: strict, positionals or not). On a bad flag prints
 * `dk: <first line of the reason> (usage: USAGE)` and returns null.
 */
export function parseFlags<T extends FlagConfig>(
  config: T,
  usage: string,
): ParsedFlags<T> | null {
  try {
    return parseFlagArgs(config);
  } catch (e) {
    fail(`${(e as Error).message.split("\n")[0]} (usage: ${usage})`);
    return null;
  }
}

export { describeError } from "../fs_error.ts";
