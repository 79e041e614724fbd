/**
 * A UDP socket for DNS queries: Deno's own datagram socket when the runtime
 * offers it (`--unstable-net`, as `scripts/dk` and the compiled binary run),
 * else `node:dgram`. The difference is start-up cost, which queue mode pays
 * per message: Deno's socket is ready in about a millisecond, `node:dgram`
 * takes some 35 ms to load and open in Deno 2.
 *
 * @module
 */

/** Receives one datagram and where it came from. */
export type MessageHandler = (
  bytes: Uint8Array,
  host: string,
  port: number,
) => void;

/** An open socket on an ephemeral port. */
export interface UdpSocket {
  /** Sends `bytes` to host:port; network errors go to the error handler. */
  send(bytes: Uint8Array, host: string, port: number): void;
  /** Closes the socket; later datagrams and errors are dropped. */
  close(): void;
}

interface DenoDatagram {
  send(
    bytes: Uint8Array,
    to: { hostname: string; port: number; transport: "udp" },
  ): Promise<number>;
  receive(): Promise<[Uint8Array, { hostname: string; port: number }]>;
  close(): void;
}

type ListenDatagram = (
  options: { hostname: string; port: number; transport: "udp" },
) => DenoDatagram;

/**
 * Opens a socket for `family`, calling `onMessage` for each datagram and
 * `onError` once for a failure (send or receive). Never throws: a socket
 * that cannot be opened is reported through `onError`, and `send` then does
 * nothing.
 */
export async function openUdp(
  family: 4 | 6,
  onMessage: MessageHandler,
  onError: (message: string) => void,
): Promise<UdpSocket> {
  const listen =
    (Deno as unknown as { listenDatagram?: ListenDatagram }).listenDatagram;
  if (typeof listen === "function") {
    let socket: DenoDatagram;
    try {
      socket = listen({
        hostname: family === 6 ? "::" : "0.0.0.0",
        port: 0,
        transport: "udp",
      });
    } catch (e) {
      onError((e as Error).message);
      return { send() {}, close() {} };
    }
    let open = true;
    (async () => {
      while (open) {
        try {
          const [bytes, from] = await socket.receive();
          if (open) onMessage(bytes, from.hostname, from.port);
        } catch (e) {
          if (open) onError((e as Error).message);
          return;
        }
      }
    })();
    return {
      send(bytes, host, port) {
        socket.send(bytes, { hostname: host, port, transport: "udp" }).catch(
          (e: Error) => open && onError(e.message),
        );
      },
      close() {
        if (!open) return;
        open = false;
        try {
          socket.close();
        } catch { /* closed */ }
      },
    };
  }
  const { default: dgram } = await import("node:dgram");
  const socket = dgram.createSocket(family === 6 ? "udp6" : "udp4");
  let open = true;
  socket.on(
    "message",
    (bytes: Uint8Array, from: { address: string; port: number }) => {
      if (open) onMessage(new Uint8Array(bytes), from.address, from.port);
    },
  );
  socket.on("error", (e: Error) => open && onError(e.message));
  return {
    send(bytes, host, port) {
      socket.send(bytes, port, host, (e) => e && open && onError(e.message));
    },
    close() {
      if (!open) return;
      open = false;
      try {
        socket.close();
      } catch { /* closed */ }
    },
  };
}
