/**
 * A {@link Resolver} that asks one name server over the network: UDP through
 * `udp.ts` (two tries), then TCP through `Deno.connect` when the answer
 * is truncated. One deadline bounds the whole lookup (both tries and TCP);
 * when it passes the answer is `tempfail`, never a pass.
 *
 * Why not `Deno.resolveDns`: it reports REFUSED, NXDOMAIN and NODATA all as
 * `NotFound` (REFUSED must be temporary, and `dk dns check` must tell NXDOMAIN
 * from NODATA) and returns TXT data as lossy strings.
 *
 * Tests: {@link setNetworkGuard} installs a hook that runs before any packet
 * is sent; `tests/helpers/dns_guard.ts` sets it to throw, so a test that
 * reaches the real network by mistake fails instead of asking.
 *
 * @module
 */

import type { Resolver, TxtAnswer } from "./resolver.ts";
import type { Server } from "./server.ts";
import { after } from "../timer.ts";
import { openUdp, type UdpSocket } from "./udp.ts";
import {
  buildTxtQuery,
  parseTxtResponse,
  type Query,
  type Reply,
} from "./wire.ts";

/** Default deadline of one lookup, in seconds (`DK_DNS_TIMEOUT`). */
export const DEFAULT_TIMEOUT_SECONDS = 5;
/** UDP tries per lookup (domainkeys.md 2.4). */
export const UDP_TRIES = 2;

/** Called with `name@host:port` before every lookup; may throw (tests). */
export type NetworkGuard = (lookup: string) => void;

let guard: NetworkGuard | null = null;

/**
 * Installs (or, with null, removes) the hook run before every network
 * lookup. A hook that throws makes `txt()` reject: the only way this
 * resolver ever throws, meant for tests that must not touch the network.
 */
export function setNetworkGuard(hook: NetworkGuard | null): void {
  guard = hook;
}

/** Options of {@link netResolver}. */
export interface NetResolverOptions {
  /** The name server to ask. */
  server: Server;
  /** Deadline of one lookup in milliseconds (both UDP tries and TCP). */
  timeoutMs: number;
}

/**
 * A resolver asking `options.server`. NXDOMAIN → `nxdomain`; NOERROR without
 * TXT → `nodata`; SERVFAIL, REFUSED, FORMERR, NOTIMP, an unreadable answer,
 * a network error or the deadline → `tempfail`. A name that cannot be
 * encoded (empty label, over 63/255 octets, not ASCII) cannot exist: `nxdomain`.
 */
export function netResolver(options: NetResolverOptions): Resolver {
  return {
    async txt(name: string): Promise<TxtAnswer> {
      const { server, timeoutMs } = options;
      guard?.(`${name}@${server.host}:${server.port}`);
      const query = buildTxtQuery(name);
      if (!query) return { kind: "nxdomain" };
      const deadline = Date.now() + timeoutMs;
      const udp = await _askUdp(query, server, timeoutMs);
      if (udp.kind !== "truncated") return _toAnswer(udp);
      return _toAnswer(await _askTcp(query, server, deadline - Date.now()));
    },
  };
}

function _toAnswer(
  reply: Reply | { kind: "failed"; reason: string },
): TxtAnswer {
  switch (reply.kind) {
    case "answer":
      return reply.answer;
    case "failed":
      return { kind: "tempfail", reason: reply.reason };
    case "malformed":
      return { kind: "tempfail", reason: `unreadable answer: ${reply.reason}` };
    default:
      return { kind: "tempfail", reason: "no usable answer" };
  }
}

