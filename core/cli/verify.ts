/**
 * `dk verify`: DomainKeys and DKIM verification of one message on stdin, or
 * of files, directories and Maildirs in one process (cli.md, dkim.md 5.2).
 * The DomainKeys verdict and its fields are as before; every signature of
 * both schemes is reported too, and the DKIM message letter decides for a
 * message that has a `DKIM-Signature`.
 *
 * Exit codes: 0 every message good (A); 1 some message not good; 75 a
 * temporary failure (DK F, H, I, K; DKIM P) and nothing permanently bad; 2
 * usage errors and files that cannot be opened or read.
 *
 * Many files: one DNS cache for the run (`cache_resolver.ts`: two keys, two
 * lookups); up to {@link CONCURRENCY} messages read, hashed and waiting on
 * DNS at once, reported in input order; folders read as they are listed
 * (never the whole listing in memory); a counter on a terminal's stderr for
 * long runs (`progress.ts`), none with `--quiet`.
 *
 * @module
 */

import { describeError, fail, parseFlags, readAll, writeStdout } from "./io.ts";
import { type BothResult, BothVerifier, hasDkim } from "./verify_message.ts";
import { minKeyBitsFromEnv } from "../dk/key_record.ts";
import { policyName, readPolicy } from "../dk/policy.ts";
import { printable } from "../printable.ts";
import { safeDomain } from "../dk/domain.ts";
import type { Resolver } from "../dns/resolver.ts";
import { resolverFromOptions } from "../dns/select.ts";
import { cacheResolver } from "../dns/cache_resolver.ts";
import { type Progress, startProgress } from "./progress.ts";
import { readWholeFile } from "./whole_file.ts";
import { LineBuffer } from "./line_buffer.ts";
import { readAhead } from "./read_ahead.ts";
import { loadBackend } from "../crypto/load.ts";
import type { CryptoBackend } from "../crypto/backend.ts";
import { importSource } from "../source.ts";
import { headerBPrefixes } from "../dkim/header_b.ts";
import { CLI_EXIT, DKIM_STATUS, headerWord, STATUS } from "../status.ts";

/** What `--add-header` loads (queue mode's modules), only then. */
type AddHeader = typeof import("./add_header.ts");
type OurAuthservId = typeof import("./our_authserv_id.ts");
/** The DKIM report's words; it loads node:url, for IDN names. */
type DkimReport = typeof import("../dkim/report.ts");

let dkimReport: DkimReport | undefined;

/** The DKIM report module, loaded the first time a message has DKIM. */
async function loadDkimReport(): Promise<DkimReport> {
  return dkimReport ??= await importSource<DkimReport>("core/dkim/report.ts");
}

interface Context {
  resolver: Resolver;
  backend: CryptoBackend;
  minKeyBits: number;
  json: boolean;
  explain: boolean;
  /** Evaluation time for DKIM `t=`/`x=` (`--at`, else now). */
  now: () => number;
  /** `DK_DKIM_SHA1=accept`. */
  acceptSha1: boolean;
  /** `--honor-l`. */
  honorLength: boolean;
}

/** The usage line of `dk verify`. */
const USAGE =
  "dk verify [FILE|DIR]... [--dns HOST[:PORT] | --zone FILE] [--json] [--add-header] [--explain] [--at EPOCH] [--honor-l] [--quiet]";

/** Messages read, hashed and waiting on DNS at once (files and folders). */
export const CONCURRENCY = 16;

