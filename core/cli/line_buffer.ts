/**
 * Lines for stdout, encoded into one buffer as they come and written
 * together once `limit` bytes wait (0: each line at once) or on `flush()`:
 * one write for many short verdicts (`dk verify DIR`), and no line kept as
 * a string meanwhile (a run's garbage stays young).
 *
 * @module
 */

import { writeStdoutSync } from "./io.ts";

const encoder = new TextEncoder();
const LF = 0x0a;

/** A buffer of encoded lines in front of a writer. */
export class LineBuffer {
  readonly #limit: number;
  readonly #write: (bytes: Uint8Array) => void;
  #buffer: Uint8Array;
  #size = 0;

  /**
   * Lines written once `limit` bytes wait, through `write` (default: to
   * stdout, as `console.log` writes: a closed stdout loses them silently),
   * which must not keep the array it is given (it is reused).
   */
  constructor(
    limit: number,
    write: (bytes: Uint8Array) => void = writeStdoutSync,
  ) {
    this.#limit = limit;
    this.#write = write;
    this.#buffer = new Uint8Array(limit > 0 ? limit + 4096 : 0);
  }

  /** Adds one line (without its newline): its UTF-8 bytes and a newline. */
  push(line: string): void {
    // A UTF-16 code unit is at most 3 bytes of UTF-8.
    const most = line.length * 3 + 1;
    if (this.#buffer.length - this.#size < most) {
      this.flush();
      if (this.#buffer.length < most) {
        this.#write(encoder.encode(`${line}\n`));
        return;
      }
    }
    const { written } = encoder.encodeInto(
      line,
      this.#buffer.subarray(this.#size),
    );
    this.#size += written;
    this.#buffer[this.#size++] = LF;
    if (this.#size >= this.#limit) this.flush();
  }

  /** Writes every waiting line. */
  flush(): void {
    if (this.#size === 0) return;
    const waiting = this.#buffer.subarray(0, this.#size);
    this.#size = 0;
    this.#write(waiting);
  }
}
