/**
 * Runs `dk queue` the way qmail-smtpd does, for the whole-program tests: the
 * message on fd 0, the envelope on fd 1 (a pipe, the read end), an
 * optional pipe at fd 6 (or another fd) for the custom-error channel, and the
 * fake queue program (`fake_queue.sh`) as DKQUEUE, recording into a folder.
 *
 * @module
 */

import { DK, ROOT } from "./mail_dkim.ts";

/** The fake queue program. */
export const FAKE_QUEUE = `${ROOT}/tests/helpers/fake_queue.sh`;

/** The envelope the tests send: one sender, two recipients. */
export const ENVELOPE = new TextEncoder().encode(
  "Fsender@example.net\0Trcpt@example.org\0Tother@example.org\0\0",
);

/** How to run one `dk queue`. */
export interface QueueRun {
  /** The message on fd 0. */
  message: Uint8Array | { file: string };
  /** Environment for dk (on top of a minimal PATH/HOME). */
  env?: Record<string, string>;
  /** The fd carrying a pipe for custom errors (6, 4, …); none by default. */
  channelFd?: number;
  /** Put a regular file (not a pipe) at this fd instead. */
  fileAtFd?: number;
  /** The program to run instead of `scripts/dk queue` (e.g. a qmail-dk link). */
  argv?: string[];
  /** Wrap the run in this command prefix (e.g. setpriv …). */
  prefix?: string[];
  /** Deadline for the whole run in ms (default 60 000). */
  timeoutMs?: number;
  /** The envelope's bytes (default {@link ENVELOPE}). */
  envelope?: Uint8Array;
  /** fd 1 as a regular file opened for reading, not a pipe (refused). */
  envelopeFile?: boolean;
  /**
   * Variables exported by bash before dk starts, as bash `$'…'` strings
   * (for values that are not UTF-8), e.g. `{ X: "caf\\xe9" }`.
   */
  rawEnv?: Record<string, string>;
  /** Told the run's folder before dk starts (to watch the fake queue). */
  onDir?: (dir: string) => void;
}

/** What happened. */
export interface QueueOutcome {
  code: number;
  /** What dk wrote on stderr (must stay empty). */
  stderr: string;
  /** What arrived on the channel pipe ("" when none). */
  channel: string;
  /** Folder the fake queue program recorded into. */
  dir: string;
  /** The message the fake queue got, or null when it did not run/finish. */
  queued: Uint8Array | null;
  /** The envelope the fake queue read on its fd 1, or null. */
  envelope: Uint8Array | null;
  /** Wall time in ms. */
  ms: number;
}

const decoder = new TextDecoder();

/** A fresh folder for one run (removed by {@link cleanup}). */
export function workDir(): Promise<string> {
  return Deno.makeTempDir({ prefix: "dk-queue-test-" });
}

/** Removes folders made by {@link workDir}. */
export async function cleanup(...dirs: string[]): Promise<void> {
  for (const d of dirs) {
    await Deno.remove(d, { recursive: true }).catch(() => {});
  }
}

async function readOrNull(path: string): Promise<Uint8Array | null> {
  try {
    return await Deno.readFile(path);
  } catch {
    return null;
  }
}

/**
 * Runs `scripts/dk queue` under bash so that fd 1 is the read end of a pipe
 * the envelope is written into (or, with `envelopeFile`, the envelope file
 * opened for reading) and, when asked, fd N is a pipe whose far end is
 * collected. DKQUEUE defaults to the fake queue and DK_QMAIL_HOME to the
 * run's folder.
 */
