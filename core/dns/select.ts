/**
 * Picks the resolver a command uses: `--zone FILE`, else `--dns HOST[:PORT]`,
 * else `DK_DNS`, else the first `nameserver` of /etc/resolv.conf (else
 * 127.0.0.1), each lookup bounded by `DK_DNS_TIMEOUT` seconds (default 5).
 * Reads the zone file and resolv.conf: this is the I/O end of `core/dns`.
 *
 * @module
 */

import { err, ok, type Result } from "../result.ts";
import { describeError } from "../fs_error.ts";
import { DEFAULT_TIMEOUT_SECONDS, netResolver } from "./net_resolver.ts";
import type { Resolver } from "./resolver.ts";
import { firstNameserver, parseServer, type Server } from "./server.ts";
import { zoneResolver } from "./zone_resolver.ts";

/** Where resolv.conf is read from. */
export const RESOLV_CONF = "/etc/resolv.conf";
const FALLBACK_SERVER: Server = { host: "127.0.0.1", port: 53, family: 4 };

/** What the command line and environment say. */
export interface ResolverOptions {
  /** `--dns HOST[:PORT]`. */
  dns?: string;
  /** `--zone FILE`. */
  zone?: string;
  /** The environment (`DK_DNS`, `DK_DNS_TIMEOUT`); e.g. `Deno.env.toObject()`. */
  env: Record<string, string | undefined>;
  /** Origin for a BIND zone file without `$ORIGIN` (e.g. the domain checked). */
  origin?: string;
  /** resolv.conf path (tests). */
  resolvConf?: string;
}

/**
 * Parses `DK_DNS_TIMEOUT` (seconds, a positive number, at most 300) into
 * milliseconds; unset or empty gives the default. Returns a one-line error
 * for any other value.
 */
export function timeoutFromEnv(
  value: string | undefined,
): Result<number, string> {
  if (value === undefined || value.trim() === "") {
    return ok(DEFAULT_TIMEOUT_SECONDS * 1000);
  }
  const seconds = Number(value);
  if (!/^\s*\d+(\.\d+)?\s*$/.test(value) || seconds <= 0 || seconds > 300) {
    return err(
      `Cannot use DK_DNS_TIMEOUT "${value}": give seconds, more than 0 and at most 300`,
    );
  }
  return ok(Math.round(seconds * 1000));
}

/**
 * The resolver for these options, or a one-line error: `--dns` and `--zone`
 * together, a bad `--dns`/`DK_DNS`/`DK_DNS_TIMEOUT` value, a zone file that
 * cannot be read or parsed (with `file:line`).
 */
export function resolverFromOptions(
  options: ResolverOptions,
): Result<Resolver, string> {
  if (options.dns !== undefined && options.zone !== undefined) {
    return err("Cannot use --dns and --zone together: pick one");
  }
  // DK_ZONE=FILE: dk's own, for queue mode (which has no flags): answer
  // from a zone file, e.g. to try a zone before it is published.
  const zoneFile = options.zone ??
    (options.dns === undefined ? options.env.DK_ZONE || undefined : undefined);
  if (zoneFile !== undefined) {
    let bytes: Uint8Array;
    try {
      bytes = Deno.readFileSync(zoneFile);
    } catch (error) {
      return err(
        `Cannot read zone file "${zoneFile}": ${describeError(error)}`,
      );
    }
    const resolver = zoneResolver(bytes, {
      file: zoneFile,
      origin: options.origin,
    });
    return resolver.ok
      ? resolver
      : err(`Cannot use zone file ${resolver.error}`);
  }
  const timeout = timeoutFromEnv(options.env.DK_DNS_TIMEOUT);
  if (!timeout.ok) return timeout;
  const spec = options.dns ?? (options.env.DK_DNS || undefined);
  let server: Server;
  if (spec !== undefined) {
    const parsed = parseServer(spec);
    if (!parsed.ok) {
      return err(
        options.dns === undefined
          ? `${parsed.error} (from DK_DNS)`
          : parsed.error,
      );
    }
    server = parsed.value;
  } else {
    let conf = "";
    try {
      conf = Deno.readTextFileSync(options.resolvConf ?? RESOLV_CONF);
    } catch { /* no resolv.conf: the resolver library's default */ }
    server = firstNameserver(conf) ?? FALLBACK_SERVER;
  }
  return ok(netResolver({ server, timeoutMs: timeout.value }));
}
