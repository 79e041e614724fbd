/**
 * The DomainKeys signing sequence (domainkeys.md 1.7, 2.2), written once:
 * the end of the message gives the sending address; a message already
 * signed is left alone; the caller picks the key for the sending domain (a
 * file named by it in queue mode, `--key` and a matched `d=` for `dk sign`);
 * then the `DomainKey-Signature` header. {@link finishSigning} is the
 * sequence over a fed signer (queue mode streams into one);
 * {@link signDomainKeys} is `dk sign`'s whole message in memory.
 *
 * @module
 */

import { DkSigner, type SenderFacts } from "./sign.ts";
import type { Canon } from "./canon.ts";
import { domainMatches, safeDomain } from "./domain.ts";
import type { PrivateKeyInfo } from "../crypto/keys.ts";
import type { Status } from "../status.ts";

/** The key for a sending address, or the caller's reason not to sign. */
export type KeyChoice<Why> =
  | { kind: "key"; key: PrivateKeyInfo; selector: string; domain: string }
  | { kind: "skip"; why: Why };

/** What came of the sequence. */
export type SigningStep<Why> =
  /** The header text, its lines ending as asked (default the message's). */
  | { kind: "signed"; header: string }
  /** A DomainKey-Signature with no Sender above it: not signed again (1.7). */
  | { kind: "already-signed" }
  /** No usable sending address (G), or trouble reading the message (H, K). */
  | { kind: "unusable"; status: Status }
  /** The caller's key choice declined to sign. */
  | { kind: "skipped"; why: Why }
  /** Signing with the chosen key failed. */
  | { kind: "failed"; status: Status };

/**
 * Ends a signer that was fed the whole message and signs it with the key
 * `keyFor` picks for the sending address. Never throws; every way out is a
 * {@link SigningStep}. `meanwhile` runs while the signature is computed.
 */
export async function finishSigning<Why>(
  signer: DkSigner,
  keyFor: (sender: SenderFacts) => KeyChoice<Why>,
  options: { lineEnd?: "\n" | "\r\n"; meanwhile?: () => void } = {},
): Promise<SigningStep<Why>> {
  const sender = signer.end();
  if (!sender.ok) return { kind: "unusable", status: sender.error };
  if (sender.value.alreadySigned) return { kind: "already-signed" };
  const choice = keyFor(sender.value);
  if (choice.kind === "skip") return { kind: "skipped", why: choice.why };
  const header = await signer.sign(
    choice.key,
    choice.selector,
    choice.domain,
    options.lineEnd ?? (sender.value.crlf ? "\r\n" : "\n"),
    options.meanwhile,
  );
  return header.ok
    ? { kind: "signed", header: header.value }
    : { kind: "failed", status: header.error };
}

/** How to sign. */
export interface DkSignRequest {
  key: PrivateKeyInfo;
  selector: string;
  /** `d=` (already validated); default the sending domain. */
  domain?: string;
  canon: Canon;
  /** Only these header names (lowercase), written as `h=`. */
  headers?: string[];
  /** Line end of the header written; default the message's. */
  lineEnd?: "\n" | "\r\n";
}

/** What came of it. */
export type DkSignOutcome =
  /** The header text, its lines ending as the message's. */
  | { kind: "signed"; header: string }
  /**
   * The message cannot be signed (no usable sender, already signed, domain
   * mismatch); `alreadySigned` when that was the reason.
   */
  | { kind: "refused"; message: string; alreadySigned: boolean }
  /** The crypto library would not sign with the key. */
  | { kind: "key"; message: string };

/** Signs `message` with DomainKeys. Never throws. */
export async function signDomainKeys(
  message: Uint8Array,
  request: DkSignRequest,
): Promise<DkSignOutcome> {
  const refused = (text: string, alreadySigned = false): DkSignOutcome => ({
    kind: "refused",
    message: text,
    alreadySigned,
  });
  const signer = new DkSigner({
    canon: request.canon,
    headers: request.headers,
  });
  signer.update(message);
  const step = await finishSigning<string>(signer, (sender) => {
    const sending = safeDomain(sender.domain);
    if (sending === null) {
      return {
        kind: "skip",
        why:
          `Cannot sign the message: sending domain "${sender.domain}" is not a valid domain name`,
      };
    }
    const domain = request.domain ?? sending;
    if (!domainMatches(sending, domain)) {
      return {
        kind: "skip",
        why:
          `Cannot sign for "${domain}": the sending domain is "${sending}" (d= must be it or a parent)`,
      };
    }
    return {
      kind: "key",
      key: request.key,
      selector: request.selector,
      domain,
    };
  }, { lineEnd: request.lineEnd });
  switch (step.kind) {
    case "signed":
      return { kind: "signed", header: step.header };
    case "already-signed":
      return refused(
        "Not signed: the message already has a DomainKey-Signature and no Sender: above it",
        true,
      );
    case "unusable":
      return refused(`Cannot sign the message: ${step.status.reason}`);
    case "skipped":
      return refused(step.why);
    case "failed":
      return {
        kind: "key",
        message: `Cannot sign the message: ${step.status.reason}`,
      };
  }
}
