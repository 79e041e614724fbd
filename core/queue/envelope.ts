/**
 * The envelope on fd 1 (domainkeys.md 2.5, 3): dk reads it itself, after
 * the message, checked and bounded as qmail-queue checks it, and writes it
 * on to the queue program only once the whole message is handed over. The
 * queue program reads fd 1 through the same pipe, which dk empties first
 * and then holds the only write end of: if dk dies before the last byte,
 * the queue program meets end of file before the final NUL and queues
 * nothing. Deno has no pipe() for a child's fd 1; on Linux, opening
 * `/dev/fd/N` of a pipe gives another end of that same pipe (if dk's user
 * made it). Deno allows `/dev/fd/1` itself only with `--allow-all`, so the
 * launcher copies fd 1 to a free fd and names it in `DK_ENVELOPE_FD`
 * ({@link envelopePath}); a file or another user's pipe at fd 1 it first
 * copies into a pipe of its own.
 *
 * @module
 */

import { QUEUE_EXIT } from "../status.ts";
import { err, ok, type Result } from "../result.ts";
import { joinBytes } from "../bytes.ts";
import { type ByteReader, readChunk } from "./spool.ts";

/** qmail-queue's ADDR: an address must be shorter than this (else 11). */
export const ADDRESS_LIMIT = 1003;

/** Most bytes dk reads on fd 1, envelope and anything after it (else 51). */
export const ENVELOPE_LIMIT = 16 * 1024 * 1024;

/** Size of the reads on fd 1. */
const READ_SIZE = 64 * 1024;

const F = 0x46;
const T = 0x54;

/**
 * Checks the envelope as it arrives, as qmail-queue reads it: `F`, sender,
 * NUL, then `T`, address, NUL for each recipient, then a NUL.
 */
export class EnvelopeParser {
  #first = true;
  #inAddress = false;
  #length = 0;
  #taken = 0;
  /** Offset just past the final NUL, once seen. */
  end: number | null = null;

  /**
   * Takes the next chunk. Returns null while all is well, else the exit
   * code qmail-queue would give: 91 for a record that starts with the
   * wrong letter, 11 for an address of 1003 octets or more. Bytes after
   * the final NUL are ignored.
   */
  update(chunk: Uint8Array): number | null {
    let i = 0;
    while (this.end === null && i < chunk.length) {
      if (this.#inAddress) {
        const nul = chunk.indexOf(0, i);
        const stop = nul < 0 ? chunk.length : nul;
        this.#length += stop - i;
        if (this.#length >= ADDRESS_LIMIT) return QUEUE_EXIT.addressTooLong;
        i = stop;
        if (nul >= 0) {
          this.#inAddress = false;
          this.#first = false;
          i++;
        }
        continue;
      }
      const letter = chunk[i++];
      if (!this.#first && letter === 0) {
        this.end = this.#taken + i;
        break;
      }
      if (letter !== (this.#first ? F : T)) return QUEUE_EXIT.envelopeFormat;
      this.#inAddress = true;
      this.#length = 0;
    }
    this.#taken += chunk.length;
    return null;
  }
}

/**
 * Reads `input` to end of file and returns the envelope: the bytes up to
 * and including the final NUL (what comes after is read and dropped, so
 * the pipe is left empty). Fails with 54 on a read error or end of file
 * before the final NUL, 91 or 11 as {@link EnvelopeParser}, 51 when more
 * than `limit` bytes arrive.
 */
export async function readEnvelope(
  input: ByteReader,
  limit = ENVELOPE_LIMIT,
): Promise<Result<Uint8Array, number>> {
  const parser = new EnvelopeParser();
  const kept: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const chunk = await readChunk(input, READ_SIZE);
    if (chunk === "error") return err(QUEUE_EXIT.readError);
    if (chunk === null) break;
    size += chunk.length;
    if (size > limit) return err(QUEUE_EXIT.outOfMemory);
    if (parser.end !== null) continue;
    const bad = parser.update(chunk);
    if (bad !== null) return err(bad);
    kept.push(chunk);
  }
  if (parser.end === null) return err(QUEUE_EXIT.readError);
  // What followed the final NUL is dropped (qmail-queue never reads it).
  return ok(joinBytes(kept).slice(0, parser.end));
}

/** The variable naming the launcher's copy of fd 1. */
export const ENVELOPE_FD_VARIABLE = "DK_ENVELOPE_FD";

/**
 * The path dk reaches fd 1's pipe by: `/dev/fd/N` for `DK_ENVELOPE_FD`=N
 * (3–9999), else `/dev/fd/1` (which Deno opens only under `--allow-all`).
 */
export function envelopePath(value: string | undefined): string {
  return value !== undefined && /^[0-9]{1,4}$/.test(value) && Number(value) > 2
    ? `/dev/fd/${Number(value)}`
    : "/dev/fd/1";
}

/** Where the envelope goes: the write end dk holds of the queue program's fd 1. */
export interface EnvelopePipe {
  /** The envelope as read, to be written on unchanged. */
  envelope: Uint8Array;
  /** The write end (close-on-exec: the queue program does not get it). */
  pipe: Deno.FsFile;
}

/**
 * Reads the envelope from fd 1's pipe, reached by `fd1` (see
 * {@link envelopePath}), and opens a write end of the same pipe for the
 * queue program. Fails with 54 when it is not a pipe or FIFO (a file or a
 * terminal cannot be kept from the queue program until the message is
 * whole) or cannot be opened, else as {@link readEnvelope}.
 */
export async function takeEnvelope(
  fd1: string,
): Promise<Result<EnvelopePipe, number>> {
  try {
    if (!Deno.statSync(fd1).isFifo) return err(QUEUE_EXIT.readError);
  } catch {
    return err(QUEUE_EXIT.readError);
  }
  let reader: Deno.FsFile | undefined;
  let read: Result<Uint8Array, number>;
  try {
    // A named FIFO's read side waits for a writer when it opens: hold one
    // while it does (fd 1 itself is a reader, so this opens at once), and
    // let it go before reading, so end of file comes when the caller closes.
    const writer = Deno.openSync(fd1, { write: true });
    try {
      reader = Deno.openSync(fd1, { read: true });
    } finally {
      writer.close();
    }
    read = await readEnvelope(reader);
  } catch {
    return err(QUEUE_EXIT.readError);
  } finally {
    reader?.close();
  }
  if (!read.ok) return read;
  try {
    return ok({
      envelope: read.value,
      pipe: Deno.openSync(fd1, { write: true }),
    });
  } catch {
    return err(QUEUE_EXIT.readError);
  }
}
