/**
 * dk's entry point: argv[0] and the first argument pick one command, whose
 * module is loaded on demand (queue mode loads only what it needs). Nothing
 * else lives here.
 *
 * @module
 */

import { CLI_EXIT } from "./core/status.ts";
import { QUEUE_NAMES } from "./core/queue/plan.ts";

/**
 * The commands. Each lives in `core/cli/NAME.ts` and is imported by a
 * computed URL, so Deno loads only the chosen command's module graph at
 * start-up (a dynamic import Deno can analyse is walked even when unused);
 * `scripts/dk --prepare` and `deno task compile` name the files instead.
 */
const COMMANDS = new Set([
  "keygen",
  "sign",
  "verify",
  "queue",
  "rules",
  "dns",
  "bench",
  "demo",
]);

/** What every command module exports. */
interface CommandModule {
  /** Runs the command with its arguments; resolves to the exit code. */
  run(args: string[], argv0: string): Promise<number>;
}

const USAGE = `usage: dk COMMAND [ARGS...]
commands:
  keygen [KEYFILE] [--type rsa|ed25519] [--scheme dk|dkim|both] [--testing] [--bits N] [--group NAME]
         [--domain D] [--format bind|tinydns|value] [--force]
  sign --key FILE [--selector S] [--domain D] [--canon nofws|simple] [--headers A:B]
  sign --scheme dkim|both (or --dkim) --key FILE [--key FILE] [--selector S] [--domain D]
       [--canon simple|relaxed|HDR/BODY] [--headers a:b] [--identity ID] [--expire SECONDS] [--at EPOCH]
  verify [FILE|DIR]... [--dns HOST[:PORT] | --zone FILE] [--json] [--add-header] [--explain]
         [--at EPOCH] [--honor-l]
  queue                     (also as qmail-dk / qmail-queue / qmail-dkim)
  rules compile|check|lint ...
  dns records|check ... [--scheme dk|dkim|both]
  bench [--json] [--seconds N]
  demo`;

/** The name the program was invoked under (launcher or compiled binary). */
function invokedAs(): string {
  const fromLauncher = Deno.env.get("DK_ARGV0");
  if (fromLauncher) return fromLauncher;
  try {
    // A compiled binary: argv[0] is the first NUL-terminated field.
    const cmdline = Deno.readFileSync("/proc/self/cmdline");
    const end = cmdline.indexOf(0);
    return new TextDecoder().decode(
      cmdline.subarray(0, end < 0 ? cmdline.length : end),
    );
  } catch {
    return "dk";
  }
}

async function main(): Promise<number> {
  const argv0 = invokedAs();
  const base = argv0.slice(argv0.lastIndexOf("/") + 1);
  let args = Deno.args;
  let command: string | undefined;
  if (QUEUE_NAMES.includes(base)) {
    command = "queue";
  } else {
    command = args[0];
    args = args.slice(1);
  }
  if (command === undefined || command === "help" || command === "--help") {
    (command === undefined ? console.error : console.log)(USAGE);
    return command === undefined ? CLI_EXIT.usage : CLI_EXIT.ok;
  }
  if (!COMMANDS.has(command)) {
    console.error(`dk: unknown command "${command}"\n${USAGE}`);
    return CLI_EXIT.usage;
  }
  const module: CommandModule = await import(
    new URL(`./core/cli/${command}.ts`, import.meta.url).href
  );
  return await module.run(args, argv0);
}

if (import.meta.main) {
  Deno.exit(await main());
}