/** Runs `dk verify`; resolves to the exit code. */
export async function run(args: string[]): Promise<number> {
  const flags = parseFlags(
    {
      args,
      options: {
        dns: { type: "string" },
        zone: { type: "string" },
        json: { type: "boolean", default: false },
        "add-header": { type: "boolean", default: false },
        explain: { type: "boolean", default: false },
        at: { type: "string" },
        "honor-l": { type: "boolean", default: false },
        quiet: { type: "boolean", default: false },
      },
      strict: true,
      allowPositionals: true,
    },
    USAGE,
  );
  if (!flags) return CLI_EXIT.usage;
  const { values, positionals } = flags;
  if (values.dns !== undefined && values.zone !== undefined) {
    fail("Give --dns or --zone, not both");
    return CLI_EXIT.usage;
  }
  if (values["add-header"] && positionals.length) {
    fail("--add-header works on stdin only");
    return CLI_EXIT.usage;
  }
  let at: number | undefined;
  if (values.at !== undefined) {
    if (!/^[0-9]{1,12}$/.test(values.at)) {
      fail(`Bad --at "${values.at}": give seconds since the epoch`);
      return CLI_EXIT.usage;
    }
    at = Number(values.at);
  }
  const sha1 = Deno.env.get("DK_DKIM_SHA1") ?? "";
  if (sha1 !== "" && sha1 !== "accept") {
    fail(
      `Cannot use DK_DKIM_SHA1 "${sha1}": the only value is accept (or leave it unset)`,
    );
    return CLI_EXIT.usage;
  }
  const minKeyBits = minKeyBitsFromEnv(Deno.env.get("DK_MIN_KEY_BITS"));
  if (typeof minKeyBits === "string") {
    fail(minKeyBits);
    return CLI_EXIT.usage;
  }
  const resolver = resolverFromOptions({
    dns: values.dns,
    zone: values.zone,
    env: Deno.env.toObject(),
  });
  if (!resolver.ok) {
    fail(resolver.error);
    return CLI_EXIT.usage;
  }
  const backend = await loadBackend(Deno.env.get("DK_CRYPTO"));
  if (!backend.ok) {
    fail(backend.error);
    return CLI_EXIT.usage;
  }
  const ctx: Context = {
    resolver: cacheResolver(resolver.value),
    backend: backend.value,
    minKeyBits,
    json: values.json,
    explain: values.explain,
    now: () => at ?? Math.floor(Date.now() / 1000),
    acceptSha1: sha1 === "accept",
    honorLength: values["honor-l"],
  };

  const tally = new Tally();
  if (positionals.length === 0) {
    if (values["add-header"]) {
      const [{ annotatedMessage }, { ourAuthservId }] = await Promise.all([
        importSource<AddHeader>("core/cli/add_header.ts"),
        importSource<OurAuthservId>("core/cli/our_authserv_id.ts"),
      ]);
      const message = await readAll(Deno.stdin.readable);
      const result = await verifyBytes(ctx, message);
      const output = annotatedMessage(message, result, {
        authservId: ourAuthservId,
        honorLength: ctx.honorLength,
      });
      if (!output.ok) {
        fail(output.error);
        return CLI_EXIT.usage;
      }
      for (const part of output.value) await writeStdout(part);
      tally.add(result);
      if (ctx.explain || ctx.json) await report(ctx, result, undefined, true);
    } else {
      const result = await verifyStream(ctx, Deno.stdin.readable);
      tally.add(result);
      await report(ctx, result, undefined, false);
    }
  } else {
    const progress = startProgress({
      enabled: !values.quiet && Deno.stderr.isTerminal(),
      label: "dk verify",
    });
    try {
      await verifyFiles(ctx, positionals, tally, progress);
    } finally {
      progress.end();
    }
  }
  return tally.exitCode();
}

/** What the messages of a run came to: enough for the exit code. */
class Tally {
  unreadable = false;
  #notGood = 0;
  #temporary = 0;

  /** Counts one message's judged class. */
  add(result: BothResult): void {
    const judged = judge(result);
    if (judged === "good") return;
    this.#notGood++;
    if (judged === "temporary") this.#temporary++;
  }

