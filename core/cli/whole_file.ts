/**
 * A small regular file read whole, synchronously, in as few system calls as
 * it takes (open, read to the end, close: no stat), for `dk verify` over
 * folders of messages; a file over the limit is left to the caller to
 * stream. Only for paths known to be regular files: opening a FIFO would
 * wait for a writer.
 *
 * @module
 */

/** The read buffer, kept for the next file (reads are synchronous). */
let _buffer = new Uint8Array(0);

/**
 * The bytes of the regular file at `path` (a fresh array) when it holds at
 * most `limit` bytes, else null (nothing kept). Throws what opening or
 * reading throws.
 */
export function readWholeFile(path: string, limit: number): Uint8Array | null {
  if (_buffer.length !== limit + 1) _buffer = new Uint8Array(limit + 1);
  const buffer = _buffer;
  const file = Deno.openSync(path, { read: true });
  try {
    let size = 0;
    for (;;) {
      const got = file.readSync(buffer.subarray(size));
      if (got === null) return buffer.slice(0, size);
      size += got;
      if (size > limit) return null;
    }
  } finally {
    file.close();
  }
}
