/**
 * DKSIGN's `%` substitution (domainkeys.md 2.2): the first `%` becomes the
 * sending domain, which comes from a message header and so must be a plain
 * hostname before it touches a path. The selector is the basename of DKSIGN
 * before substitution, as qmail-dk takes it.
 *
 * @module
 */

import { isSelector, safeDomain, selectorOf } from "../dk/domain.ts";

/** Where the key is, or why there is none to use. */
export type KeyPath =
  /** Read the key at `path`; `templated` is true when DKSIGN had a `%`. */
  | {
    kind: "key";
    path: string;
    selector: string;
    domain: string;
    templated: boolean;
  }
  /** Pass the message on unsigned (no usable domain for the signature). */
  | { kind: "unsigned"; reason: string }
  /** DKSIGN itself is unusable: a configuration error (temporary). */
  | { kind: "config"; reason: string };

/**
 * Resolves DKSIGN for a message whose sending domain is `rawDomain` (as the
 * header wrote it). A selector that is not DNS labels is a configuration
 * error; a sending domain that is not a hostname means "unsigned" (with or
 * without `%`, since it could not be `d=` either). Only the validated,
 * lowercased domain is ever put into the path.
 */
export function resolveKeyPath(dksign: string, rawDomain: string): KeyPath {
  const selector = selectorOf(dksign);
  if (!isSelector(selector)) {
    return {
      kind: "config",
      reason: `Selector "${selector}" is not a DNS name`,
    };
  }
  const domain = safeDomain(rawDomain);
  if (domain === null) {
    return {
      kind: "unsigned",
      reason: `Sending domain ${JSON.stringify(rawDomain)} is not a hostname`,
    };
  }
  const at = dksign.indexOf("%");
  if (at < 0) {
    return { kind: "key", path: dksign, selector, domain, templated: false };
  }
  const path = dksign.slice(0, at) + domain + dksign.slice(at + 1);
  return { kind: "key", path, selector, domain, templated: true };
}
