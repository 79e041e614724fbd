/**
 * The custom-error channel of domainkeys.md 2.10: the first of `$ERROR_FD`
 * (a number), fd 6 and fd 4 that the caller left open as a pipe or FIFO.
 * Deno has no API for raw descriptors; on Linux `/dev/fd/N` reaches them.
 * Only descriptors inherited from the caller count (see {@link isChannel}).
 *
 * @module
 */

import { customErrorLine, QUEUE_EXIT, type QueueRefusal } from "../status.ts";
import type { EnvLookup } from "./plan.ts";

/** Linux's O_CLOEXEC bit, as `/proc/self/fdinfo` prints flags (octal). */
const O_CLOEXEC = 0o2000000;

/** The channel fds tried after `$ERROR_FD`, in order. */
export const CHANNEL_FDS: readonly number[] = [6, 4];

/** The descriptor numbers to try, in order: `$ERROR_FD` first when numeric. */
export function channelCandidates(env: EnvLookup): number[] {
  const named = env("ERROR_FD");
  const first = named !== undefined && /^[0-9]{1,4}$/.test(named)
    ? [Number(named)]
    : [];
  return [...first, ...CHANNEL_FDS];
}

/**
 * True when `fd` is open and is a pipe or FIFO, and was not opened by dk's
 * runtime: when `/proc/self/fdinfo` may be read (Deno allows it only with
 * all permissions), a close-on-exec descriptor is refused. Without it the
 * pipe test alone decides, which is safe because the runtime's own
 * descriptors are epoll, eventfd, socket and cache files, and queue mode
 * looks for the channel before it starts any child (whose pipes would be
 * dk's own).
 */
export function isChannel(fd: number): boolean {
  try {
    if (!Deno.statSync(`/dev/fd/${fd}`).isFifo) return false;
  } catch {
    return false;
  }
  const flags = fdFlags(fd);
  return flags === null || (flags & O_CLOEXEC) === 0;
}

/** The open flags of `fd` from `/proc/self/fdinfo`, or null when unreadable. */
function fdFlags(fd: number): number | null {
  try {
    const info = Deno.readTextFileSync(`/proc/self/fdinfo/${fd}`);
    const flags = /^flags:\s*([0-7]+)$/m.exec(info);
    return flags ? parseInt(flags[1], 8) : null;
  } catch {
    return null;
  }
}

/** The custom-error channel's fd, or null when there is none. */
export function findChannel(env: EnvLookup): number | null {
  for (const fd of channelCandidates(env)) {
    if (isChannel(fd)) return fd;
  }
  return null;
}

/** Writes `text` (whole) to `fd` through `/dev/fd`; false when that fails. */
export function writeChannel(fd: number, text: string): boolean {
  let file: Deno.FsFile | undefined;
  try {
    file = Deno.openSync(`/dev/fd/${fd}`, { write: true });
    const bytes = new TextEncoder().encode(text);
    let at = 0;
    while (at < bytes.length) at += file.writeSync(bytes.subarray(at));
    return true;
  } catch {
    return false;
  } finally {
    try {
      file?.close();
    } catch { /* nothing more to do */ }
  }
}

/**
 * Refuses the message: writes the custom error and returns 82 when there is
 * a channel (and the write works), else returns the plain exit code.
 */
export function refuse(refusal: QueueRefusal, env: EnvLookup): number {
  const fd = findChannel(env);
  if (fd === null) return refusal.plainExit;
  const line = customErrorLine(
    refusal.permanent,
    refusal.text,
    refusal.code,
  );
  return writeChannel(fd, line) ? QUEUE_EXIT.customError : refusal.plainExit;
}
