/**
 * `dk rules compile|check|lint` (cli.md): the I/O edge of `rules/`. Reads
 * the rule file, writes the cdb to a temporary file in the same directory
 * (fsync, rename, partial file removed on failure), prints, and returns the
 * exit code from `core/status.ts`.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { CLI_EXIT, RULES_EXIT } from "../status.ts";
import { describeError } from "../fs_error.ts";
import { findAccount, groupName } from "../../rules/accounts.ts";
import { fromText, quote, toText } from "../../rules/bytes.ts";
import { type Cdb, cdbOpen } from "../../rules/cdb_read.ts";
import { compileRules } from "../../rules/compile.ts";
import { byLine, type Finding } from "../../rules/finding.ts";
import { lintRules } from "../../rules/lint.ts";
import { lintDomainKeys, type PathFacts } from "../queue/lint.ts";
import { type DkimLintHost, lintDkim } from "../queue/lint_dkim.ts";
import { controlDir } from "../queue/dkim_plan.ts";
import { QMAIL_HOME } from "../queue/plan.ts";
import { readRegularFile } from "../queue/regular_file.ts";
import { type Client, decide } from "../../rules/lookup.ts";
import { parseRules } from "../../rules/parse.ts";

const USAGE = `usage: dk rules compile FILE [OUT.cdb]
       dk rules check FILE|CDB IP [--host NAME] [--info USER] [--json]
       dk rules lint FILE [--user NAME] [--control-dir DIR] [--json]`;

/** The qmail-smtpd users tried, in order, when lint is given no --user. */
const DEFAULT_USERS = ["vchkpw", "qmaild"];

/** Runs `dk rules ARGS`; resolves to the exit code. */
export async function run(args: string[], _argv0: string): Promise<number> {
  const [command, ...rest] = args;
  switch (command) {
    case "compile":
      return await compile(rest);
    case "check":
      return await check(rest);
    case "lint":
      return await lint(rest);
    case "help":
    case "--help":
    case "-h":
      console.log(USAGE);
      return CLI_EXIT.ok;
    default:
      if (command !== undefined) {
        console.error(`dk: unknown rules command ${quote(command)}`);
      }
      console.error(USAGE);
      return CLI_EXIT.usage;
  }
}

function usage(message: string): number {
  console.error(`dk: ${message}\n${USAGE}`);
  return CLI_EXIT.usage;
}

/** The bytes of `file` (check and lint), or null after saying why not. */
async function readInput(file: string): Promise<Uint8Array | null> {
  try {
    return await Deno.readFile(file);
  } catch (e) {
    console.error(`dk: Cannot read ${shown(file)}: ${describeError(e)}`);
    return null;
  }
}

/** The file name as shown in messages (control characters escaped). */
function shown(path: string): string {
  return /^[\x21-\x7e]+$/.test(path) && !path.includes('"')
    ? path
    : quote(fromText(path));
}