  /** 2 when a file could not be read, else 0, 75 or 1 (see the module). */
  exitCode(): number {
    if (this.unreadable) return CLI_EXIT.usage;
    if (this.#notGood === 0) return CLI_EXIT.ok;
    if (this.#notGood === this.#temporary) return CLI_EXIT.tempFail;
    return CLI_EXIT.notGood;
  }
}

/** One file's outcome: its verdicts, or why it could not be read. */
type FileOutcome =
  | { path: string; result: BothResult }
  | { path: string; error: string };

/**
 * Verifies the files the operands name, up to {@link CONCURRENCY} at once
 * (reading and hashing the next while earlier ones wait on DNS), and
 * reports each in input order.
 */
async function verifyFiles(
  ctx: Context,
  operands: string[],
  tally: Tally,
  progress: Progress,
): Promise<void> {
  const pending: { outcome: Promise<FileOutcome>; done: boolean }[] = [];
  // The counter is on stderr: off the screen before an error, and before
  // each line when stdout shares the terminal.
  const stdoutOnTerminal = Deno.stdout.isTerminal();
  const output = new LineBuffer(stdoutOnTerminal ? 0 : 64 * 1024);
  const sink = (line: string) => output.push(line);
  const emit = async () => {
    const next = pending.shift()!;
    // Nothing sits in the buffer while a message waits (on DNS, a FIFO).
    if (!next.done) output.flush();
    const outcome = await next.outcome;
    if ("error" in outcome) {
      output.flush();
      progress.clear();
      fail(outcome.error);
      tally.unreadable = true;
    } else {
      tally.add(outcome.result);
      if (stdoutOnTerminal) progress.clear();
      await report(ctx, outcome.result, outcome.path, false, sink);
    }
    progress.tick();
  };
  try {
    for (const operand of operands) {
      for await (const file of messageFiles(operand)) {
        const task = {
          outcome: file.error !== undefined
            ? Promise.resolve<FileOutcome>({
              path: file.path,
              error: file.error,
            })
            : verifyFile(ctx, file.path, file.regular === true),
          done: false,
        };
        task.outcome.then(() => task.done = true);
        pending.push(task);
        // Verdicts go as soon as they and those before them are in: a
        // run whose lookups are answered from the cache holds none.
        while (
          pending.length && (pending[0].done || pending.length >= CONCURRENCY)
        ) await emit();
      }
    }
    while (pending.length) await emit();
  } finally {
    output.flush();
  }
}

/**
 * Regular files up to this size are read whole in one go (far cheaper than
 * a stream); larger ones are streamed, so memory stays bounded by
 * {@link CONCURRENCY} times this, whatever the message sizes.
 */
const READ_WHOLE_BYTES = 1 << 20;

/**
 * Reads and verifies one file (`regular`: listed or found as a regular
 * file). Never throws.
 */
async function verifyFile(
  ctx: Context,
  path: string,
  regular: boolean,
): Promise<FileOutcome> {
  try {
    // Synchronous reads of a small regular file cost a few tens of
    // microseconds; the async calls several times that. Anything else (a
    // FIFO, a device) could block, so it is streamed.
    const whole = regular ? readWholeFile(path, READ_WHOLE_BYTES) : null;
    if (whole !== null) return { path, result: await verifyBytes(ctx, whole) };
    const handle = await Deno.open(path, { read: true });
    return { path, result: await verifyStream(ctx, handle.readable) };
  } catch (e) {
    return { path, error: `Cannot read "${path}": ${describeError(e)}` };
  }
}

/**
 * The judged letter's class (5.2 item 5): the DKIM message letter when the
 * message has a `DKIM-Signature`, else the DomainKeys letter.
 */
function judge(result: BothResult): "good" | "temporary" | "bad" {
  if (hasDkim(result)) {
    const code = result.dkim.letter;
    if (code === "A") return "good";
    return DKIM_STATUS[code].temporary ? "temporary" : "bad";
  }
  if (result.dk.letter === "A") return "good";
  return STATUS[result.dk.letter].temporary ? "temporary" : "bad";
}

function verifier(ctx: Context): BothVerifier {
  return new BothVerifier({
    resolver: ctx.resolver,
    backend: ctx.backend,
    minKeyBits: ctx.minKeyBits,
    now: ctx.now,
    acceptSha1: ctx.acceptSha1,
    honorLength: ctx.honorLength,
    explain: ctx.explain,
  });
}

async function verifyBytes(
  ctx: Context,
  bytes: Uint8Array,
): Promise<BothResult> {
  const both = verifier(ctx);
  both.update(bytes);
  return await both.finish();
}

async function verifyStream(
  ctx: Context,
  stream: ReadableStream<Uint8Array>,
): Promise<BothResult> {
  const both = verifier(ctx);
  for await (const chunk of stream) both.update(chunk);
  return await both.finish();
}

/** The policy record of the sending domain, for `--json` on C. */
async function fetchPolicy(
  resolver: Resolver,
  sendingDomain: string | undefined,
): Promise<Record<string, unknown> | null> {
  const domain = sendingDomain === undefined ? null : safeDomain(sendingDomain);
  if (domain === null) return null;
  const reading = readPolicy(await resolver.txt(policyName(domain)));
  switch (reading.kind) {
    case "tempfail":
      return { error: reading.reason };
    case "ambiguous":
      return { error: "several policy records: ignored as ambiguous" };
    case "unusable":
      return { error: reading.error };
  }
  return {
    o: reading.policy.allSigned ? "-" : "~",
    t: reading.policy.testing,
    published: reading.kind === "published",
  };
}

/** The `signatures` array of the JSON (5.2 item 2), top to bottom. */
function signaturesJson(
  ctx: Context,
  both: BothResult,
  words: DkimReport | undefined,
): Record<string, unknown>[] {
  const dkim = both.dkim.signatures;
  const headerB = headerBPrefixes(dkim.map((s) => s.signature));
  return both.signatures.map((entry) => {
    if (entry.scheme === "dkim") {
      const result = dkim[entry.index];
      return words!.dkimSignatureJson(
        result,
        headerB[entry.index],
        ctx.explain
          ? words!.dkimExplain(result, entry.index + 1, dkim.length)
          : undefined,
      );
    }
    const r = entry.result;
    return {
      scheme: "dk",
      code: r.letter,
      status: headerWord(r.letter),
      domain: r.domain ?? null,
      selector: r.selector ?? null,
      algorithm: r.domain !== undefined ? "rsa-sha1" : null,
      reason: r.reason,
      testing: r.testing,
    };
  });
}

async function report(
  ctx: Context,
  both: BothResult,
  file: string | undefined,
  toStderr: boolean,
  sink?: (line: string) => void,
): Promise<void> {
  const out = sink ?? (toStderr ? console.error : console.log);
  const result = both.dk;
  // Only a message with a DKIM-Signature has DKIM words to say.
  const words = hasDkim(both) ? await loadDkimReport() : undefined;
  if (ctx.json) {
    const object: Record<string, unknown> = {
      code: result.letter,
      status: headerWord(result.letter),
      domain: result.domain ?? null,
      selector: result.selector ?? null,
      reason: result.reason,
      testing: result.testing,
    };
    if (file !== undefined) object.file = file;
    if (result.letter === "C") {
      object.policy = await fetchPolicy(both.resolver, result.sendingDomain);
    }
    if (ctx.explain) object.explain = result.explain;
    object.dkim = both.dkim.letter;
    object.signatures = signaturesJson(ctx, both, words);
    object.dk_skipped = both.dkSkipped;
    object.dkim_skipped = both.dkim.skipped;
    out(JSON.stringify(object));
    return;
  }
  const where = result.domain !== undefined
    ? ` (d=${printable(result.domain)} s=${printable(result.selector ?? "")})`
    : "";
  const dkimPart = words ? words.dkimTextPart(both.dkim, ctx.honorLength) : "";
  out(
    `${
      file !== undefined ? printable(file, 4096) + ": " : ""
    }${result.letter} ${headerWord(result.letter)}${where}${dkimPart}`,
  );
  if (ctx.explain) {
    for (const line of result.explain) out(`  ${line}`);
    out(
      `  result: ${result.letter} (${STATUS[result.letter].meaning}): ${
        printable(result.reason, 400)
      }`,
    );
    let dkNumber = 0;
    const dkim = both.dkim.signatures;
    for (const entry of both.signatures) {
      if (entry.scheme === "dk") {
        if (dkNumber++ === 0) continue; // the topmost: the lines above
        const r = entry.result;
        out(
          `  DomainKey-Signature ${dkNumber} (from the top): ${r.letter} ${
            headerWord(r.letter)
          }${
            r.domain !== undefined
              ? ` (d=${printable(r.domain)} s=${printable(r.selector ?? "")})`
              : ""
          }: ${printable(r.reason, 400)}`,
        );
        continue;
      }
      const lines = words!.dkimExplain(
        dkim[entry.index],
        entry.index + 1,
        dkim.length,
      );
      for (const line of lines) out(`  ${line}`);
    }
    if (both.dkSkipped) {
      out(`  ${both.dkSkipped} more DomainKey-Signature fields not checked`);
    }
    if (both.dkim.skipped) {
      out(`  ${both.dkim.skipped} more DKIM-Signature fields not checked`);
    }
  }
}

interface FileEntry {
  path: string;
  error?: string;
  /** True when it was a regular file as it was listed (or looked at). */
  regular?: boolean;
}

function join(a: string, b: string): string {
  return a.endsWith("/") ? a + b : `${a}/${b}`;
}

/** True when `path/name` is a directory (not a link to one). */
async function isDirectory(path: string, name: string): Promise<boolean> {
  try {
    return (await Deno.lstat(join(path, name))).isDirectory;
  } catch {
    return false;
  }
}

/**
 * The message files an operand names: a file; a Maildir (a folder with a
 * `cur/` or `new/` folder: their files, `cur/` first); or a folder of
 * message files (recursively, dot files skipped), in the order the folder
 * lists them. Folders are read as they are listed, one entry ahead (the
 * next is fetched while a message is verified), never held whole.
 */
async function* messageFiles(operand: string): AsyncGenerator<FileEntry> {
  let info: Deno.FileInfo;
  try {
    info = await Deno.stat(operand);
  } catch (e) {
    yield {
      path: operand,
      error: `Cannot read "${operand}": ${describeError(e)}`,
    };
    return;
  }
  if (!info.isDirectory) {
    yield { path: operand, regular: info.isFile };
    return;
  }
  const maildir = await Promise.all(
    ["cur", "new"].map((sub) => isDirectory(operand, sub)),
  );
  if (maildir.some((d) => d)) {
    for (const [i, sub] of ["cur", "new"].entries()) {
      if (maildir[i]) yield* messageFiles(join(operand, sub));
    }
    return;
  }
  try {
    for await (const entry of readAhead(Deno.readDir(operand))) {
      if (entry.name.startsWith(".")) continue;
      const path = join(operand, entry.name);
      if (entry.isDirectory) yield* messageFiles(path);
      else if (entry.isFile) yield { path, regular: true };
    }
  } catch (e) {
    yield {
      path: operand,
      error: `Cannot read directory "${operand}": ${describeError(e)}`,
    };
  }
}
