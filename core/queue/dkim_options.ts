/**
 * qmail-dkim's signing settings (dkim.md 6.3, 6.5): `DKIMSIGNOPTIONS` (and
 * `DKIMSIGNOPTIONSEXTRA`) read getopt-style with qmail-dkim's option string
 * `b:c:li:qthx:z:`, `DKIMIDENTITY`, `DKIMEXPIRE` and `EXCLUDE_DKIMSIGN`. Pure:
 * the variables' values come in, settings or plain words out.
 *
 * @module
 */

import type { CanonMode } from "../dkim/canon_header.ts";
import { isALabelName } from "../dkim/domain_name.ts";
import { printable } from "../printable.ts";
import { err, ok, type Result } from "../result.ts";

/** The `c=` pair: header and body canonicalization. */
export interface DkimCanonPair {
  header: CanonMode;
  body: CanonMode;
}

/** Everything one `DKIMSIGNOPTIONS` value says (6.5). */
export interface SignOptionSet {
  /** `-c r|s|t|u` per 6.5's table; relaxed/relaxed when not given. */
  canon: DkimCanonPair;
  /** `-i ID`, as written (its syntax is checked by {@link signSettings}). */
  identity?: string;
  /** `-x SECS`: seconds; `-x -`: null (no `x=`); undefined: not given. */
  expire?: number | null;
  /** `-q`: write `q=dns/txt`. */
  query: boolean;
  /** `-z N` (1–4), kept for lint: the key's type decides `a=`. */
  algorithm?: number;
  /** Options given that dk ignores, as written, each once: `-l`, `-h` (linted), `-t`, `-b` (no effect). */
  ignored: string[];
}

/** qmail-dkim's `-c` letters and the `c=` each writes (6.5, open question 5). */
export const CANON_LETTERS: Readonly<Record<string, DkimCanonPair>> = {
  r: { header: "relaxed", body: "relaxed" },
  s: { header: "simple", body: "simple" },
  t: { header: "relaxed", body: "simple" },
  u: { header: "simple", body: "relaxed" },
};

/** The default `c=`: relaxed/relaxed (`-c r`). */
export const DEFAULT_CANON: DkimCanonPair = CANON_LETTERS.r;

/** qmail-dkim's option string, letter → takes an argument. */
const _OPTIONS = new Map<string, boolean>([
  ["b", true],
  ["c", true],
  ["l", false],
  ["i", true],
  ["q", false],
  ["t", false],
  ["h", false],
  ["x", true],
  ["z", true],
]);

/** Seconds as `DKIMEXPIRE` and `-x` take them: a positive decimal, at most 11 digits (RFC 6376 `x=` has 12). */
const _SECONDS = /^0*([1-9][0-9]{0,10})$/;

const _q = (s: string) => `"${printable(s, 40)}"`;

/**
 * Reads a `DKIMSIGNOPTIONS` value getopt-style over `b:c:li:qthx:z:`: words
 * split at SP and HTAB, flags clustered (`-qt`), arguments attached (`-cr`)
 * or in the next word, `--` ends the options. An unknown option, a missing
 * argument, a `-c` other than `r`, `s`, `t`, `u`, a `-x` other than
 * positive seconds or `-`, a `-z` outside 1–4, or a word left after the
 * options is an error in plain words (at run time, a configuration error).
 * Undefined or empty: the defaults.
 */
export function parseSignOptions(
  text: string | undefined,
): Result<SignOptionSet, string> {
  const set: SignOptionSet = {
    canon: DEFAULT_CANON,
    query: false,
    ignored: [],
  };
  const words = (text ?? "").split(/[ \t]+/).filter((w) => w !== "");
  let at = 0;
  for (; at < words.length; at++) {
    const word = words[at];
    if (word === "--") {
      at++;
      break;
    }
    if (!word.startsWith("-") || word === "-") break;
    for (let j = 1; j < word.length; j++) {
      const letter = word[j];
      const takesArgument = _OPTIONS.get(letter);
      if (takesArgument === undefined) {
        return err(`Unknown option ${_q("-" + letter)}`);
      }
      if (!takesArgument) {
        _flag(set, letter);
        continue;
      }
      let argument = word.slice(j + 1);
      if (argument === "") {
        if (++at >= words.length) {
          return err(`Option -${letter} needs an argument`);
        }
        argument = words[at];
      }
      const applied = _withArgument(set, letter, argument);
      if (!applied.ok) return applied;
      break;
    }
  }
  if (at < words.length) {
    return err(
      `Unexpected word ${_q(words[at])}: every option starts with "-"`,
    );
  }
  return ok(set);
}

function _flag(set: SignOptionSet, letter: string): void {
  if (letter === "q") set.query = true;
  else _ignore(set, letter);
}

function _ignore(set: SignOptionSet, letter: string): void {
  const option = "-" + letter;
  if (!set.ignored.includes(option)) set.ignored.push(option);
}

