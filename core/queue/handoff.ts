/**
 * The handoff to the queue program (domainkeys.md 2.4, 2.5 step 4): run it
 * in the qmail home with every inherited fd untouched, write the new header
 * line then the spooled message to its fd 0 and close it, then write the
 * envelope into its fd 1 (a pipe whose only write end dk holds, see
 * envelope.ts) and close that, and answer with its exit code. A program
 * that stops reading early (broken pipe) is waited for and its code taken.
 * On dk's own trouble the program is killed, and in any case it never sees
 * the envelope's final NUL before the whole message, so a partial message
 * is never queued.
 *
 * The program inherits dk's environment as it is, byte for byte (values
 * that are not UTF-8 included): only what dk must remove is removed, from
 * dk's own environment, before the program starts.
 *
 * @module
 */

import { QUEUE_EXIT } from "../status.ts";
import { SpoolReadError } from "./spool.ts";

/** Where the envelope goes (an {@link EnvelopePipe} of envelope.ts). */
export interface EnvelopeOut {
  /** The envelope, written on unchanged. */
  envelope: Uint8Array;
  /** The write end of the program's fd 1, closed by {@link handOff}. */
  pipe: { write(bytes: Uint8Array): Promise<number>; close(): void };
}

/** What to hand over. */
export interface Handoff {
  /** The queue program: absolute, or relative to `home`. */
  program: string;
  /** The qmail home, the program's working directory. */
  home: string;
  /**
   * Changes to the environment the program inherits: a value is set for
   * it, undefined removes the variable (from dk's own environment).
   */
  env?: Record<string, string | undefined>;
  /** The message: the header line and then the body chunks. */
  message: { header: Uint8Array; body: AsyncIterable<Uint8Array> };
  /** The envelope and the pipe it goes into, the program's fd 1. */
  envelope: EnvelopeOut;
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

/**
 * True for a variable Deno refuses to pass to a program under a restricted
 * `--allow-run` (its own test: the name, trimmed, starts with `LD_` or
 * `DYLD_` in any case). The dynamic loader's variables are not the queue
 * program's business, so dk drops them.
 */
export function isLoaderVariable(name: string): boolean {
  return /^\s*(LD_|DYLD_)/i.test(name);
}

/**
 * Removes from dk's own environment the variables `changes` removes and
 * every loader variable, so that the program inherits the rest unchanged;
 * returns the variables to set.
 */
function applyEnv(
  changes: Record<string, string | undefined>,
): Record<string, string> {
  const set: Record<string, string> = {};
  for (const [name, value] of Object.entries(changes)) {
    if (value === undefined) Deno.env.delete(name);
    else set[name] = value;
  }
  for (const name of Object.keys(Deno.env.toObject())) {
    if (isLoaderVariable(name)) Deno.env.delete(name);
  }
  return set;
}

/** The queue program now running, for {@link killQueueProgram}. */
let running: Deno.ChildProcess | null = null;

/**
 * Kills the queue program if one is running (a signal to dk, an uncaught
 * error): nothing half-handed-over may be queued.
 */
export function killQueueProgram(): void {
  if (running !== null) kill(running);
}

/** The program's path as run: relative paths are under the qmail home. */
export function programPath(program: string, home: string): string {
  return program.startsWith("/") ? program : `${home}/${program}`;
}

/**
 * Runs the queue program and feeds it; resolves to the exit code of dk:
 * 61 when the home is not a directory, 120 when the program cannot be run,
 * 57 when it is killed by a signal or cannot be waited for, 53 when the
 * spool cannot be read back or a pipe fails other than by closing,
 * otherwise the program's exit code. The envelope's pipe is closed in
 * every case.
 */
export async function handOff(h: Handoff): Promise<number> {
  try {
    return await feedAndWait(h);
  } finally {
    try {
      h.envelope.pipe.close();
    } catch { /* closed already */ }
  }
}

async function feedAndWait(h: Handoff): Promise<number> {
  try {
    if (!Deno.statSync(h.home).isDirectory) return QUEUE_EXIT.homeError;
  } catch {
    return QUEUE_EXIT.homeError;
  }
  let child: Deno.ChildProcess;
  try {
    child = new Deno.Command(programPath(h.program, h.home), {
      cwd: h.home,
      env: applyEnv(h.env ?? {}),
      stdin: "piped",
      stdout: "inherit",
      stderr: "inherit",
    }).spawn();
  } catch {
    return QUEUE_EXIT.execFailed;
  }
  running = child;
  h.started?.(child);
  try {
    const fed = await feed(child, h.message.header, h.message.body);
    if (fed === "done") {
      // The program may end without reading its fd 1, whose read end dk
      // holds too: a big envelope would then never be written whole.
      const status = waitFor(child);
      const sent = await Promise.race([
        sendEnvelope(h.envelope),
        status.then(() => "exited" as const),
      ]);
      if (sent !== "done" && sent !== "exited") {
        kill(child);
        await status;
        return sent;
      }
      return await status;
    }
    if (fed !== "closed") {
      kill(child);
      await waitFor(child);
      return fed;
    }
    return await waitFor(child);
  } finally {
    running = null;
  }
}

/** Writes the envelope whole and closes the pipe: "done", or 53. */
async function sendEnvelope(out: EnvelopeOut): Promise<"done" | number> {
  try {
    let at = 0;
    while (at < out.envelope.length) {
      at += await out.pipe.write(out.envelope.subarray(at));
    }
    out.pipe.close();
    return "done";
  } catch {
    return QUEUE_EXIT.writeError;
  }
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
