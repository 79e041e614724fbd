/**
 * The interop tests' process helpers: Mail::DKIM as the DomainKeys peer
 * (signing through `maildkim_sign.pl`, verifying through `scripts/maildkim_verify.pl` with
 * Net::DNS pointed at the test's dnsmasq), `scripts/dk` itself, a runner with
 * a deadline for every child, a bounded-concurrency map, and a check that
 * fails (never skips) when a peer is missing.
 *
 * @module
 */

const HELPERS = new URL(".", import.meta.url).pathname;
/** The repository root. */
export const ROOT = new URL("../../", import.meta.url).pathname.replace(
  /\/$/,
  "",
);
/**
 * The dk the tests run: the launcher, as the README does, or the program
 * named by `DK_UNDER_TEST` (e.g. the compiled `dist/dk`).
 */
export const DK = Deno.env.get("DK_UNDER_TEST") ?? `${ROOT}/scripts/dk`;

const decoder = new TextDecoder();

/** What a child process did. */
export interface RunResult {
  code: number;
  stdout: Uint8Array;
  stderr: Uint8Array;
  stdoutText: string;
  stderrText: string;
  /** Wall time in milliseconds. */
  ms: number;
  /** True when it was killed at the deadline. */
  timedOut: boolean;
}

/** Options of {@link run}. */
export interface RunOptions {
  stdin?: Uint8Array;
  /** Deadline in milliseconds (default 60 000); the child is killed then. */
  timeoutMs?: number;
  env?: Record<string, string>;
  cwd?: string;
}

/** Runs a program to completion with a deadline, feeding `stdin`. */
export async function run(
  program: string,
  args: string[],
  options: RunOptions = {},
): Promise<RunResult> {
  const start = performance.now();
  const child = new Deno.Command(program, {
    args,
    stdin: options.stdin ? "piped" : "null",
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1", ...options.env },
    cwd: options.cwd,
  }).spawn();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    try {
      child.kill("SIGKILL");
    } catch { /* already gone */ }
  }, options.timeoutMs ?? 60_000);
  try {
    if (options.stdin) {
      const writer = child.stdin.getWriter();
      // A child that exits without reading all of stdin is not our error.
      await writer.write(options.stdin).catch(() => {});
      await writer.close().catch(() => {});
    }
    const out = await child.output();
    return {
      code: out.code,
      stdout: out.stdout,
      stderr: out.stderr,
      stdoutText: decoder.decode(out.stdout),
      stderrText: decoder.decode(out.stderr),
      ms: performance.now() - start,
      timedOut,
    };
  } finally {
    clearTimeout(timer);
  }
}

/** Maps `items` through `fn` with at most `limit` calls running at once. */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i], i);
    }
  };
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, worker),
  );
  return out;
}

/**
 * Throws, naming what is missing, unless perl with Mail::DKIM and Net::DNS,
 * dnsmasq and openssl are installed (`scripts/install-peers` installs them).
 * Tests call it first so a missing peer is a failure, never a skip.
 */
export async function requirePeers(): Promise<void> {
  const missing: string[] = [];
  const probe = async (what: string, program: string, args: string[]) => {
    try {
      const r = await run(program, args, { timeoutMs: 20_000 });
      if (r.code !== 0) missing.push(what);
    } catch {
      missing.push(what);
    }
  };
  await Promise.all([
    probe("perl Mail::DKIM (libmail-dkim-perl)", "perl", [
      "-MMail::DKIM::Signer",
      "-MMail::DKIM::Verifier",
      "-MMail::DKIM::DkSignature",
      "-e1",
    ]),
    probe("perl Net::DNS (libnet-dns-perl)", "perl", ["-MNet::DNS", "-e1"]),
    probe("perl JSON::PP", "perl", ["-MJSON::PP", "-e1"]),
    probe("dnsmasq (dnsmasq-base)", "dnsmasq", ["--version"]),
    probe("openssl", "openssl", ["version"]),
  ]);
  if (missing.length) {
    throw new Error(
      `Cannot run interop tests: missing ${
        missing.join(", ")
      }; run scripts/install-peers`,
    );
  }
}

/** How Mail::DKIM signs. */
export interface MailDkimSignOptions {
  key: string;
  selector: string;
  domain: string;
  method: "nofws" | "simple";
  /** `h=` value, e.g. `from:to:subject`; absent: no `h=`. */
  headers?: string;
}

/** Signs `message` with Mail::DKIM as DomainKeys; resolves to the signed message. */
export async function mailDkimSign(
  message: Uint8Array,
  options: MailDkimSignOptions,
): Promise<Uint8Array> {
  const args = [
    `${HELPERS}maildkim_sign.pl`,
    "--scheme",
    "dk",
    "--key",
    options.key,
    "--selector",
    options.selector,
    "--domain",
    options.domain,
    "--method",
    options.method,
  ];
  if (options.headers !== undefined) args.push("--headers", options.headers);
  const r = await run("perl", args, { stdin: message, timeoutMs: 60_000 });
  if (r.code !== 0) {
    throw new Error(
      `Mail::DKIM could not sign (exit ${r.code}): ${r.stderrText.trim()}`,
    );
  }
  return r.stdout;
}

/** One signature as Mail::DKIM judged it. */
export interface MailDkimSignature {
  type: "domainkeys" | "dkim";
  /** `pass`, `fail`, `invalid`, `temperror`, … */
  result: string;
  details: string | null;
  domain: string | null;
  selector: string | null;
  identity: string | null;
}

/** Mail::DKIM's verdict on a message. */
export interface MailDkimVerdict {
  /** Overall: `pass`, `fail`, `invalid`, `none`, `temperror`. */
  result: string;
  details: string | null;
  signatures: MailDkimSignature[];
  /** The first DomainKeys signature, or null. */
  domainkeys: MailDkimSignature | null;
}

/** Verifies `message` with Mail::DKIM, asking DNS only at 127.0.0.1:`port`. */
export async function mailDkimVerify(
  message: Uint8Array,
  port: number,
): Promise<MailDkimVerdict> {
  const r = await run("perl", [
    `${ROOT}/scripts/maildkim_verify.pl`,
    "--port",
    String(port),
  ], {
    stdin: message,
    timeoutMs: 60_000,
  });
  if (r.code !== 0) {
    throw new Error(
      `Mail::DKIM could not verify (exit ${r.code}): ${r.stderrText.trim()}`,
    );
  }
  return JSON.parse(r.stdoutText) as MailDkimVerdict;
}

/** Runs `scripts/dk ARGS…` with a deadline. */
export function runDk(
  args: string[],
  options: RunOptions = {},
): Promise<RunResult> {
  return run(DK, args, { timeoutMs: 60_000, ...options });
}

/** One line of `dk verify --json`. */
export interface DkVerdict {
  code: string;
  status: string;
  domain: string | null;
  selector: string | null;
  reason: string;
  file?: string;
}

/** Parses the JSON lines `dk verify --json` printed; throws on a bad line. */
export function parseDkJson(stdout: string): DkVerdict[] {
  return stdout.split("\n").filter((l) => l.trim() !== "").map((l) => {
    try {
      return JSON.parse(l) as DkVerdict;
    } catch {
      throw new Error(
        `dk verify --json printed a line that is not JSON: ${l.slice(0, 200)}`,
      );
    }
  });
}

/** The exit code `dk verify` must give for one message of this letter (cli.md). */
export function verifyExitFor(letter: string): number {
  if (letter === "A") return 0;
  if (letter === "F" || letter === "H") return 75;
  return 1;
}
