/**
 * `dk rules lint`, qmail-dkim's signing settings (dkim.md 6.3, 6.5, 6.14):
 * options that would be a configuration error at run time
 * (`dkim-option-bad`), options dk ignores (`dkim-option-ignored`: `-l`,
 * `-h`, a `-z` that the key's type overrules, `from` in
 * `EXCLUDE_DKIMSIGN`), and identities that are not `[local]@domain`
 * (`dkimidentity-syntax`). Pure: values in, findings out.
 *
 * @module
 */

import { quote } from "../../rules/bytes.ts";
import {
  isIdentitySyntax,
  parseExpire,
  parseSignOptions,
} from "./dkim_options.ts";
import type { AddFinding } from "./lint.ts";
import type { LintedKey } from "./lint_dkim_key.ts";

/** What each `-z` asks for, and the key type that gives it. */
const _ALGORITHMS: Record<number, { words: string; type?: LintedKey["type"] }> =
  {
    1: { words: "rsa-sha1" },
    2: { words: "rsa-sha256", type: "rsa" },
    3: { words: "rsa-sha1 and rsa-sha256" },
    4: { words: "ed25519-sha256", type: "ed25519" },
  };

/** Why dk ignores each linted option. */
const _IGNORED_OPTIONS: Record<string, string> = {
  "-l": "dk never writes l= (a body length lets anyone append to signed mail)",
  "-h": "dk never writes z= (copies of the signed header fields)",
};

/**
 * The findings about one `DKIMSIGNOPTIONS`-style value `value` of variable
 * `name` (`DKIMSIGNOPTIONS`, `DKIMSIGNOPTIONSEXTRA`, or an edit of a
 * `dkimkeys` line): unusable options (`dkim-option-bad`), `-l` and `-h`,
 * `-z 1` or `-z 3` (rsa-sha1 is never made), a `-z` that contradicts one of
 * `keys` (`dkim-option-ignored`), and a `-i` that is not `[local]@domain`
 * (`dkimidentity-syntax`). Never fails.
 */
export function signOptionFindings(
  name: string,
  value: string,
  keys: readonly LintedKey[],
  add: AddFinding,
): void {
  const parsed = parseSignOptions(value);
  if (!parsed.ok) {
    add(
      "dkim-option-bad",
      `${name} ${quote(value)} cannot be used (${
        parsed.error[0].toLowerCase() + parsed.error.slice(1)
      }), so every message it applies to fails temporarily: write qmail-dkim's options, such as "-c r -q"`,
    );
    return;
  }
  const set = parsed.value;
  for (const option of set.ignored) {
    const why = _IGNORED_OPTIONS[option];
    if (why !== undefined) {
      add(
        "dkim-option-ignored",
        `${name} has ${option}, which dk ignores: ${why}: remove it`,
      );
    }
  }
  if (set.algorithm !== undefined) {
    const asked = _ALGORITHMS[set.algorithm];
    const other = keys.find((k) =>
      asked.type !== undefined && k.type !== asked.type
    );
    if (asked.type === undefined) {
      add(
        "dkim-option-ignored",
        `${name} has -z ${set.algorithm} (${asked.words}), but dk never signs with rsa-sha1 (RFC 8301): the key's type decides, and an RSA key signs rsa-sha256: remove -z`,
      );
    } else if (other !== undefined) {
      add(
        "dkim-option-ignored",
        `${name} has -z ${set.algorithm} (${asked.words}), but the key${
          other.domain === null ? "" : ` of ${other.domain}`
        } is ${
          other.type === "rsa" ? "RSA" : "Ed25519"
        }, and the key's type decides: remove -z`,
      );
    }
  }
  if (set.identity !== undefined && !isIdentitySyntax(set.identity)) {
    add(
      "dkimidentity-syntax",
      `the -i of ${name}, ${
        quote(set.identity)
      }, is not [local]@domain in printable ASCII, so dk writes no i=: fix it, such as -i @example.com`,
    );
  }
}

/**
 * `dkimidentity-syntax` when a non-empty `DKIMIDENTITY` is not
 * `[local]@domain` in printable ASCII (whether its domain fits `d=` is
 * known only per message). Never fails.
 */
export function identityFinding(value: string, add: AddFinding): void {
  if (value === "" || isIdentitySyntax(value)) return;
  add(
    "dkimidentity-syntax",
    `DKIMIDENTITY ${
      quote(value)
    } is not [local]@domain in printable ASCII, so dk writes no i=: fix it, such as @example.com`,
  );
}

/** `dkim-option-bad` when `DKIMEXPIRE` is set to anything but a positive decimal. Never fails. */
export function expireFinding(value: string, add: AddFinding): void {
  if (parseExpire(value).ok) return;
  add(
    "dkim-option-bad",
    `DKIMEXPIRE ${
      quote(value)
    } is not a positive number of seconds, so every message it applies to fails temporarily: write seconds, such as 604800, or remove it`,
  );
}

/** `dkim-option-ignored` when `EXCLUDE_DKIMSIGN` names `from`, which is always signed. Never fails. */
export function excludeFinding(value: string, add: AddFinding): void {
  const names = value.split(":").map((n) =>
    n.replace(/^[ \t]+|[ \t]+$/g, "").toLowerCase()
  );
  if (!names.includes("from")) return;
  add(
    "dkim-option-ignored",
    `EXCLUDE_DKIMSIGN names from, which dk always signs (a signature must cover From): remove it from the list`,
  );
}
