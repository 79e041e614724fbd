/**
 * One message through both schemes for `dk verify` (dkim.md 5.2): the
 * topmost `DomainKey-Signature` (the DomainKeys verdict, unchanged), each
 * lower one up to 10 evaluated as if topmost, and every `DKIM-Signature`
 * (the first 10), all in one pass over the message. Lower DomainKeys
 * verifiers start once the header section is known (the DKIM verifier
 * reports it, so it is parsed once for both); the chunks read until then
 * are kept and replayed to them. One memoizing resolver per message, so a
 * name is asked once for both schemes.
 *
 * @module
 */

import { DkVerifier, type VerifyResult } from "../dk/verify.ts";
import { DkimVerifier, MAX_SIGNATURES } from "../dkim/verify.ts";
import type { DkimVerifyResult } from "../dkim/verdict.ts";
import type { CryptoBackend } from "../crypto/backend.ts";
import { memoResolver } from "../dns/memo_resolver.ts";
import type { Resolver } from "../dns/resolver.ts";
import type { HeaderInfo } from "../message/splitter.ts";

/** What both verifiers need. */
export interface BothOptions {
  resolver: Resolver;
  backend: CryptoBackend;
  minKeyBits: number;
  /** Evaluation time, seconds since the epoch. */
  now: () => number;
  acceptSha1: boolean;
  honorLength: boolean;
  /** False: no DomainKeys `explain` text is made (default true). */
  explain?: boolean;
}

/** One evaluated signature of either scheme, with its header position. */
export type Evaluated =
  | { scheme: "dk"; position: number; result: VerifyResult }
  | { scheme: "dkim"; position: number; index: number };

/** Everything `dk verify` reports on one message. */
export interface BothResult {
  /** The topmost `DomainKey-Signature`'s verdict (the DK letter). */
  dk: VerifyResult;
  /** The DKIM verdict (message letter and each signature). */
  dkim: DkimVerifyResult;
  /** Evaluated signatures of both schemes, top to bottom. */
  signatures: Evaluated[];
  /** `DomainKey-Signature` fields past the first 10. */
  dkSkipped: number;
  /** The resolver this message used (one lookup per name). */
  resolver: Resolver;
}

/** True when the message has at least one `DKIM-Signature` field. */
export function hasDkim(result: BothResult): boolean {
  return result.dkim.signatures.length > 0;
}

/** Verifies one message with both schemes: `update()`, then `finish()`. */
export class BothVerifier {
  readonly #options: BothOptions;
  readonly #resolver: Resolver;
  readonly #top: DkVerifier;
  readonly #dkim: DkimVerifier;
  #lower: DkVerifier[] = [];
  #kept: Uint8Array[] | null = [];
  #dkPositions: number[] = [];
  #dkSkipped = 0;
  #headersSeen = false;

  /** Creates the verifiers for one message. */
  constructor(options: BothOptions) {
    this.#options = options;
    this.#resolver = memoResolver(options.resolver);
    const shared = {
      resolver: this.#resolver,
      backend: options.backend,
      minKeyBits: options.minKeyBits,
    };
    this.#top = new DkVerifier({ ...shared, explain: options.explain });
    this.#dkim = new DkimVerifier({
      ...shared,
      now: options.now,
      acceptSha1: options.acceptSha1,
      honorLength: options.honorLength,
      onHeaders: (info) => this.#onHeaders(info),
    });
  }

  #onHeaders(info: HeaderInfo): void {
    this.#headersSeen = true;
    const { fields } = info;
    for (
      let at = fields.indexOf("domainkey-signature");
      at >= 0;
      at = fields.indexOf("domainkey-signature", at + 1)
    ) {
      this.#dkPositions.push(at);
    }
    // Past the size limit the topmost one decides alone (G or C).
    const evaluated = info.overflow ? 1 : MAX_SIGNATURES;
    this.#dkSkipped = Math.max(0, this.#dkPositions.length - evaluated);
    this.#dkPositions = this.#dkPositions.slice(0, evaluated);
    for (let nth = 1; nth < this.#dkPositions.length; nth++) {
      this.#lower.push(
        new DkVerifier({
          resolver: this.#resolver,
          backend: this.#options.backend,
          minKeyBits: this.#options.minKeyBits,
          nth,
          explain: this.#options.explain,
        }),
      );
    }
  }

  /** Feeds message bytes. */
  update(chunk: Uint8Array): void {
    this.#top.update(chunk);
    if (this.#kept === null) {
      this.#dkim.update(chunk);
      for (const v of this.#lower) v.update(chunk);
      return;
    }
    this.#dkim.update(chunk); // may report the header section
    // Kept (copied: the caller may reuse it) only while they do not exist.
    if (this.#headersSeen) this.#replay(chunk);
    else this.#kept.push(chunk.slice());
  }

  /**
   * Gives the lower verifiers what was read before they existed, then
   * `last` (the chunk being fed) when given.
   */
  #replay(last?: Uint8Array): void {
    if (this.#kept === null) return;
    for (const v of this.#lower) {
      for (const chunk of this.#kept) v.update(chunk);
      if (last) v.update(last);
    }
    this.#kept = null;
  }

  /** Ends the message and resolves to every verdict. Never throws. */
  async finish(): Promise<BothResult> {
    // finish() ends the DKIM verifier's splitter before its first await,
    // so the header section has been reported when it returns.
    const dkimDone = this.#dkim.finish();
    this.#replay();
    const [dk, dkim, ...lower] = await Promise.all([
      this.#top.finish(),
      dkimDone,
      ...this.#lower.map((v) => v.finish()),
    ]);
    const signatures: Evaluated[] = [];
    const dkResults = [dk, ...lower];
    this.#dkPositions.forEach((position, i) =>
      signatures.push({ scheme: "dk", position, result: dkResults[i] })
    );
    dkim.positions.forEach((position, index) =>
      signatures.push({ scheme: "dkim", position, index })
    );
    signatures.sort((a, b) => a.position - b.position);
    return {
      dk,
      dkim,
      signatures,
      dkSkipped: this.#dkSkipped,
      resolver: this.#resolver,
    };
  }
}
