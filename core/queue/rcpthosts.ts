/**
 * "Does this host receive mail for the domain?", as qmail-smtpd decides it
 * (qmail's `rcpthosts.c`; dkim.md 6.4, open question 7): the domain is in
 * `CONTROLDIR/rcpthosts` or is a key of `CONTROLDIR/morercpthosts.cdb`. An
 * entry matches the same name, and an entry `.parent` every name below
 * `parent`. A `*` line of `dkimkeys` signs only for such domains.
 *
 * @module
 */

import { cdbOpen } from "../../rules/cdb_read.ts";
import { err, ok, type Result } from "../result.ts";
import { readRegularFile } from "./regular_file.ts";

/** The largest `rcpthosts` read (qmail suggests morercpthosts past a few dozen names). */
export const MAX_RCPTHOSTS = 16 * 1024 * 1024;
/** The largest `morercpthosts.cdb` read (about a million domains). */
export const MAX_MORERCPTHOSTS = 64 * 1024 * 1024;

/**
 * The names qmail-smtpd looks up for `domain`, in its order: the domain
 * itself (lowercased, one trailing dot dropped), then each suffix that
 * starts at a dot (`.example.com`, `.com` for `mail.example.com`). Empty
 * for an empty domain.
 */
export function lookupNames(domain: string): string[] {
  let name = domain.toLowerCase();
  if (name.endsWith(".")) name = name.slice(0, -1);
  if (name === "") return [];
  const names = [name];
  for (let at = name.indexOf(".", 1); at >= 0; at = name.indexOf(".", at + 1)) {
    names.push(name.slice(at));
  }
  return names;
}

/**
 * True when the text of an `rcpthosts` file lists `domain`: one name per
 * line, trailing SP and HTAB removed (as qmail's `control_readfile`; a CR
 * stays, as it does for qmail-smtpd), empty lines and lines starting with
 * `#` skipped, compared without case. An entry matches the same name; an
 * entry `.parent` matches every name below `parent` (not `parent` itself).
 * False for an empty domain.
 */
export function rcpthostsMatch(text: string, domain: string): boolean {
  const wanted = new Set(lookupNames(domain));
  if (wanted.size === 0) return false;
  for (const raw of text.split("\n")) {
    const entry = raw.replace(/[ \t]+$/, "");
    if (entry === "" || entry.startsWith("#")) continue;
    if (wanted.has(entry.toLowerCase())) return true;
  }
  return false;
}

/**
 * Whether this host receives mail for `domain` (see {@link rcpthostsMatch}):
 * `controlDir/rcpthosts`, then `controlDir/morercpthosts.cdb` (keys as
 * qmail-newmrh writes them, lowercase). A file that does not exist lists
 * nothing; neither file: false. A file that exists but cannot be read, is
 * not a regular file, is too large or is not a well-formed cdb is an error
 * in plain words (naming the file, not its directory). Reads synchronously.
 */
export function receivesMailFor(
  controlDir: string,
  domain: string,
): Result<boolean, string> {
  const names = lookupNames(domain);
  if (names.length === 0) return ok(false);
  const text = _read(`${controlDir}/rcpthosts`, "rcpthosts", MAX_RCPTHOSTS);
  if (!text.ok) return text;
  if (text.value !== null) {
    const listed = rcpthostsMatch(new TextDecoder().decode(text.value), domain);
    if (listed) return ok(true);
  }
  const bytes = _read(
    `${controlDir}/morercpthosts.cdb`,
    "morercpthosts.cdb",
    MAX_MORERCPTHOSTS,
  );
  if (!bytes.ok) return bytes;
  if (bytes.value === null) return ok(false);
  const cdb = cdbOpen(bytes.value);
  if (!cdb.ok) {
    return err(`Cannot read morercpthosts.cdb as a cdb: ${cdb.error}`);
  }
  return ok(names.some((name) => cdb.value.find(name) !== null));
}

/**
 * True when `controlDir` holds `rcpthosts` or `morercpthosts.cdb` (of any
 * kind). A name that cannot be looked at (a directory without search
 * permission) counts as present, so that lint never claims it is missing.
 */
export function hasRecipientLists(controlDir: string): boolean {
  return ["rcpthosts", "morercpthosts.cdb"].some((name) => {
    try {
      Deno.statSync(`${controlDir}/${name}`);
      return true;
    } catch (e) {
      return !(e instanceof Deno.errors.NotFound ||
        e instanceof Deno.errors.NotADirectory);
    }
  });
}

/** The bytes of a regular file of at most `max` bytes; null when it does not exist. */
function _read(
  path: string,
  name: string,
  max: number,
): Result<Uint8Array | null, string> {
  const read = readRegularFile(path, max);
  if (read.ok) return ok(read.value.bytes);
  return read.error.kind === "missing"
    ? ok(null)
    : err(`Cannot read ${name}: ${read.error.why}`);
}
