/**
 * The spool: fd 0 kept until the queue program has it, each chunk handed to
 * the signer or verifier in the same pass (domainkeys.md 2.5). A message of
 * up to {@link MEMORY_LIMIT} stays in memory (most mail; it saves a file
 * create, write and read-back per message); a bigger one goes to an
 * anonymous temporary file (random name, mode 0600, exclusive create,
 * unlinked at once while kept open), so memory stays bounded by the limit
 * plus one chunk.
 *
 * @module
 */

import { QUEUE_EXIT } from "../status.ts";
import { err, ok, type Result } from "../result.ts";

/** Size of the chunks read from fd 0 and from the spool. */
export const CHUNK_SIZE = 256 * 1024;

/** Largest message kept in memory instead of a temporary file. */
export const MEMORY_LIMIT = 1024 * 1024;

/** How many random names are tried before giving up (qmail-dk: 9). */
const CREATE_TRIES = 9;

/** Something that reads bytes, as `Deno.stdin` and `Deno.FsFile` do. */
export interface ByteReader {
  /** Reads into `buffer`; resolves to the count, or null at end of file. */
  read(buffer: Uint8Array): Promise<number | null>;
}

/**
 * The next chunk of at most `size` bytes read from `input` (in a buffer of
 * its own), null at end of file, or "error" when the read fails.
 */
export async function readChunk(
  input: ByteReader,
  size: number,
): Promise<Uint8Array | null | "error"> {
  const buffer = new Uint8Array(size);
  try {
    const n = await input.read(buffer);
    return n === null ? null : buffer.subarray(0, n);
  } catch {
    return "error";
  }
}

/** Receives each chunk of the message as it is spooled. */
export interface ChunkSink {
  /** Takes a chunk; it is not reused after the call returns. */
  update(chunk: Uint8Array): void;
}

/** Where the message is kept: in memory, or an open, unlinked file. */
export interface Spool {
  /** The open file (read and write), or null while the message is in memory. */
  file: Deno.FsFile | null;
  /** The message's chunks while it is in memory. */
  memory: Uint8Array[];
  /** Bytes stored so far. */
  size: number;
  /** Where the file is made when the message outgrows memory. */
  dir: string;
  /** Bytes kept in memory before moving to a file. */
  memoryLimit: number;
}

/** A spool that starts in memory and moves to a file in `dir` past `memoryLimit`. */
export function openSpool(dir: string, memoryLimit = MEMORY_LIMIT): Spool {
  return { file: null, memory: [], size: 0, dir, memoryLimit };
}

/** The temporary directory: `$TMPDIR` when set and absolute, else `/tmp`. */
export function tempDir(tmpdir: string | undefined): string {
  return tmpdir && tmpdir.startsWith("/") ? tmpdir : "/tmp";
}

/**
 * Creates the spool file in `dir` and unlinks it at once. Fails with exit
 * code 63 (temporary file not created) after a few name collisions or any
 * other error.
 */
export async function createSpool(dir: string): Promise<Result<Spool, number>> {
  for (let i = 0; i < CREATE_TRIES; i++) {
    const path = `${dir}/dk-queue.${randomName()}`;
    let file: Deno.FsFile;
    try {
      file = await Deno.open(path, {
        read: true,
        write: true,
        createNew: true,
        mode: 0o600,
      });
    } catch (e) {
      if (e instanceof Deno.errors.AlreadyExists) continue;
      return err(QUEUE_EXIT.tempFileError);
    }
    try {
      await Deno.remove(path);
    } catch {
      file.close();
      return err(QUEUE_EXIT.tempFileError);
    }
    return ok({ file, memory: [], size: 0, dir, memoryLimit: 0 });
  }
  return err(QUEUE_EXIT.tempFileError);
}

/**
 * Reads `input` to end of file into the spool, giving every chunk to `sink`.
 * Fails with 54 on a read error, 53 on a write error, 63 when the file a big
 * message needs cannot be created.
 */
export async function fillSpool(
  input: ByteReader,
  spool: Spool,
  sink?: ChunkSink,
): Promise<Result<number, number>> {
  for (;;) {
    const chunk = await readChunk(input, CHUNK_SIZE);
    if (chunk === "error") return err(QUEUE_EXIT.readError);
    if (chunk === null) break;
    if (chunk.length === 0) continue;
    const stored = await store(spool, chunk);
    if (stored !== null) return err(stored);
    spool.size += chunk.length;
    sink?.update(chunk);
  }
  return ok(spool.size);
}

/** Keeps one chunk; null, or the exit code of a failure. */
async function store(spool: Spool, chunk: Uint8Array): Promise<number | null> {
  if (spool.file === null && spool.size + chunk.length <= spool.memoryLimit) {
    spool.memory.push(chunk.slice());
    return null;
  }
  let file = spool.file;
  if (file === null) {
    const created = await createSpool(spool.dir);
    if (!created.ok) return created.error;
    const made = created.value.file;
    if (made === null) return QUEUE_EXIT.tempFileError;
    file = spool.file = made;
    for (const kept of spool.memory) {
      if (!await writeAll(file, kept)) return QUEUE_EXIT.writeError;
    }
    spool.memory = [];
  }
  return await writeAll(file, chunk) ? null : QUEUE_EXIT.writeError;
}

/**
 * Yields the spooled message from its start, chunk by chunk. Throws a
 * `SpoolReadError` when the spool cannot be read back.
 */
export async function* readSpool(spool: Spool): AsyncGenerator<Uint8Array> {
  const file = spool.file;
  if (file === null) {
    yield* spool.memory;
    return;
  }
  try {
    await file.seek(0, Deno.SeekMode.Start);
  } catch {
    throw new SpoolReadError();
  }
  for (;;) {
    const buffer = new Uint8Array(CHUNK_SIZE);
    let n: number | null;
    try {
      n = await file.read(buffer);
    } catch {
      throw new SpoolReadError();
    }
    if (n === null) return;
    if (n > 0) yield buffer.subarray(0, n);
  }
}

/** The spool could not be read back (disk trouble: a write error, 53). */
export class SpoolReadError extends Error {
  constructor() {
    super("Cannot read the spool file back");
    this.name = "SpoolReadError";
  }
}

async function writeAll(
  file: Deno.FsFile,
  bytes: Uint8Array,
): Promise<boolean> {
  try {
    let at = 0;
    while (at < bytes.length) at += await file.write(bytes.subarray(at));
    return true;
  } catch {
    return false;
  }
}

function randomName(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}
