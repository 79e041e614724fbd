/**
 * Which line end a message uses, for the header lines dk adds on top: CRLF
 * when the first line of the message ends in CRLF, else LF (qmail stores LF;
 * domainkeys.md 1.7). The one rule for it: queue mode, `dk sign` and
 * `dk verify --add-header` all ask here.
 *
 * @module
 */

const LF = 0x0a;
const CR = 0x0d;

/** Watches the chunks of a message for its first line end. */
export class LineEndSniffer {
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

/** The line end of a whole message in memory (see {@link LineEndSniffer}). */
export function lineEndOf(message: Uint8Array): "\n" | "\r\n" {
  const sniffer = new LineEndSniffer();
  sniffer.update(message);
  return sniffer.lineEnd;
}

/**
 * Writes a header field into `out` at `at` with every line end made CRLF
 * and exactly one CRLF at its end (its own final line end, LF or CRLF,
 * replaced; one added when it has none): the "simple" form both DomainKeys
 * and DKIM hash. `out` must hold twice the field's length plus 2. Returns
 * the offset after what was written.
 */
export function writeCrlfField(
  raw: Uint8Array,
  out: Uint8Array,
  at: number,
): number {
  let end = raw.length;
  if (end && raw[end - 1] === LF) {
    end--;
    if (end && raw[end - 1] === CR) end--;
  }
  let n = at;
  for (let i = 0; i < end; i++) {
    const b = raw[i];
    if (b === LF && (i === 0 || raw[i - 1] !== CR)) out[n++] = CR;
    out[n++] = b;
  }
  out[n++] = CR;
  out[n++] = LF;
  return n;
}
