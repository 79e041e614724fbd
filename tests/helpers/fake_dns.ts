/**
 * A scripted DNS server on 127.0.0.1 for tests of what real servers rarely
 * do on demand: stay silent, send garbage, set the TC bit, answer only over
 * TCP. UDP and TCP share one port. Stop it with `close()`.
 *
 * @module
 */

import dgram from "node:dgram";

/** Decides the answer to one query: bytes to send back, or null for silence. */
export type FakeHandler = (
  query: Uint8Array,
  via: "udp" | "tcp",
) => Uint8Array | null;

/** A running fake server. */
export interface FakeDns {
  /** `127.0.0.1:PORT`. */
  address: string;
  port: number;
  /** Every query received, in order, with its transport. */
  queries: { via: "udp" | "tcp"; bytes: Uint8Array }[];
  /** Stops both listeners. */
  close(): Promise<void>;
}

/** Starts a fake server answering with `handler`. */
export async function startFakeDns(handler: FakeHandler): Promise<FakeDns> {
  const tcp = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (tcp.addr as Deno.NetAddr).port;
  const udp = dgram.createSocket("udp4");
  await new Promise<void>((resolve, reject) => {
    udp.once("error", reject);
    udp.bind(port, "127.0.0.1", () => resolve());
  });
  const queries: FakeDns["queries"] = [];
  udp.on(
    "message",
    (message: Uint8Array, from: { address: string; port: number }) => {
      const bytes = new Uint8Array(message);
      queries.push({ via: "udp", bytes });
      const answer = handler(bytes, "udp");
      if (answer) udp.send(answer, from.port, from.address);
    },
  );
  const conns = new Set<Deno.Conn>();
  const serving = (async () => {
    for await (const conn of tcp) {
      conns.add(conn);
      (async () => {
        try {
          const head = new Uint8Array(2);
          if ((await conn.read(head)) !== 2) return;
          const body = new Uint8Array((head[0] << 8) | head[1]);
          let at = 0;
          while (at < body.length) {
            const n = await conn.read(body.subarray(at));
            if (n === null) return;
            at += n;
          }
          queries.push({ via: "tcp", bytes: body });
          const answer = handler(body, "tcp");
          if (!answer) return;
          const framed = new Uint8Array(2 + answer.length);
          framed.set([answer.length >> 8, answer.length & 0xff]);
          framed.set(answer, 2);
          await conn.write(framed);
        } catch {
          /* client went away */
        } finally {
          conns.delete(conn);
          try {
            conn.close();
          } catch { /* closed */ }
        }
      })();
    }
  })().catch(() => {});
  return {
    address: `127.0.0.1:${port}`,
    port,
    queries,
    async close() {
      tcp.close();
      for (const c of conns) {
        try {
          c.close();
        } catch { /* closed */ }
      }
      await serving;
      await new Promise<void>((resolve) => udp.close(() => resolve()));
    },
  };
}

/**
 * A response to `query` (its id and question copied) with the given flags
 * word and TXT answers at the question's name.
 */
export function fakeResponse(
  query: Uint8Array,
  flags: number,
  txt: string[][] = [],
): Uint8Array {
  let end = 12;
  while (query[end] !== 0) end += query[end] + 1;
  end += 5; // root label, QTYPE, QCLASS
  const te = new TextEncoder();
  const answers: number[] = [];
  for (const record of txt) {
    const rdata = record.flatMap((s) => [te.encode(s).length, ...te.encode(s)]);
    answers.push(
      0xc0,
      12,
      0,
      16,
      0,
      1,
      0,
      0,
      0,
      60,
      rdata.length >> 8,
      rdata.length & 0xff,
      ...rdata,
    );
  }
  const out = new Uint8Array(end + answers.length);
  out.set(query.subarray(0, end));
  out.set([
    flags >> 8,
    flags & 0xff,
    0,
    1,
    txt.length >> 8,
    txt.length & 0xff,
    0,
    0,
    0,
    0,
  ], 2);
  out.set(answers, end);
  return out;
}

/** The first question's name in a query packet, lowercased. */
export function questionName(query: Uint8Array): string {
  const labels: string[] = [];
  let at = 12;
  while (at < query.length && query[at] !== 0) {
    const n = query[at];
    labels.push(String.fromCharCode(...query.subarray(at + 1, at + 1 + n)));
    at += n + 1;
  }
  return labels.join(".").toLowerCase();
}
