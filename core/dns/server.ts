/**
 * Name-server addresses: the `--dns HOST[:PORT]` / `DK_DNS` syntax and the
 * `nameserver` lines of resolv.conf(5). Pure.
 *
 * @module
 */

import { err, ok, type Result } from "../result.ts";

/** The standard DNS port. */
export const DNS_PORT = 53;

/** A name server to ask. */
export interface Server {
  /** An IPv4 or IPv6 address literal (no brackets). */
  host: string;
  /** UDP and TCP port. */
  port: number;
  /** 4 or 6. */
  family: 4 | 6;
}

const IPV4 =
  /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const IPV6 = /^[0-9A-Fa-f:.]+(%[A-Za-z0-9_.-]+)?$/;

function _isIpv6(text: string): boolean {
  if (!IPV6.test(text) || !text.includes(":")) return false;
  const address = text.split("%")[0];
  const doubles = address.split("::").length - 1;
  if (doubles > 1) return false;
  const groups = address.split(":").filter((g) => g !== "");
  return groups.every((g) => /^[0-9A-Fa-f]{1,4}$/.test(g) || IPV4.test(g)) &&
    (doubles === 1 ? groups.length < 8 : groups.length === 8 ||
      (groups.length === 7 && IPV4.test(groups[6])));
}

/**
 * Parses `HOST[:PORT]`: an IPv4 address with an optional port, `[IPv6]` with
 * an optional port, or a bare IPv6 address. Host names are refused (asking
 * DNS where DNS is would need DNS). Returns a one-line error otherwise.
 */
export function parseServer(text: string): Result<Server, string> {
  const bad = (why: string) => err(`Cannot use DNS server "${text}": ${why}`);
  let host = text.trim();
  let portText: string | undefined;
  if (host.startsWith("[")) {
    const close = host.indexOf("]");
    if (close < 0) return bad("missing ]");
    const rest = host.slice(close + 1);
    host = host.slice(1, close);
    if (rest !== "") {
      if (!rest.startsWith(":")) return bad("expected :PORT after ]");
      portText = rest.slice(1);
    }
    if (!_isIpv6(host)) return bad("not an IPv6 address");
  } else if (host.split(":").length === 2) {
    [host, portText] = host.split(":");
  }
  let port = DNS_PORT;
  if (portText !== undefined) {
    if (!/^\d{1,5}$/.test(portText) || +portText < 1 || +portText > 65535) {
      return bad("port must be a number from 1 to 65535");
    }
    port = +portText;
  }
  if (IPV4.test(host)) return ok({ host, port, family: 4 });
  if (_isIpv6(host)) return ok({ host, port, family: 6 });
  return bad("not an IP address (write HOST[:PORT] or [IPv6]:PORT)");
}

/**
 * The first usable `nameserver` of a resolv.conf(5) text, or null when there
 * is none. Comments (`#`, `;`) and malformed addresses are skipped.
 */
export function firstNameserver(resolvConf: string): Server | null {
  for (const raw of resolvConf.split("\n")) {
    const line = raw.replace(/[#;].*/, "").trim();
    const [keyword, address] = line.split(/\s+/);
    if (keyword !== "nameserver" || !address) continue;
    const parsed = parseServer(
      address.includes(":") ? `[${address}]` : address,
    );
    if (parsed.ok) return parsed.value;
  }
  return null;
}
