/**
 * A qmail host's SMTP side for the end-to-end tests: `tcpserver` (ucspi-tcp)
 * on 127.0.0.1 with a `tcp.smtp` compiled by `dk rules compile`, running
 * mailfront's `smtpfront-qmail` (Debian's qmail-compatible SMTP front end),
 * whose qmail back end hands each message to `$QMAILQUEUE` as qmail-smtpd
 * does (message on fd 0, envelope on fd 1) and turns its exit code into the
 * SMTP reply. And a small SMTP client that talks to it.
 *
 * @module
 */

import { assertEquals } from "./assert.ts";
import { DK, run } from "./mail_dkim.ts";

/** Where Debian puts the daemons, which a plain PATH may lack. */
const SBIN = ["/usr/sbin", "/sbin"];

/** The full path of `program` on PATH or in the sbin folders, or null. */
export function findProgram(program: string): string | null {
  const path = (Deno.env.get("PATH") ?? "/usr/bin:/bin").split(":");
  for (const dir of [...path, ...SBIN]) {
    if (!dir) continue;
    try {
      if (Deno.statSync(`${dir}/${program}`).isFile) return `${dir}/${program}`;
    } catch { /* not here */ }
  }
  return null;
}

/**
 * The programs the SMTP tests run; throws, naming what is missing, unless
 * all are installed (`scripts/install-peers` installs them), so that a
 * missing front end is a failure, never a skip.
 */
export function requireSmtpFront(): { tcpserver: string; smtpfront: string } {
  const tcpserver = findProgram("tcpserver");
  const smtpfront = findProgram("smtpfront-qmail");
  const missing = [
    ...(tcpserver ? [] : ["tcpserver (ucspi-tcp)"]),
    ...(smtpfront ? [] : ["smtpfront-qmail (mailfront)"]),
  ];
  if (missing.length) {
    throw new Error(
      `Cannot run the SMTP tests: missing ${
        missing.join(", ")
      }; run scripts/install-peers`,
    );
  }
  return { tcpserver: tcpserver!, smtpfront: smtpfront! };
}

/** A running front end. */
export interface SmtpFront {
  port: number;
  /** What tcpserver and mailfront wrote on stderr so far (mailfront logs replies). */
  log(): string;
  /** Stops tcpserver (by its pid) and waits for it. */
  stop(): Promise<void>;
}

/**
 * Compiles `rules` (tcp.smtp text) into `dir/tcp.smtp.cdb` with
 * `dk rules compile` and starts `tcpserver -x` on it, on 127.0.0.1 and a
 * port the kernel picks (`-1` prints it), running `smtpfront-qmail` with
 * only `env` (plus PATH) in its environment.
 */
