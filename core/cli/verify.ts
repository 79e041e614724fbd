/**
 * `dk verify`: DomainKeys verification of one message on stdin, or of files,
 * directories and Maildirs in one process (cli.md).
 *
 * Exit codes: 0 every message good (A); 1 some message not good; 75 a
 * temporary failure (F, H, K) and nothing permanently bad; 2 usage errors
 * and files that cannot be opened or read.
 *
 * @module
 */

import { describeError, fail, parseFlags, readAll, writeStdout } from "./io.ts";
import { DkVerifier, type VerifyResult } from "../dk/verify.ts";
import { minKeyBitsFromEnv } from "../dk/key_record.ts";
import { policyName, readPolicy } from "../dk/policy.ts";
import { printable } from "../printable.ts";
import { lineEndOf } from "../message/line_end.ts";
import { safeDomain } from "../dk/domain.ts";
import type { Resolver } from "../dns/resolver.ts";
import { resolverFromOptions } from "../dns/select.ts";
import { loadBackend } from "../crypto/load.ts";
import type { CryptoBackend } from "../crypto/backend.ts";
import { CLI_EXIT, headerWord, STATUS } from "../status.ts";

interface Context {
  resolver: Resolver;
  backend: CryptoBackend;
  minKeyBits: number;
  json: boolean;
  explain: boolean;
}

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
      },
      strict: true,
      allowPositionals: true,
    },
    "dk verify [FILE|DIR]... [--dns HOST[:PORT] | --zone FILE] [--json] [--add-header] [--explain]",
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
    resolver: resolver.value,
    backend: backend.value,
    minKeyBits,
    json: values.json,
    explain: values.explain,
  };

  const results: VerifyResult[] = [];
  let unreadable = false;
  if (positionals.length === 0) {
    if (values["add-header"]) {
      const message = await readAll(Deno.stdin.readable);
      const result = await verifyBytes(ctx, message);
      const crlf = lineEndOf(message) === "\r\n";
      await writeStdout(
        new TextEncoder().encode(
          `DomainKey-Status: ${headerWord(result.code)}${crlf ? "\r\n" : "\n"}`,
        ),
      );
      await writeStdout(message);
      results.push(result);
      if (ctx.explain || ctx.json) await report(ctx, result, undefined, true);
    } else {
      const result = await verifyStream(ctx, Deno.stdin.readable);
      results.push(result);
      await report(ctx, result, undefined, false);
    }
  } else {
    for (const operand of positionals) {
      for await (const file of messageFiles(operand)) {
        if (file.error) {
          fail(file.error);
          unreadable = true;
          continue;
        }
        let handle: Deno.FsFile;
        try {
          handle = await Deno.open(file.path, { read: true });
        } catch (e) {
          fail(`Cannot read "${file.path}": ${describeError(e)}`);
          unreadable = true;
          continue;
        }
        let result: VerifyResult;
        try {
          result = await verifyStream(ctx, handle.readable);
        } catch (e) {
          fail(`Cannot read "${file.path}": ${describeError(e)}`);
          unreadable = true;
          continue;
        }
        results.push(result);
        await report(ctx, result, file.path, false);
      }
    }
  }
  if (unreadable) return CLI_EXIT.usage;
  const notGood = results.filter((r) => r.code !== "A");
  if (notGood.length === 0) return CLI_EXIT.ok;
  if (notGood.every((r) => STATUS[r.code].temporary)) return CLI_EXIT.tempFail;
  return CLI_EXIT.notGood;
}

async function verifyBytes(
  ctx: Context,
  bytes: Uint8Array,
): Promise<VerifyResult> {
  const verifier = new DkVerifier(ctx);
  verifier.update(bytes);
  return await verifier.finish();
}

async function verifyStream(
  ctx: Context,
  stream: ReadableStream<Uint8Array>,
): Promise<VerifyResult> {
  const verifier = new DkVerifier(ctx);
  for await (const chunk of stream) verifier.update(chunk);
  return await verifier.finish();
}

/** The policy record of the sending domain, for `--json` on C. */
async function fetchPolicy(
  ctx: Context,
  sendingDomain: string | undefined,
): Promise<Record<string, unknown> | null> {
  const domain = sendingDomain === undefined ? null : safeDomain(sendingDomain);
  if (domain === null) return null;
  const reading = readPolicy(await ctx.resolver.txt(policyName(domain)));
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

async function report(
  ctx: Context,
  result: VerifyResult,
  file: string | undefined,
  toStderr: boolean,
): Promise<void> {
  const out = toStderr ? console.error : console.log;
  if (ctx.json) {
    const object: Record<string, unknown> = {
      code: result.code,
      status: headerWord(result.code),
      domain: result.domain ?? null,
      selector: result.selector ?? null,
      reason: result.reason,
      testing: result.testing,
    };
    if (file !== undefined) object.file = file;
    if (result.code === "C") {
      object.policy = await fetchPolicy(ctx, result.sendingDomain);
    }
    if (ctx.explain) object.explain = result.explain;
    out(JSON.stringify(object));
    return;
  }
  const where = result.domain !== undefined
    ? ` (d=${printable(result.domain)} s=${printable(result.selector ?? "")})`
    : "";
  out(
    `${file !== undefined ? printable(file, 4096) + ": " : ""}${result.code} ${
      headerWord(result.code)
    }${where}`,
  );
  if (ctx.explain) {
    for (const line of result.explain) out(`  ${line}`);
    out(
      `  result: ${result.code} (${STATUS[result.code].meaning}): ${
        printable(result.reason, 400)
      }`,
    );
  }
}

interface FileEntry {
  path: string;
  error?: string;
}

/**
 * The message files an operand names: a file; a Maildir (`cur/`, `new/`);
 * or a folder of message files (recursively, dot files skipped), sorted.
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
    yield { path: operand };
    return;
  }
  const join = (a: string, b: string) => a.endsWith("/") ? a + b : `${a}/${b}`;
  let names: Deno.DirEntry[];
  try {
    names = await Array.fromAsync(Deno.readDir(operand));
  } catch (e) {
    yield {
      path: operand,
      error: `Cannot read directory "${operand}": ${describeError(e)}`,
    };
    return;
  }
  const isMaildir = names.some((n) =>
    n.isDirectory && (n.name === "cur" || n.name === "new")
  );
  const sorted = names.filter((n) => !n.name.startsWith("."))
    .sort((a, b) => a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  for (const entry of sorted) {
    if (
      isMaildir &&
      !(entry.isDirectory && (entry.name === "cur" || entry.name === "new"))
    ) {
      continue;
    }
    const path = join(operand, entry.name);
    if (entry.isDirectory) yield* messageFiles(path);
    else if (entry.isFile) yield { path };
  }
}
