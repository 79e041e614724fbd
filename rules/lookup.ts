/**
 * tcpserver's rule lookup (ucspi-tcp 0.88 rules.c, `domainkeys.md` 4.4): the
 * keys tried for a client, in order, and what the first key found tells
 * tcpserver to do. Pure: the cdb (or the parsed file) is injected as a
 * `find` function.
 *
 * @module
 */

/** A client as tcpserver sees it (byte strings). */
export interface Client {
  /** TCPREMOTEIP. */
  ip: string;
  /** TCPREMOTEHOST, when known. */
  host?: string;
  /** TCPREMOTEINFO, when known. */
  info?: string;
}

/** What tcpserver does with a client. */
export interface Decision {
  /** `deny` drops the connection; `allow` runs the program. */
  action: "allow" | "deny";
  /** The key that matched, or null when none did (allowed, no variables). */
  rule: string | null;
  /**
   * The variables set, in order, as tcprulescheck lists them (a name may
   * repeat; the last value wins). Empty for deny.
   */
  sets: [string, string][];
  /** The environment as it ends: `sets` with later values winning. */
  env: Record<string, string>;
}

/**
 * The keys tcpserver tries for a client, in its order: `INFO@IP`,
 * `INFO@=HOST`, `IP`, `=HOST`, each prefix of IP ending in `.` (longest
 * first), `=` + each suffix of HOST starting at a `.` (longest first), `=`,
 * and the empty key. Never fails; any bytes are taken as they are.
 */
export function candidateKeys(client: Client): string[] {
  const { ip, host, info } = client;
  const keys: string[] = [];
  if (info !== undefined) {
    keys.push(info + "@" + ip);
    if (host !== undefined) keys.push(info + "@=" + host);
  }
  keys.push(ip);
  if (host !== undefined) keys.push("=" + host);
  for (let len = ip.length; len > 0; len--) {
    if (ip[len - 1] === ".") keys.push(ip.slice(0, len));
  }
  if (host !== undefined) {
    for (let i = 0; i < host.length; i++) {
      if (host[i] === ".") keys.push("=" + host.slice(i));
    }
    keys.push("=");
  }
  keys.push("");
  return keys;
}

/**
 * Applies cdb data as tcpserver does: segments end in NUL; `D` denies
 * (tcprulescheck stops there), `+NAME=value` sets a variable, anything
 * else is ignored, and a last segment without NUL is ignored.
 */
export function applyData(rule: string, data: string): Decision {
  const sets: [string, string][] = [];
  let at = 0;
  for (;;) {
    const nul = data.indexOf("\0", at);
    if (nul < 0) break;
    const segment = data.slice(at, nul);
    at = nul + 1;
    if (segment[0] === "D") {
      return { action: "deny", rule, sets: [], env: {} };
    }
    if (segment[0] === "+") {
      const eq = segment.indexOf("=", 1);
      if (eq >= 0) sets.push([segment.slice(1, eq), segment.slice(eq + 1)]);
    }
  }
  // fromEntries defines own properties ("__proto__" stays a plain name).
  return { action: "allow", rule, sets, env: Object.fromEntries(sets) };
}

/**
 * Decides what tcpserver does with `client`, given `find` (first data for a
 * key, or null). No key found: allow with no variables.
 */
export function decide(
  client: Client,
  find: (key: string) => string | null,
): Decision {
  for (const key of candidateKeys(client)) {
    const data = find(key);
    if (data !== null) return applyData(key, data);
  }
  return { action: "allow", rule: null, sets: [], env: {} };
}