export async function startSmtpFront(
  dir: string,
  rules: string,
  env: Record<string, string>,
): Promise<SmtpFront> {
  const { tcpserver, smtpfront } = requireSmtpFront();
  const text = `${dir}/tcp.smtp`;
  const cdb = `${dir}/tcp.smtp.cdb`;
  await Deno.writeTextFile(text, rules);
  const compiled = await run(DK, ["rules", "compile", text, cdb]);
  assertEquals(compiled.code, 0, compiled.stderrText);
  const path = [Deno.env.get("PATH") ?? "/usr/bin:/bin", ...SBIN].join(":");
  // fd 4 and 6 closed, whatever the test runner inherited: mailfront opens
  // no custom-error channel, and none may leak to dk from here either.
  // -H -R: no DNS or ident lookups of the client; -l: the local name given.
  const child = new Deno.Command("sh", {
    args: [
      "-c",
      'exec 4>&- 6>&-; exec "$@"',
      "sh",
      tcpserver,
      ...["-1", "-HR", "-l", "localhost", "-x", cdb],
      ...["127.0.0.1", "0", smtpfront],
    ],
    clearEnv: true,
    env: { PATH: path, ...env },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const decoder = new TextDecoder();
  let stderr = "";
  const draining = (async () => {
    for await (const chunk of child.stderr) stderr += decoder.decode(chunk);
  })();
  const stop = async () => {
    try {
      child.kill("SIGTERM");
    } catch { /* already gone */ }
    await child.status;
    // A session still running (its client gone) holds stderr open a while.
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([
      draining,
      new Promise((resolve) => timer = setTimeout(resolve, 10_000)),
    ]);
    clearTimeout(timer);
  };
  // The first line on stdout is the port; nothing else is written there.
  let first = "";
  const reader = child.stdout.getReader();
  const timer = setTimeout(() => stop(), 20_000);
  try {
    while (!first.includes("\n")) {
      const { value, done } = await reader.read();
      if (done) break;
      first += decoder.decode(value);
    }
  } finally {
    clearTimeout(timer);
  }
  reader.releaseLock();
  child.stdout.cancel().catch(() => {});
  const port = Number(first.trim());
  if (!/^\d+\n/.test(first) || port <= 0) {
    await stop();
    throw new Error(`Cannot start tcpserver: ${stderr.trim() || first}`);
  }
  return { port, log: () => stderr, stop };
}

/** One SMTP reply: its code and text lines (without the code). */
export interface SmtpReply {
  code: number;
  lines: string[];
}

/** What {@link smtpSend} saw: the replies after DATA and the final one. */
export interface SmtpSession {
  /** The reply to the message's final dot. */
  final: SmtpReply;
  /** Wall time of the whole session in ms. */
  ms: number;
}

/** The reply as one line, `250 2.6.0 Accepted …`. */
export function replyText(reply: SmtpReply): string {
  return `${reply.code} ${reply.lines.join(" / ")}`;
}

/**
 * `message` (LF or CRLF lines) as DATA sends it: CRLF line ends, a dot
 * doubled at the start of a line (RFC 5321 4.5.2), and the final dot.
 */
export function dataBytes(message: string): string {
  const lines = message.replace(/\r\n/g, "\n").replace(/\n$/, "").split("\n");
  return lines.map((l) => (l.startsWith(".") ? `.${l}` : l) + "\r\n").join("") +
    ".\r\n";
}

/**
 * Sends one message to 127.0.0.1:`port` (EHLO, MAIL FROM, RCPT TO each,
 * DATA, QUIT), asserting 220, 250, 250, 250 each, 354 and 221; resolves to
 * the reply after the message. Every read has a deadline of `timeoutMs`.
 */
export async function smtpSend(
  port: number,
  from: string,
  to: string[],
  message: string,
  timeoutMs = 30_000,
): Promise<SmtpSession> {
  const start = performance.now();
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  const decoder = new TextDecoder("latin1");
  let pending = "";
  const buffer = new Uint8Array(4096);
  const readLine = async (): Promise<string> => {
    while (!pending.includes("\r\n")) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const n = await Promise.race([
        conn.read(buffer),
        new Promise<null>((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`No SMTP reply within ${timeoutMs} ms`)),
            timeoutMs,
          );
        }),
      ]).finally(() => clearTimeout(timer));
      if (n === null) throw new Error(`SMTP connection closed: ${pending}`);
      pending += decoder.decode(buffer.subarray(0, n));
    }
    const at = pending.indexOf("\r\n");
    const line = pending.slice(0, at);
    pending = pending.slice(at + 2);
    return line;
  };
  const reply = async (): Promise<SmtpReply> => {
    const lines: string[] = [];
    for (;;) {
      const line = await readLine();
      lines.push(line.slice(4));
      if (line[3] !== "-") return { code: Number(line.slice(0, 3)), lines };
    }
  };
  const write = async (text: string) => {
    // One byte per character: 8-bit messages go as they are.
    const bytes = Uint8Array.from(text, (c) => c.charCodeAt(0));
    let at = 0;
    while (at < bytes.length) at += await conn.write(bytes.subarray(at));
  };
  const expect = async (command: string | null, code: number) => {
    if (command !== null) await write(`${command}\r\n`);
    const r = await reply();
    assertEquals(r.code, code, `${command ?? "greeting"}: ${replyText(r)}`);
  };
  try {
    await expect(null, 220);
    await expect("EHLO client.example", 250);
    await expect(`MAIL FROM:<${from}>`, 250);
    for (const rcpt of to) await expect(`RCPT TO:<${rcpt}>`, 250);
    await expect("DATA", 354);
    await write(dataBytes(message));
    const final = await reply();
    await expect("QUIT", 221);
    return { final, ms: performance.now() - start };
  } finally {
    try {
      conn.close();
    } catch { /* closed */ }
  }
}