function parse(
  args: string[],
  options: Record<string, { type: "string" | "boolean" }>,
): {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
} | string {
  try {
    const { values, positionals } = parseArgs({
      args,
      options,
      allowPositionals: true,
      strict: true,
    });
    return { values, positionals };
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

// ---------------------------------------------------------------------------
// compile

async function compile(args: string[]): Promise<number> {
  const parsed = parse(args, {});
  if (typeof parsed === "string") return usage(parsed);
  const [file, outArg, ...extra] = parsed.positionals;
  if (file === undefined || extra.length > 0) {
    return usage("rules compile takes FILE and an optional OUT.cdb");
  }
  const out = outArg ?? file + ".cdb";
  let src: Uint8Array;
  try {
    src = await Deno.readFile(file);
  } catch (e) {
    console.error(`dk: Cannot read ${shown(file)}: ${describeError(e)}`);
    return e instanceof Deno.errors.NotFound ||
        e instanceof Deno.errors.PermissionDenied ||
        e instanceof Deno.errors.IsADirectory
      ? CLI_EXIT.usage
      : RULES_EXIT.ioError;
  }
  if (await sameFile(file, out)) {
    console.error(
      `dk: Cannot compile ${
        shown(file)
      }: the output would replace the rule file`,
    );
    return CLI_EXIT.usage;
  }
  const compiled = compileRules(src);
  if (!compiled.ok) {
    const where = compiled.error.line > 0
      ? `${shown(file)} `
      : `${shown(file)}: `;
    console.error(`dk: ${where}${compiled.error.message}`);
    return compiled.error.line > 0 ? RULES_EXIT.badLine : RULES_EXIT.ioError;
  }
  for (const w of compiled.value.warnings) {
    console.error(`dk: ${shown(file)} line ${w.line}: warning: ${w.message}`);
  }
  try {
    await installAtomically(out, compiled.value.cdb);
  } catch (e) {
    console.error(`dk: Cannot write ${shown(out)}: ${describeError(e)}`);
    return RULES_EXIT.ioError;
  }
  const { rules, records } = compiled.value;
  console.log(
    `${shown(out)}: ${rules} rule${rules === 1 ? "" : "s"}, ${records} key${
      records === 1 ? "" : "s"
    }`,
  );
  return RULES_EXIT.ok;
}

async function sameFile(a: string, b: string): Promise<boolean> {
  if (a === b) return true;
  try {
    const [sa, sb] = await Promise.all([Deno.stat(a), Deno.stat(b)]);
    return sa.dev === sb.dev && sa.ino !== null && sa.ino === sb.ino;
  } catch {
    return false;
  }
}

/**
 * Writes `bytes` to a new temporary file beside `out` (mode 0644, as
 * tcprules and qmailctl leave it), fsyncs, closes and renames it over `out`.
 * On any failure the temporary file is removed and the error rethrown.
 */
async function installAtomically(
  out: string,
  bytes: Uint8Array,
): Promise<void> {
  const slash = out.lastIndexOf("/");
  const dir = slash < 0 ? "." : out.slice(0, slash) || "/";
  const base = out.slice(slash + 1);
  let tmp = "";
  let file: Deno.FsFile | undefined;
  for (let attempt = 0; file === undefined; attempt++) {
    tmp = `${dir}/.${base}.tmp.${Deno.pid}.${attempt}`;
    try {
      file = await Deno.open(tmp, {
        write: true,
        createNew: true,
        mode: 0o644,
      });
    } catch (e) {
      if (!(e instanceof Deno.errors.AlreadyExists) || attempt >= 10) throw e;
    }
  }
  try {
    let done = 0;
    while (done < bytes.length) done += await file.write(bytes.subarray(done));
    await file.sync();
    file.close();
    file = undefined;
    await Deno.rename(tmp, out);
  } catch (e) {
    try {
      file?.close();
    } catch { /* already closed */ }
    await Deno.remove(tmp).catch(() => {});
    throw e;
  }
}

// ---------------------------------------------------------------------------
// check

/** Looks like a cdb: named .cdb, or a well-formed cdb with NULs in its header. */
function looksLikeCdb(path: string, bytes: Uint8Array): boolean {
  if (path.endsWith(".cdb")) return true;
  return bytes.length >= 2048 && bytes.subarray(0, 2048).includes(0) &&
    cdbOpen(bytes).ok;
}

async function check(args: string[]): Promise<number> {
  const parsed = parse(args, {
    host: { type: "string" },
    info: { type: "string" },
    json: { type: "boolean" },
  });
  if (typeof parsed === "string") return usage(parsed);
  const [file, ip, ...extra] = parsed.positionals;
  if (file === undefined || ip === undefined || extra.length > 0) {
    return usage("rules check takes FILE|CDB and IP");
  }
  const bytes = await readInput(file);
  if (bytes === null) return CLI_EXIT.usage;
  const client: Client = { ip: fromText(ip) };
  if (typeof parsed.values.host === "string") {
    client.host = fromText(parsed.values.host);
  }
  if (typeof parsed.values.info === "string") {
    client.info = fromText(parsed.values.info);
  }

  let find: (key: string) => string | null;
  let lineOf: ((key: string) => number | undefined) | undefined;
  if (looksLikeCdb(file, bytes)) {
    const cdb = cdbOpen(bytes);
    if (!cdb.ok) {
      console.error(`dk: Cannot read ${shown(file)} as a cdb: ${cdb.error}`);
      return CLI_EXIT.usage;
    }
    const opened: Cdb = cdb.value;
    find = (key) => opened.find(key);
  } else {
    const rules = parseRules(bytes);
    if (!rules.ok) {
      console.error(`dk: ${shown(file)} ${rules.error.message}`);
      return CLI_EXIT.usage;
    }
    const first = new Map<string, { data: string; line: number }>();
    for (const rule of rules.value.rules) {
      for (const key of rule.keys) {
        if (!first.has(key)) {
          first.set(key, { data: rule.data, line: rule.line });
        }
      }
    }
    find = (key) => first.get(key)?.data ?? null;
    lineOf = (key) => first.get(key)?.line;
  }
  const decision = decide(client, find);
  const line = decision.rule === null ? undefined : lineOf?.(decision.rule);
  if (parsed.values.json) {
    const env: Record<string, string> = {};
    for (const [name, value] of decision.sets) {
      Object.defineProperty(env, toText(name), {
        value: toText(value),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    const out: Record<string, unknown> = {
      action: decision.action,
      rule: decision.rule === null ? null : toText(decision.rule),
      env,
    };
    if (line !== undefined) out.line = line;
    console.log(JSON.stringify(out));
    return CLI_EXIT.ok;
  }
  // tcprulescheck's words, with the source line when known.
  const lines: string[] = [];
  if (decision.rule === null) lines.push("default:");
  else {
    lines.push(
      `rule ${safe(decision.rule)}:${
        line === undefined ? "" : ` (${shown(file)} line ${line})`
      }`,
    );
  }
  for (const [name, value] of decision.sets) {
    lines.push(`set environment variable ${safe(name)}=${safe(value)}`);
  }
  lines.push(`${decision.action} connection`);
  console.log(lines.join("\n"));
  return CLI_EXIT.ok;
}

/** A byte string for the terminal: UTF-8 text with control characters escaped. */
function safe(s: string): string {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c > 0x7e) return quote(s, 1000);
  }
  return s;
}

// ---------------------------------------------------------------------------
// lint

function hostFromDeno(userName: string | undefined): DkimLintHost | string {
  const readText = (path: string): string => {
    try {
      return Deno.readTextFileSync(path);
    } catch {
      return "";
    }
  };
  const passwd = readText("/etc/passwd");
  const group = readText("/etc/group");
  let user = null;
  if (userName !== undefined) {
    user = findAccount(userName, passwd, group);
    if (user === null) {
      return `there is no user ${quote(fromText(userName))} in /etc/passwd`;
    }
  } else {
    for (const name of DEFAULT_USERS) {
      user = findAccount(name, passwd, group);
      if (user !== null) break;
    }
  }
  return {
    stat(path: string): PathFacts | null {
      try {
        const s = Deno.statSync(path);
        return {
          kind: s.isFile ? "file" : s.isDirectory ? "dir" : "other",
          uid: s.uid ?? -1,
          gid: s.gid ?? -1,
          mode: s.mode ?? 0,
        };
      } catch {
        return null;
      }
    },
    list(dir: string): string[] | null {
      try {
        return [...Deno.readDirSync(dir)].map((e) => e.name);
      } catch {
        return null;
      }
    },
    readFile: readRegularFile,
    user,
    groupName: (gid) => groupName(gid, group),
  };
}

/**
 * Where lint looks for `dkimkeys` and resolves relative DKIM key paths:
 * `--control-dir`, else `$CONTROLDIR` (absolute, or relative to the qmail
 * home, as queue mode reads it), else /var/qmail/control.
 */
function controlDirOf(option: string | undefined): string {
  if (option !== undefined && option !== "") return option;
  const env = (name: string) => Deno.env.get(name);
  return controlDir(env, env("DK_QMAIL_HOME") || QMAIL_HOME);
}

/** One finding as a line of text: the file (the rule file's unless it names one) and line. */
function findingLine(file: string, f: Finding): string {
  const where = shown(f.file ?? file);
  if (f.code === "parse-error") return `${where} ${f.message}`;
  if (f.line === 0) return `${where}: ${f.message}`;
  return `${where} line ${f.line}: ${f.message}`;
}

async function lint(args: string[]): Promise<number> {
  const parsed = parse(args, {
    user: { type: "string" },
    "control-dir": { type: "string" },
    json: { type: "boolean" },
  });
  if (typeof parsed === "string") return usage(parsed);
  const [file, ...extra] = parsed.positionals;
  if (file === undefined || extra.length > 0) {
    return usage("rules lint takes one FILE");
  }
  const bytes = await readInput(file);
  if (bytes === null) return CLI_EXIT.usage;
  const host = hostFromDeno(parsed.values.user as string | undefined);
  if (typeof host === "string") return usage(host);
  const rules = parseRules(bytes);
  let findings: Finding[];
  if (!rules.ok) {
    findings = [{
      line: rules.error.line,
      code: "parse-error",
      message: rules.error.message,
    }];
  } else {
    const controlDir = controlDirOf(
      parsed.values["control-dir"] as string | undefined,
    );
    findings = byLine([
      ...lintRules(rules.value),
      ...lintDomainKeys(rules.value, host),
      ...lintDkim(rules.value, host, controlDir),
    ]);
  }
  for (const f of findings) {
    console.log(parsed.values.json ? JSON.stringify(f) : findingLine(file, f));
  }
  return findings.length === 0 ? CLI_EXIT.ok : CLI_EXIT.notGood;
}
