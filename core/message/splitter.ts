/**
 * Splits a message stream into its header fields (reported once) and body
 * bytes (streamed), whatever the chunking.
 *
 * @module
 */

import { HeaderCollector, type HeaderFields, splitFields } from "./header.ts";
import { LineEndSniffer } from "./line_end.ts";

/** What the splitter learned about the header section. */
export interface HeaderInfo {
  /** The header fields in message order. */
  fields: HeaderFields;
  /** True when the header section passed the size limit (fields incomplete). */
  overflow: boolean;
  /** True when the message's first line ends in CRLF (line_end.ts's rule). */
  crlf: boolean;
}

/**
 * Feeds chunks; calls `onHeaders` once when the header section is complete
 * (or at the end, for a message without an empty line), then `onBody` with
 * every body chunk.
 */
export class MessageSplitter {
  readonly #collector = new HeaderCollector();
  readonly #lineEnd = new LineEndSniffer();
  readonly #onHeaders: (info: HeaderInfo) => void;
  readonly #onBody: (bytes: Uint8Array) => void;
  #headersReported = false;

  /** Creates a splitter with its two callbacks. */
  constructor(
    onHeaders: (info: HeaderInfo) => void,
    onBody: (bytes: Uint8Array) => void,
  ) {
    this.#onHeaders = onHeaders;
    this.#onBody = onBody;
  }

  /** Feeds message bytes. */
  update(chunk: Uint8Array): void {
    if (this.#headersReported) {
      if (chunk.length) this.#onBody(chunk);
      return;
    }
    this.#lineEnd.update(chunk);
    const at = this.#collector.push(chunk);
    if (at >= 0) {
      this.#report();
      if (at < chunk.length) this.#onBody(chunk.subarray(at));
    }
  }

  /** Ends the message. */
  end(): void {
    if (!this.#headersReported) this.#report();
  }

  #report(): void {
    this.#headersReported = true;
    this.#onHeaders({
      fields: splitFields(this.#collector.bytes()),
      overflow: this.#collector.overflow,
      crlf: this.#lineEnd.lineEnd === "\r\n",
    });
  }
}
