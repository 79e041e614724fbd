/**
 * Starts a real dnsmasq on 127.0.0.1, on a port it picks, serving TXT records
 * given as data; stops it by pid. Names under a served zone that have no
 * record answer NXDOMAIN; `nodata` names exist (an A record) but have no TXT;
 * names under `servfail` zones are forwarded to a dead port (SERVFAIL or
 * timeout); any other name is REFUSED.
 *
 * @module
 */

import dgram from "node:dgram";

/** One TXT record: its character-strings (each at most 255 octets). */
export interface TxtRecord {
  name: string;
  strings: string[];
}

/** What to serve. */
export interface DnsmasqZone {
  /** Zones answered authoritatively (unknown names: NXDOMAIN). */
  zones: string[];
  /** TXT records; several with one name are several records. */
  txt: TxtRecord[];
  /** Names that exist without TXT (NODATA). */
  nodata?: string[];
  /** Zones whose queries go to a dead upstream (SERVFAIL / timeout). */
  servfail?: string[];
}

/** A running dnsmasq. */
export interface Dnsmasq {
  /** `127.0.0.1:PORT`, as `--dns` and `DK_DNS` take it. */
  address: string;
  port: number;
  pid: number;
  /** Kills the server by pid and removes its files. */
  stop(): Promise<void>;
}

/** Splits a value into character-strings of at most 255 octets. */
export function splitStrings(value: string, size = 255): string[] {
  const out: string[] = [];
  for (let i = 0; i < value.length; i += size) {
    out.push(value.slice(i, i + size));
  }
  return out.length ? out : [""];
}

/** A UDP port that was free a moment ago on 127.0.0.1. */
export async function freePort(): Promise<number> {
  const socket = dgram.createSocket("udp4");
  await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", resolve));
  const port = socket.address().port;
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return port;
}

/** Quotes a string for txt-record=; `"` and `\\` are escaped as dnsmasq reads them. */
function quote(s: string): string {
  if (/[\n\r]/.test(s)) throw new Error(`Cannot serve string ${s}`);
  return `"${s.replace(/["\\]/g, "\\$&")}"`;
}

/** Starts dnsmasq serving `zone`; throws when it does not come up. */
export async function startDnsmasq(zone: DnsmasqZone): Promise<Dnsmasq> {
  const dir = await Deno.makeTempDir({ prefix: "dk-dnsmasq-" });
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort();
    const lines = [
      `port=${port}`,
      "listen-address=127.0.0.1",
      "bind-interfaces",
      "no-resolv",
      "no-hosts",
      "no-poll",
      "cache-size=0",
      "user=" + (Deno.uid() === 0 ? "root" : ""),
    ].filter((l) => l !== "user=");
    for (const z of zone.zones) lines.push(`local=/${z}/`);
    for (const z of zone.servfail ?? []) lines.push(`server=/${z}/127.0.0.1#9`);
    for (const n of zone.nodata ?? []) lines.push(`host-record=${n},127.0.0.9`);
    for (const r of zone.txt) {
      lines.push(`txt-record=${r.name},${r.strings.map(quote).join(",")}`);
    }
    const conf = `${dir}/dnsmasq.conf`;
    const pidFile = `${dir}/dnsmasq.pid`;
    await Deno.writeTextFile(conf, lines.join("\n") + "\n");
    const child = new Deno.Command("dnsmasq", {
      args: [
        "--keep-in-foreground",
        `--conf-file=${conf}`,
        `--pid-file=${pidFile}`,
      ],
      stdin: "null",
      stdout: "null",
      stderr: "piped",
    }).spawn();
    // Wait until it answers, or exits (port taken: try another).
    const exited = child.status.then(() => true);
    let up = false;
    for (let i = 0; i < 50 && !up; i++) {
      if (await Promise.race([exited, sleep(100).then(() => false)])) break;
      up = await answers(port);
    }
    if (up) {
      const pid = child.pid;
      child.stderr.cancel();
      return {
        address: `127.0.0.1:${port}`,
        port,
        pid,
        async stop() {
          try {
            Deno.kill(pid, "SIGTERM");
          } catch { /* already gone */ }
          await child.status;
          await Deno.remove(dir, { recursive: true }).catch(() => {});
        },
      };
    }
    try {
      child.kill("SIGKILL");
    } catch { /* gone */ }
    await child.status;
    await child.stderr.cancel().catch(() => {});
  }
  await Deno.remove(dir, { recursive: true }).catch(() => {});
  throw new Error("Cannot start dnsmasq on 127.0.0.1");
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** True when something answers a DNS query on 127.0.0.1:port within 200 ms. */
function answers(port: number): Promise<boolean> {
  // Query id 0x1234, RD, one question: "." IN NS.
  const query = new Uint8Array([
    0x12,
    0x34,
    1,
    0,
    0,
    1,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    2,
    0,
    1,
  ]);
  return new Promise((resolve) => {
    const socket = dgram.createSocket("udp4");
    const done = (ok: boolean) => {
      clearTimeout(timer);
      socket.close();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), 200);
    socket.on("message", () => done(true));
    socket.on("error", () => done(false));
    socket.send(query, port, "127.0.0.1");
  });
}