function _withArgument(
  set: SignOptionSet,
  letter: string,
  argument: string,
): Result<true, string> {
  switch (letter) {
    case "c": {
      const canon = Object.hasOwn(CANON_LETTERS, argument)
        ? CANON_LETTERS[argument]
        : undefined;
      if (canon === undefined) {
        return err(`Option -c takes r, s, t or u, not ${_q(argument)}`);
      }
      set.canon = canon;
      return ok(true);
    }
    case "i":
      set.identity = argument;
      return ok(true);
    case "x": {
      if (argument === "-") {
        set.expire = null;
        return ok(true);
      }
      const seconds = _seconds(argument);
      if (seconds === undefined) {
        return err(
          `Option -x takes a positive number of seconds or "-", not ${
            _q(argument)
          }`,
        );
      }
      set.expire = seconds;
      return ok(true);
    }
    case "z":
      if (!/^[1-4]$/.test(argument)) {
        return err(`Option -z takes 1, 2, 3 or 4, not ${_q(argument)}`);
      }
      set.algorithm = Number(argument);
      return ok(true);
    default: // -b ARG: no effect
      _ignore(set, letter);
      return ok(true);
  }
}

function _seconds(text: string): number | undefined {
  const m = _SECONDS.exec(text);
  return m === null ? undefined : Number(m[1]);
}

/**
 * `DKIMEXPIRE` (6.3): a positive decimal (at most 11 digits after leading
 * zeros) gives seconds; empty or unset gives undefined (no `x=`); anything
 * else is an error in plain words.
 */
export function parseExpire(
  value: string | undefined,
): Result<number | undefined, string> {
  if (value === undefined || value === "") return ok(undefined);
  const seconds = _seconds(value);
  return seconds === undefined
    ? err(`DKIMEXPIRE ${_q(value)} is not a positive number of seconds`)
    : ok(seconds);
}

/**
 * True when `value` can be written as `i=` (6.3): `[local]@domain` in
 * printable ASCII without spaces, one `@`, no `;` or `=` in the local part
 * (they would end the tag or read as dkim-quoted-printable escapes), the
 * domain DNS labels (letters, digits, `-`, `_`). False for anything else.
 */
export function isIdentitySyntax(value: string): boolean {
  const at = value.indexOf("@");
  if (at < 0 || value.indexOf("@", at + 1) >= 0) return false;
  const local = value.slice(0, at);
  if (!/^[\x21-\x7e]*$/.test(local) || /[;=]/.test(local)) return false;
  return isALabelName(value.slice(at + 1).toLowerCase());
}

/**
 * `EXCLUDE_DKIMSIGN` (6.3): the `:`-separated field names, lowercased,
 * SP/HTAB around each removed, empty ones dropped; `from` is never
 * included (it is always signed). Undefined or empty: an empty set.
 */
export function excludedNames(value: string | undefined): Set<string> {
  const names = new Set<string>();
  for (const part of (value ?? "").split(":")) {
    const name = part.replace(/^[ \t]+|[ \t]+$/g, "").toLowerCase();
    if (name !== "" && name !== "from") names.add(name);
  }
  return names;
}

/** The settings of one signature (6.3, 6.5). */
export interface DkimSignSettings {
  /** `c=`. */
  canon: DkimCanonPair;
  /** `i=`, when given with good syntax. */
  identity?: string;
  /** `x=` = `t=` + this, when given. */
  expireSeconds?: number;
  /** Write `q=dns/txt`. */
  query: boolean;
}

/**
 * The settings for one signature from `options` (`DKIMSIGNOPTIONS`, or
 * `DKIMSIGNOPTIONSEXTRA` for the extra signature), `identity`
 * (`DKIMIDENTITY`) and `expire` (`DKIMEXPIRE`). `-i` wins over
 * `DKIMIDENTITY` and `-x` over `DKIMEXPIRE` (which is then not read); an
 * empty `DKIMIDENTITY` is none. An identity with bad syntax
 * ({@link isIdentitySyntax}) is dropped, not an error (lint reports it).
 * Errors (unusable options, a bad `DKIMEXPIRE`) are plain words without
 * paths: a configuration error at run time.
 */
export function signSettings(vars: {
  options?: string;
  identity?: string;
  expire?: string;
}): Result<DkimSignSettings, string> {
  const options = parseSignOptions(vars.options);
  if (!options.ok) return options;
  const set = options.value;
  const settings: DkimSignSettings = { canon: set.canon, query: set.query };
  const identity = set.identity ?? vars.identity;
  if (identity !== undefined && isIdentitySyntax(identity)) {
    settings.identity = identity;
  }
  if (set.expire === undefined) {
    const expire = parseExpire(vars.expire);
    if (!expire.ok) return expire;
    if (expire.value !== undefined) settings.expireSeconds = expire.value;
  } else if (set.expire !== null) {
    settings.expireSeconds = set.expire;
  }
  return ok(settings);
}
