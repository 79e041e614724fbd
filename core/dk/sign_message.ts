/**
 * The whole DomainKeys signing of one message in memory, as `dk sign` does it
 * (domainkeys.md 1.7, 2.2): the sending address, the "already signed" rule,
 * `d=` validated and matched against the sending domain, then the
 * `DomainKey-Signature` header. Refusals are values with the words the
 * command prints.
 *
 * @module
 */

import { DkSigner } from "./sign.ts";
import type { Canon } from "./canon.ts";
import { domainMatches, safeDomain } from "./domain.ts";
import type { PrivateKeyInfo } from "../crypto/keys.ts";

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
  const plan = signer.end();
  if (!plan.ok) {
    return refused(`Cannot sign the message: ${plan.error.reason}`);
  }
  if (plan.value.alreadySigned) {
    return refused(
      "Not signed: the message already has a DomainKey-Signature and no Sender: above it",
      true,
    );
  }
  const sending = safeDomain(plan.value.domain);
  if (sending === null) {
    return refused(
      `Cannot sign the message: sending domain "${plan.value.domain}" is not a valid domain name`,
    );
  }
  const domain = request.domain ?? sending;
  if (!domainMatches(sending, domain)) {
    return refused(
      `Cannot sign for "${domain}": the sending domain is "${sending}" (d= must be it or a parent)`,
    );
  }
  const header = await signer.sign(
    request.key,
    request.selector,
    domain,
    request.lineEnd ?? (plan.value.crlf ? "\r\n" : "\n"),
  );
  if (!header.ok) {
    return {
      kind: "key",
      message: `Cannot sign the message: ${header.error.reason}`,
    };
  }
  return { kind: "signed", header: header.value };
}
