/**
 * `dk rules lint`, the tcprules part (`domainkeys.md` 4, hazard 13): lines
 * tcprules skips or accepts but that cannot work, rules that never apply
 * because an earlier rule has the same address, addresses tcpserver never
 * looks up, empty ranges, variables on deny rules, a missing default rule.
 * The queue-mode findings (DKSIGN, DKVERIFY, …) are in `core/queue/lint.ts`.
 * Pure: parsed rules in,
 * findings out.
 *
 * @module
 */

import { quote } from "./bytes.ts";
import type { Finding } from "./finding.ts";
import type { RuleFile } from "./parse.ts";

const _OCTET = /^(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])$/;

/**
 * The tcprules findings for a parsed file: its scan warnings, shadowed and
 * dead rules, empty ranges, deny variables, and a missing default rule.
 * Never fails.
 */
export function lintRules(file: RuleFile): Finding[] {
  const findings: Finding[] = file.warnings.map((w) => ({
    line: w.line,
    code: w.kind,
    message: w.message,
  }));
  const firstLine = new Map<string, number>();
  let hasDefault = false;
  for (const rule of file.rules) {
    if (rule.address === "") hasDefault = true;
    if (rule.keys.length === 0) {
      findings.push({
        line: rule.line,
        code: "empty-range",
        message: `the range in ${
          quote(rule.address)
        } is empty (its first number is larger than its last), so this rule adds nothing: swap the numbers`,
      });
    }
    let shadowedBy = -1;
    let shadowed = 0;
    let example = "";
    for (const key of rule.keys) {
      const earlier = firstLine.get(key);
      if (earlier === undefined) firstLine.set(key, rule.line);
      else {
        if (shadowed === 0) {
          shadowedBy = earlier;
          example = key;
        }
        shadowed++;
      }
    }
    if (shadowed > 0 && shadowed === rule.keys.length) {
      findings.push({
        line: rule.line,
        code: "shadowed",
        message:
          `this rule never applies: line ${shadowedBy} has the same address ${
            quote(example)
          } and the first rule wins: merge the two lines or delete this one`,
      });
    } else if (shadowed > 0) {
      findings.push({
        line: rule.line,
        code: "shadowed",
        message:
          `${shadowed} of this rule's ${rule.keys.length} addresses never apply (such as ${
            quote(example)
          }, taken by line ${shadowedBy}, the first rule wins): narrow the range or move this line up`,
      });
    }
    const dead = rule.keys.length > 0 ? _neverLookedUp(rule.keys[0]) : null;
    if (dead !== null && !/[ \t\r\n\v\f]/.test(rule.address)) {
      findings.push({ line: rule.line, code: "never-matches", message: dead });
    }
    if (rule.action === "deny" && rule.env.length > 0) {
      findings.push({
        line: rule.line,
        code: "deny-variables",
        message:
          `this deny rule sets ${rule.env.length} variable(s), which tcpserver ignores because it drops the connection: remove them`,
      });
    }
  }
  if (!hasDefault) {
    findings.push({
      line: file.lines,
      code: "no-default",
      message:
        `there is no default rule, so clients that match no address are allowed with no variables: end the file with a line such as :allow (or :deny)`,
    });
  }
  return findings;
}

/**
 * Why tcpserver can never look up `key` (ucspi-tcp's keys are IPv4 dotted
 * quads without leading zeros, their prefixes ending in `.`, `=HOST`
 * forms, `INFO@` either), or null when it can.
 */
function _neverLookedUp(key: string): string | null {
  const at = key.lastIndexOf("@");
  const where = at >= 0 ? key.slice(at + 1) : key;
  if (where === "" && at < 0) return null;
  if (where.startsWith("=")) return null;
  const shown = quote(key);
  if (where === "") {
    return `the address ${shown} never matches: after the @ comes the client's IP address or =HOST`;
  }
  if (where.includes("/")) {
    return `the address ${shown} never matches: tcprules has no CIDR notation; write a prefix ending in a dot (10.) or a range (192.168.0-3.)`;
  }
  const parts = where.split(".");
  const prefix = where.endsWith(".");
  if (prefix) parts.pop();
  const okCount = prefix
    ? parts.length >= 1 && parts.length <= 3
    : parts.length === 4;
  if (okCount && parts.every((p) => _OCTET.test(p))) return null;
  if (!prefix && parts.length < 4 && parts.every((p) => _OCTET.test(p))) {
    return `the address ${shown} never matches: it is neither a whole IPv4 address nor a prefix; add the final dot (${
      where + "."
    })`;
  }
  return `the address ${shown} never matches: tcpserver looks up whole IPv4 addresses (1.2.3.4, numbers 0-255 without leading zeros), prefixes ending in a dot (1.2.3.), or =HOST`;
}
