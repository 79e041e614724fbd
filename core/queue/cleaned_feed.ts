/**
 * The message as it will be handed on, while it is spooled (dkim.md 6.10,
 * 6.11): the signers of a run where DKIM is active must hash the message
 * without the result fields dk removes, and they are chosen only once the
 * header section is known (the From domain picks the key, and `dkimkeys`
 * may change the canonicalization). {@link CleanedFeed} holds the chunks
 * back until the header section is complete, asks which fields to drop and
 * which sinks to feed, then feeds them the header section without those
 * fields and everything after it. {@link withoutRanges} cuts the same bytes
 * out of the spooled message on its way to the queue program.
 * {@link droppedRanges} and {@link keptParts} are the same cut for a
 * message in memory (`dk verify --add-header`).
 *
 * @module
 */

import { concat } from "../bytes.ts";
import type { HeaderField, HeaderFields } from "../message/header.ts";
import { MAX_HEADER_BYTES } from "../message/header.ts";
import { type HeaderInfo, MessageSplitter } from "../message/splitter.ts";
import type { ChunkSink } from "./spool.ts";

/** A byte range of the message, `[start, end)`. */
export type ByteRange = readonly [start: number, end: number];

/** How much is held back while the header section is incomplete. */
const HOLD_LIMIT = MAX_HEADER_BYTES + 256 * 1024;

/**
 * A chunk sink that waits for the header section. `choose` is called once
 * with it and returns the fields to leave out and the sinks to feed; they
 * then get the message without those fields. Past {@link HOLD_LIMIT} bytes
 * of unfinished header section nothing is chosen or fed and `overflow` is
 * set (the caller treats it as an unusable header section).
 */
export class CleanedFeed implements ChunkSink {
  readonly #choose: (info: HeaderInfo) => {
    drop: (field: HeaderField) => boolean;
    sinks: ChunkSink[];
  };
  readonly #splitter: MessageSplitter;
  #held: Uint8Array[] = [];
  #heldSize = 0;
  #info: HeaderInfo | null = null;
  #sinks: ChunkSink[] | null = null;
  /** The byte ranges of the message left out (message offsets, in order). */
  dropped: ByteRange[] = [];
  /** True when the header section outgrew what is held back. */
  overflow = false;

  /** Creates the feed; `choose` runs once, when the header section is known. */
  constructor(
    choose: (info: HeaderInfo) => {
      drop: (field: HeaderField) => boolean;
      sinks: ChunkSink[];
    },
  ) {
    this.#choose = choose;
    this.#splitter = new MessageSplitter((info) => this.#info = info, () => {});
  }

  /** Takes the next chunk of the message. */
  update(chunk: Uint8Array): void {
    if (this.#sinks !== null) {
      for (const sink of this.#sinks) sink.update(chunk);
      return;
    }
    if (this.overflow) return;
    this.#held.push(chunk);
    this.#heldSize += chunk.length;
    this.#splitter.update(chunk);
    if (this.#info !== null) this.#release(this.#info);
    else if (this.#heldSize > HOLD_LIMIT) {
      this.overflow = true;
      this.#held = [];
    }
  }

  /** Ends the message (a message without an empty line ends its header here). */
  end(): void {
    if (this.#sinks !== null || this.overflow) return;
    this.#splitter.end();
    if (this.#info !== null) this.#release(this.#info);
  }

  #release(info: HeaderInfo): void {
    const { drop, sinks } = this.#choose(info);
    const held = concat(...this.#held);
    this.#held = [];
    this.dropped = droppedRanges(info.fields, drop, info.overflow);
    const kept = keptParts(held, this.dropped);
    this.#sinks = sinks;
    for (const sink of sinks) for (const part of kept) sink.update(part);
  }
}

/**
 * The byte ranges of the fields `drop` picks, in order: offsets in their
 * header section, which are message offsets (the section starts the
 * message). `overflow`: the section was cut at the size limit, so its last
 * field may be only the start of one; it is never dropped (half a field
 * removed would leave its tail as a field of its own).
 */
export function droppedRanges(
  fields: HeaderFields,
  drop: (field: HeaderField) => boolean,
  overflow = false,
): ByteRange[] {
  const ranges: ByteRange[] = [];
  const cut = overflow ? fields.section.length : -1;
  for (const field of fields) {
    const raw = field.raw;
    const start = raw.byteOffset - fields.section.byteOffset;
    if (start + raw.length === cut || !drop(field)) continue;
    ranges.push([start, start + raw.length]);
  }
  return ranges;
}

/**
 * The parts of `bytes` outside `ranges` (sorted, not overlapping, within
 * `bytes`), in order, as views; the last part is there even when empty.
 */
export function keptParts(
  bytes: Uint8Array,
  ranges: readonly ByteRange[],
): Uint8Array[] {
  const kept: Uint8Array[] = [];
  let at = 0;
  for (const [start, end] of ranges) {
    if (start > at) kept.push(bytes.subarray(at, start));
    at = end;
  }
  kept.push(bytes.subarray(at));
  return kept;
}

/**
 * The chunks of `source` without the bytes in `ranges` (message offsets,
 * sorted, not overlapping). Ranges past the end are ignored.
 */
export async function* withoutRanges(
  source: AsyncIterable<Uint8Array>,
  ranges: readonly ByteRange[],
): AsyncGenerator<Uint8Array> {
  let offset = 0;
  let next = 0;
  for await (const chunk of source) {
    const end = offset + chunk.length;
    let at = 0;
    while (next < ranges.length && ranges[next][0] < end) {
      const [start, stop] = ranges[next];
      const from = Math.max(start - offset, 0);
      if (from > at) yield chunk.subarray(at, from);
      at = Math.max(at, Math.min(stop - offset, chunk.length));
      if (stop > end) break;
      next++;
    }
    if (at < chunk.length) yield chunk.subarray(at);
    offset = end;
  }
}
