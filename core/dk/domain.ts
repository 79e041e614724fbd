/**
 * Domain-name checks: whether a domain from a message header is a plain
 * hostname safe to put in a file path (domainkeys.md 2.2), whether a selector
 * is made of DNS labels, and the d=/sending-domain match (1.3).
 *
 * @module
 */

const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * Returns the domain lowercased, one trailing dot dropped, when it is a
 * hostname: 1–253 octets, at least two labels of 1–63 `[a-z0-9-]` not
 * starting or ending with `-`. Returns null for anything else (`/`, `..`,
 * address literals, non-ASCII, empty).
 */
export function safeDomain(raw: string): string | null {
  const domain = bareDomain(raw);
  if (domain.length < 1 || domain.length > 253) return null;
  const labels = domain.split(".");
  if (labels.length < 2) return null;
  return labels.every((l) => LABEL.test(l)) ? domain : null;
}

/**
 * The selector a key file stands for: the file's name, the text after the
 * last `/` (dknewkey's and qmail-dk's rule). Check it with {@link isSelector}.
 */
export function selectorOf(keyPath: string): string {
  return keyPath.slice(keyPath.lastIndexOf("/") + 1);
}

/**
 * True when `selector` is one or more DNS labels (letters, digits, hyphens,
 * any case; no empty label). Returns false for anything else.
 */
export function isSelector(selector: string): boolean {
  if (selector.length < 1 || selector.length > 253) return false;
  return selector.split(".").every((l) => LABEL.test(l.toLowerCase()));
}

/**
 * A domain as dk compares it, signing and verifying alike: lowercased, one
 * trailing `.` dropped (`EXAMPLE.COM.` is `example.com`).
 */
export function bareDomain(raw: string): string {
  const domain = raw.toLowerCase();
  return domain.endsWith(".") ? domain.slice(0, -1) : domain;
}

/**
 * True when the sending domain equals `d=` or is a subdomain of it, compared
 * by {@link bareDomain} (RFC 4870 section 3.3, domainkeys.md 1.3 rule 5).
 */
export function domainMatches(sending: string, d: string): boolean {
  const s = bareDomain(sending);
  const dl = bareDomain(d);
  if (s === "" || dl === "") return false;
  return s === dl || s.endsWith("." + dl);
}
