/**
 * Which line end the message uses, for the header line dk adds on top: CRLF
 * when the first line of the message ends in CRLF, else LF (qmail stores LF;
 * domainkeys.md 1.7).
 *
 * @module
 */

import type { ChunkSink } from "./spool.ts";

const LF = 0x0a;
const CR = 0x0d;

/** Watches the chunks of a message for its first line end. */
export class LineEndSniffer implements ChunkSink {
  #decided: "\n" | "\r\n" | undefined;
  #lastWasCr = false;

  /** Looks at a chunk until the first LF has been seen. */
  update(chunk: Uint8Array): void {
    if (this.#decided || chunk.length === 0) return;
    const at = chunk.indexOf(LF);
    if (at < 0) {
      this.#lastWasCr = chunk[chunk.length - 1] === CR;
      return;
    }
    const crBefore = at > 0 ? chunk[at - 1] === CR : this.#lastWasCr;
    this.#decided = crBefore ? "\r\n" : "\n";
  }

  /** The line end to write: the first line's, or LF when there was none. */
  get lineEnd(): "\n" | "\r\n" {
    return this.#decided ?? "\n";
  }
}
