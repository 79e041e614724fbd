import { assertEquals } from "../../tests/helpers/assert.ts";
import { openUdp } from "./udp.ts";
import dgram from "node:dgram";

/** A UDP echo server on 127.0.0.1 (a free port); returns its port and a stop. */
async function echoServer(): Promise<{ port: number; stop: () => void }> {
  const server = dgram.createSocket("udp4");
  server.on(
    "message",
    (msg, from) => server.send(msg, from.port, from.address),
  );
  await new Promise<void>((resolve) => server.bind(0, "127.0.0.1", resolve));
  return { port: server.address().port, stop: () => server.close() };
}

Deno.test("openUdp() sends and receives with Deno's datagram socket", async () => {
  const echo = await echoServer();
  try {
    const answer = await new Promise<string>((resolve, reject) => {
      openUdp(4, (bytes, host) => {
        resolve(`${new TextDecoder().decode(bytes)} from ${host}`);
      }, reject).then((socket) => {
        socket.send(new TextEncoder().encode("ping"), "127.0.0.1", echo.port);
        setTimeout(() => socket.close(), 500);
      });
    });
    assertEquals(answer, "ping from 127.0.0.1");
  } finally {
    echo.stop();
  }
});

Deno.test("openUdp() falls back to node:dgram without --unstable-net", async () => {
  const echo = await echoServer();
  try {
    const script = `
      import { openUdp } from ${
      JSON.stringify(new URL("./udp.ts", import.meta.url).href)
    };
      console.log(typeof Deno.listenDatagram);
      const s = await openUdp(4, (b, host) => {
        console.log(new TextDecoder().decode(b), host);
        s.close();
      }, (m) => { console.log("error", m); });
      s.send(new TextEncoder().encode("pong"), "127.0.0.1", ${echo.port});
    `;
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "--no-config", "-A", "-"],
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const writer = out.stdin.getWriter();
    await writer.write(new TextEncoder().encode(script));
    await writer.close();
    const result = await out.output();
    assertEquals(
      new TextDecoder().decode(result.stdout).trim().split("\n"),
      ["undefined", "pong 127.0.0.1"],
      new TextDecoder().decode(result.stderr),
    );
  } finally {
    echo.stop();
  }
});