export async function runQueue(r: QueueRun): Promise<QueueOutcome> {
  const dir = await workDir();
  const envelopeFile = `${dir}/envelope.in`;
  await Deno.writeFile(envelopeFile, r.envelope ?? ENVELOPE);
  let messageFile: string;
  if (r.message instanceof Uint8Array) {
    messageFile = `${dir}/message.in`;
    await Deno.writeFile(messageFile, r.message);
  } else {
    messageFile = r.message.file;
  }
  const channelFile = `${dir}/channel.out`;
  const record = `${dir}/queue`;
  await Deno.mkdir(record);
  await Deno.chmod(dir, 0o777);
  await Deno.chmod(record, 0o777);
  let script = r.envelopeFile
    ? '"$@" <"$T_MESSAGE" 1<"$T_ENVELOPE"'
    : 'cat "$T_ENVELOPE" | "$@" 1<&0 <"$T_MESSAGE"';
  if (r.channelFd !== undefined) {
    const fd = r.channelFd;
    script = `exec ${fd}> >(cat > "$T_CHANNEL"); pid=$!; ${script}; rc=$?; ` +
      `exec ${fd}>&-; wait $pid; exit $rc`;
  } else if (r.fileAtFd !== undefined) {
    script = `exec ${r.fileAtFd}>"$T_CHANNEL"; ${script}`;
  } else {
    script = `exec 4>&- 6>&-; ${script}`;
  }
  for (const [name, value] of Object.entries(r.rawEnv ?? {})) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) || /'/.test(value)) {
      throw new Error(`rawEnv: cannot quote ${name}`);
    }
    script = `export ${name}=$'${value}'; ${script}`;
  }
  const argv = r.argv ?? [DK, "queue"];
  const command = [...(r.prefix ?? []), "bash", "-c", script, "_", ...argv];
  const env: Record<string, string> = {
    PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
    HOME: dir,
    T_MESSAGE: messageFile,
    T_ENVELOPE: envelopeFile,
    T_CHANNEL: channelFile,
    FAKE_QUEUE_DIR: record,
    DKQUEUE: FAKE_QUEUE,
    DK_QMAIL_HOME: dir,
    ...r.env,
  };
  r.onDir?.(dir);
  const start = performance.now();
  const child = new Deno.Command(command[0], {
    args: command.slice(1),
    clearEnv: true,
    env,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const timer = setTimeout(() => {
    try {
      child.kill("SIGKILL");
    } catch { /* gone */ }
  }, r.timeoutMs ?? 60_000);
  const out = await child.output();
  clearTimeout(timer);
  const ms = performance.now() - start;
  return {
    code: out.code,
    stderr: decoder.decode(out.stderr) + decoder.decode(out.stdout),
    channel: decoder.decode(await readOrNull(channelFile) ?? new Uint8Array()),
    dir,
    queued: await readOrNull(`${record}/message`),
    envelope: await readOrNull(`${record}/envelope`),
    ms,
  };
}

/** A small message with LF line ends (qmail's). */
export function message(
  from: string,
  extra = "",
  body = "Hello.\n",
): Uint8Array {
  return new TextEncoder().encode(
    `From: ${from}\nTo: rcpt@example.org\nSubject: test\n${extra}\n${body}`,
  );
}

/** The text of the fake queue's recorded file `name`, or null. */
export async function recorded(
  o: QueueOutcome,
  name: string,
): Promise<string | null> {
  const bytes = await readOrNull(`${o.dir}/queue/${name}`);
  return bytes === null ? null : decoder.decode(bytes);
}

/** Resolves to the text of `path` once it exists (polling), or null after `ms`. */
export async function waitForFile(
  path: string,
  ms = 30_000,
): Promise<string | null> {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    const bytes = await readOrNull(path);
    if (bytes !== null && bytes.length > 0) return decoder.decode(bytes);
    await new Promise((r) => setTimeout(r, 20));
  }
  return null;
}

/**
 * Waits until the fake queue program of `o` has ended (its pid gone or a
 * zombie), so that what it records is final; false after `ms`.
 */
export async function queueEnded(
  o: QueueOutcome,
  ms = 30_000,
): Promise<boolean> {
  const pid = (await recorded(o, "pid"))?.trim();
  if (!pid) return true;
  const end = performance.now() + ms;
  while (performance.now() < end) {
    let stat: string;
    try {
      stat = await Deno.readTextFile(`/proc/${pid}/stat`);
    } catch {
      return true;
    }
    // The state follows the command name in parentheses.
    if (/\)\s+Z/.test(stat)) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return false;
}
