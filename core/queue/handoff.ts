/**
 * The handoff to the queue program (domainkeys.md 2.4, 2.5 step 4): run it
 * in the qmail home with fd 1 (the envelope) and every other inherited fd
 * untouched, write the new header line then the spooled message to its fd 0,
 * and answer with its exit code. A program that stops reading early (broken
 * pipe) is waited for and its code taken. On dk's own trouble the program is
 * killed before its fd 0 is closed, so a partial message is never queued.
 *
 * @module
 */

import { QUEUE_EXIT } from "../status.ts";
import { SpoolReadError } from "./spool.ts";

/** What to hand over. */
export interface Handoff {
  /** The queue program: absolute, or relative to `home`. */
  program: string;
  /** The qmail home, the program's working directory. */
  home: string;
  /** Environment for the program: added to (or, as undefined, removed from) dk's own. */
  env?: Record<string, string | undefined>;
  /**
   * The message: the header line and then the body chunks, or "inherit" to
   * let the program read dk's own fd 0 (nothing to add, nothing spooled).
   */
  message: { header: Uint8Array; body: AsyncIterable<Uint8Array> } | "inherit";
  /** Told about the running program, so a deadline can kill it. */
  started?: (child: Deno.ChildProcess) => void;
}

/**
 * Loads what starting the queue program needs, without starting anything:
 * Deno loads its process and Web Streams internals on first use, some 5–8 ms
 * of work on this thread. Queue mode calls this while it waits for work done
 * elsewhere (the RSA signature, the DNS answer) so that the two overlap.
 * Returns whether the process API is there (it always is under Deno).
 */
export function prepareHandoff(): boolean {
  return typeof Deno.Command === "function" &&
    typeof WritableStream === "function";
}

/** dk's environment with `changes` applied (undefined values removed). */
function childEnv(
  changes: Record<string, string | undefined>,
): Record<string, string> {
  const env = Deno.env.toObject();
  for (const [name, value] of Object.entries(changes)) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  return env;
}

/** The program's path as run: relative paths are under the qmail home. */
export function programPath(program: string, home: string): string {
  return program.startsWith("/") ? program : `${home}/${program}`;
}

/**
 * Runs the queue program and feeds it; resolves to the exit code of dk:
 * 61 when the home is not a directory, 120 when the program cannot be run,
 * 57 when it is killed by a signal or cannot be waited for, 53 when the
 * spool cannot be read back or the pipe fails other than by closing,
 * otherwise the program's exit code.
 */
export async function handOff(h: Handoff): Promise<number> {
  try {
    if (!Deno.statSync(h.home).isDirectory) return QUEUE_EXIT.homeError;
  } catch {
    return QUEUE_EXIT.homeError;
  }
  let child: Deno.ChildProcess;
  try {
    child = new Deno.Command(programPath(h.program, h.home), {
      cwd: h.home,
      clearEnv: h.env !== undefined,
      env: h.env === undefined ? undefined : childEnv(h.env),
      stdin: h.message === "inherit" ? "inherit" : "piped",
      stdout: "inherit",
      stderr: "inherit",
    }).spawn();
  } catch {
    return QUEUE_EXIT.execFailed;
  }
  h.started?.(child);
  if (h.message !== "inherit") {
    const fed = await feed(child, h.message.header, h.message.body);
    if (fed !== "done" && fed !== "closed") {
      kill(child);
      await waitFor(child);
      return fed;
    }
  }
  return await waitFor(child);
}

/**
 * Writes header and body to the program's fd 0 and closes it. "closed" when
 * the program closed its end first (its exit code decides), "done" when all
 * was written, or an exit code for dk's own trouble.
 */
async function feed(
  child: Deno.ChildProcess,
  header: Uint8Array,
  body: AsyncIterable<Uint8Array>,
): Promise<"done" | "closed" | number> {
  const writer = child.stdin.getWriter();
  try {
    if (header.length > 0) await writer.write(header);
    for await (const chunk of body) await writer.write(chunk);
  } catch (e) {
    if (e instanceof SpoolReadError) return QUEUE_EXIT.writeError;
    if (e instanceof Deno.errors.BrokenPipe) return "closed";
    return QUEUE_EXIT.writeError;
  }
  try {
    await writer.close();
  } catch (e) {
    if (e instanceof Deno.errors.BrokenPipe) return "closed";
    return QUEUE_EXIT.writeError;
  }
  return "done";
}

/** The program's exit code; 57 when it died by a signal or wait failed. */
async function waitFor(child: Deno.ChildProcess): Promise<number> {
  try {
    const status = await child.status;
    return status.signal === null ? status.code : QUEUE_EXIT.queueCrashed;
  } catch {
    return QUEUE_EXIT.queueCrashed;
  }
}

/** Kills the program at once (a partial message must not be queued). */
export function kill(child: Deno.ChildProcess): void {
  try {
    child.kill("SIGKILL");
  } catch { /* already gone */ }
}
