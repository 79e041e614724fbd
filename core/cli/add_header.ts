/**
 * What `dk verify --add-header` prints (cli.md; dkim.md 5.2 item 7): a
 * message without a `DKIM-Signature` under today's `DomainKey-Status:`
 * field, byte for byte. A message with one as queue mode would hand it on
 * (6.11 step 5): on top `Authentication-Results:` (its `dkim=` results and,
 * last, `domainkeys=`, since `dk verify` always verifies DomainKeys too),
 * `DKIM-Status:`, `DomainKey-Status:`, then the message without the result
 * fields queue mode removes (6.10: this host's `Authentication-Results`,
 * `DKIM-Status`, `X-DKIM-*`). The added lines end as the message's first
 * line does (`line_end.ts`). Queue mode's own functions do the work.
 *
 * @module
 */

import { resultFields } from "../queue/auth_results.ts";
import { droppedRanges, keptParts } from "../queue/cleaned_feed.ts";
import { isOutsideResultField } from "../queue/result_fields.ts";
import { lineEndOf } from "../message/line_end.ts";
import { type HeaderInfo, MessageSplitter } from "../message/splitter.ts";
import { ok, type Result } from "../result.ts";
import { headerWord } from "../status.ts";
import { type BothResult, hasDkim } from "./verify_message.ts";

/** What the fields on top need besides the verdicts. */
export interface AddHeaderOptions {
  /**
   * This host's authserv-id (dkim.md 6.9), or why there is none; asked
   * only for a message with a `DKIM-Signature`.
   */
  authservId: () => Result<string, string>;
  /** `--honor-l`: an E signature is written as a `pass`. */
  honorLength: boolean;
}

/**
 * The output of `--add-header` for `message` and its verdicts, as parts to
 * write in order; fails (with the reason from `authservId`) only for a
 * message with a `DKIM-Signature` when no authserv-id is usable.
 */
export function annotatedMessage(
  message: Uint8Array,
  both: BothResult,
  options: AddHeaderOptions,
): Result<Uint8Array[], string> {
  const eol = lineEndOf(message);
  const dkStatus = `DomainKey-Status: ${headerWord(both.dk.letter)}${eol}`;
  const te = new TextEncoder();
  if (!hasDkim(both)) return ok([te.encode(dkStatus), message]);
  const id = options.authservId();
  if (!id.ok) return id;
  const top = resultFields(id.value, both.dkim, both.dk, eol, {
    honorLength: options.honorLength,
  }) + dkStatus;
  return ok([te.encode(top), ...withoutOutsideResultFields(message, id.value)]);
}

/**
 * `message` without the header fields queue mode removes (dkim.md 6.10,
 * `isOutsideResultField` with `ourId`), as parts in order (views). Past the
 * header size limit only the fields read whole are judged: the last one
 * read may be cut short, and stays.
 */
export function withoutOutsideResultFields(
  message: Uint8Array,
  ourId: string,
): Uint8Array[] {
  let info = null as HeaderInfo | null;
  const splitter = new MessageSplitter((found) => info = found, () => {});
  splitter.update(message);
  splitter.end(); // reports the header section if the message did not
  const { fields, overflow } = info!;
  return keptParts(
    message,
    droppedRanges(
      fields,
      (field) => isOutsideResultField(field, ourId),
      overflow,
    ),
  );
}

/** The error for a host without a usable authserv-id (one line). */
export function noAuthservId(controlDir: string): string {
  return `No usable authserv-id for Authentication-Results: DK_AUTHSERV_ID, the first line of ${controlDir}/me and the host name are unset, empty or not only [A-Za-z0-9.-]; set DK_AUTHSERV_ID`;
}
