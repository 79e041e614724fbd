/**
 * DomainKeys' key for a message in queue mode (domainkeys.md 2.2): DKSIGN
 * with `%` filled in; a missing file under a `%` means "no key for this
 * domain", and the message goes on unsigned; any other trouble with the key
 * is a configuration error. Used by the DomainKeys-only run and by the run
 * where DKIM is active.
 *
 * @module
 */

import type { KeyChoice } from "../dk/sign_message.ts";
import type { SenderFacts } from "../dk/sign.ts";
import type { parsePrivateKeyPem } from "../crypto/keys.ts";
import { resolveKeyPath } from "./key_path.ts";
import { readKeyFile } from "./key_file.ts";

/** Why DomainKeys does not sign: no key for the domain, or key trouble. */
export type DkSkip = "unsigned" | "key trouble";

/**
 * The key choice for `finishSigning()`: reads DKSIGN's file for the
 * sender's domain and parses it with `parse`.
 */
export function dkKeyChoice(
  dksign: string,
  parse: typeof parsePrivateKeyPem,
): (sender: SenderFacts) => KeyChoice<DkSkip> {
  return (sender) => {
    const where = resolveKeyPath(dksign, sender.domain);
    if (where.kind === "config") return { kind: "skip", why: "key trouble" };
    if (where.kind === "unsigned") return { kind: "skip", why: "unsigned" };
    const keyText = readKeyFile(where.path);
    if (!keyText.ok) {
      const unsigned = keyText.error === "missing" && where.templated;
      return { kind: "skip", why: unsigned ? "unsigned" : "key trouble" };
    }
    const key = parse(keyText.value);
    if (!key.ok) return { kind: "skip", why: "key trouble" };
    return {
      kind: "key",
      key: key.value,
      selector: where.selector,
      domain: where.domain,
    };
  };
}