function _seconds(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`;
}

/** Two UDP tries within `timeoutMs`; the second is sent at half time. */
function _askUdp(
  query: Query,
  server: Server,
  timeoutMs: number,
): Promise<Reply | { kind: "failed"; reason: string }> {
  return new Promise((resolve) => {
    const timers: (() => void)[] = [];
    let finished = false;
    let socket: UdpSocket | null = null;
    const finish = (r: Reply | { kind: "failed"; reason: string }) => {
      if (finished) return;
      finished = true;
      for (const cancel of timers) cancel();
      socket?.close();
      resolve(r);
    };
    const wantHost = server.host.split("%")[0];
    const onMessage = (message: Uint8Array, host: string, port: number) => {
      if (port !== server.port || host.split("%")[0] !== wantHost) return;
      const reply = parseTxtResponse(message, query);
      if (reply.kind !== "mismatch") finish(reply);
    };
    const onError = (message: string) =>
      finish({ kind: "failed", reason: `network error: ${message}` });
    timers.push(after(timeoutMs, () =>
      finish({
        kind: "failed",
        reason: `no answer from ${server.host} port ${server.port} within ${
          _seconds(timeoutMs)
        }`,
      })));
    openUdp(server.family, onMessage, onError).then((opened) => {
      socket = opened;
      if (finished) return opened.close();
      const send = () => opened.send(query.bytes, server.host, server.port);
      for (let i = 1; i < UDP_TRIES; i++) {
        timers.push(after((timeoutMs * i) / UDP_TRIES, send));
      }
      send();
    });
  });
}

/** One TCP exchange (RFC 1035 4.2.2) within `remainingMs`. */
async function _askTcp(
  query: Query,
  server: Server,
  remainingMs: number,
): Promise<Reply | { kind: "failed"; reason: string }> {
  if (remainingMs <= 0) {
    return {
      kind: "failed",
      reason: "no time left for TCP after a truncated answer",
    };
  }
  let conn: Deno.Conn | null = null;
  let cancel = () => {};
  let timedOut = false;
  const deadline = new Promise<{ kind: "failed"; reason: string }>(
    (resolve) => {
      cancel = after(remainingMs, () => {
        timedOut = true;
        try {
          conn?.close();
        } catch { /* closed */ }
        resolve({
          kind: "failed",
          reason: `no TCP answer from ${server.host} within ${
            _seconds(remainingMs)
          }`,
        });
      });
    },
  );
  const exchange =
    (async (): Promise<Reply | { kind: "failed"; reason: string }> => {
      try {
        const connected = await Deno.connect({
          hostname: server.host,
          port: server.port,
        });
        if (timedOut) {
          connected.close();
          return { kind: "failed", reason: "timed out" };
        }
        conn = connected;
        const framed = new Uint8Array(2 + query.bytes.length);
        framed[0] = query.bytes.length >> 8;
        framed[1] = query.bytes.length & 0xff;
        framed.set(query.bytes, 2);
        for (let at = 0; at < framed.length;) {
          at += await connected.write(framed.subarray(at));
        }
        const prefix = await _readExactly(connected, 2);
        if (!prefix) {
          return { kind: "failed", reason: "TCP connection closed early" };
        }
        const body = await _readExactly(
          connected,
          (prefix[0] << 8) | prefix[1],
        );
        if (!body) {
          return { kind: "failed", reason: "TCP connection closed early" };
        }
        const reply = parseTxtResponse(body, query);
        if (reply.kind === "truncated" || reply.kind === "mismatch") {
          return {
            kind: "failed",
            reason: `unusable TCP answer (${reply.kind})`,
          };
        }
        return reply;
      } catch (error) {
        return {
          kind: "failed",
          reason: `TCP to ${server.host} failed: ${
            error instanceof Error ? error.message : String(error)
          }`,
        };
      }
    })();
  const result = await Promise.race([exchange, deadline]);
  cancel();
  try {
    (conn as Deno.Conn | null)?.close();
  } catch { /* closed */ }
  await exchange.catch(() => {});
  return result;
}

async function _readExactly(
  conn: Deno.Conn,
  length: number,
): Promise<Uint8Array | null> {
  const out = new Uint8Array(length);
  let at = 0;
  while (at < length) {
    const n = await conn.read(out.subarray(at));
    if (n === null) return null;
    at += n;
  }
  return out;
}
