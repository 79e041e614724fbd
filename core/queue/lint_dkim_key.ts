/**
 * `dk rules lint`, one DKIM key path (dkim.md 6.4, 6.14): the checks
 * DKSIGN's path gets (`lint.ts`: missing, permissions, selector), with
 * qmail-dkim's rules (relative to CONTROLDIR, every `%` the domain), and
 * then each key found read for its type: RSA under 1024 bits and files that
 * are no RSA or Ed25519 private key are reported. Reads only through the
 * injected {@link DkimLintHost}.
 *
 * @module
 */

import { latin1 } from "../bytes.ts";
import { parseSigningKeyPem } from "../dkim/sign.ts";
import { printable } from "../printable.ts";
import type { Result } from "../result.ts";
import { quote, toText } from "../../rules/bytes.ts";
import { inControlDir } from "./dkim_env.ts";
import { MAX_KEY_FILE } from "./key_file.ts";
import {
  type AddFinding,
  keyFileFindings,
  type KeyNaming,
  type LintHost,
  selectorFinding,
} from "./lint.ts";
import type { FileBytes, ReadFailure } from "./regular_file.ts";

/** The file system as DKIM lint sees it: {@link LintHost} and file contents. */
export interface DkimLintHost extends LintHost {
  /** The regular file at `path` (at most `max` bytes), or why not (as `regular_file.ts` reads it). */
  readFile(path: string, max: number): Result<FileBytes, ReadFailure>;
}

/** The smallest RSA key verifiers accept (RFC 8301). */
export const MIN_RSA_BITS = 1024;

/** A key file found and read. */
export interface LintedKey {
  /** The domain that replaced `%`, or null when the path has none. */
  domain: string | null;
  /** The key's type: it sets `a=` (4.4). */
  type: "rsa" | "ed25519";
}

/**
 * How messages name a DKIM key path of a tcp.smtp rule: `source` is a
 * variable (`DKIMSIGN`, `DKIMKEY`, `DKIMSIGNEXTRA`) or another noun phrase
 * ("the default DKIM key path").
 */
export function dkimNaming(source: string): KeyNaming {
  const variable = /^[A-Z]+$/.test(source);
  return {
    keyFile: variable ? `the ${source} key file` : `the key file of ${source}`,
    beforePercent: `${source} before the %`,
    selectorSource: `the last part of ${source}`,
    missingCode: "dkimsign-missing",
    everyPercent: true,
    keygen: "dk keygen --scheme dkim",
    domainWords: "the From domain",
    exampleSelector: "default",
    from: "these clients",
  };
}

/**
 * Checks one DKIM key path as written (absolute, or relative to
 * `controlDir`) and named by `naming`: the key file checks of `lint.ts`
 * (`dkimsign-missing`, `key-world-readable`, `key-unreadable`,
 * `selector-name`), then each key found that lint itself can read:
 * `key-unusable` (not an RSA or Ed25519 private key) and `key-weak` (RSA
 * under {@link MIN_RSA_BITS} bits). Returns the keys read, with their
 * types. Never fails.
 */
export function dkimKeyFindings(
  keyPath: string,
  controlDir: string,
  host: DkimLintHost,
  add: AddFinding,
  naming: KeyNaming,
): LintedKey[] {
  const path = inControlDir(controlDir, keyPath);
  const found = keyFileFindings(path, host, add, naming);
  selectorFinding(path, add, naming);
  const keys: LintedKey[] = [];
  for (const { path: file, domain } of found) {
    const read = host.readFile(file, MAX_KEY_FILE);
    if (!read.ok) continue; // lint cannot read it; the qmail-smtpd user's view is checked above
    const shown = quote(toText(file), 200);
    const key = parseSigningKeyPem(latin1(read.value.bytes));
    if (!key.ok) {
      add(
        "key-unusable",
        `the key file ${shown} cannot sign: ${
          printable(key.error)
        }, so mail it should sign fails temporarily: make a key with dk keygen --scheme dkim (or --type ed25519)`,
      );
      continue;
    }
    if (key.value.type === "rsa") {
      const bits = key.value.rsa.publicKey.bits;
      if (bits < MIN_RSA_BITS) {
        add(
          "key-weak",
          `the key file ${shown} is a ${bits}-bit RSA key, and verifiers refuse RSA keys under ${MIN_RSA_BITS} bits (RFC 8301), so its signatures never pass: make a 2048-bit key with dk keygen --scheme dkim`,
        );
      }
    }
    keys.push({ domain, type: key.value.type });
  }
  return keys;
}

/**
 * `dkim-keys-same-type` when the main and the extra signature would use
 * keys of one type for some domain (a key without `%` serves every
 * domain): the second signature then helps no verifier the first fails.
 * Reported once. Never fails.
 */
export function sameTypeFinding(
  mainSource: string,
  main: readonly LintedKey[],
  extra: readonly LintedKey[],
  add: AddFinding,
): void {
  for (const e of extra) {
    const m = main.find((m) =>
      m.type === e.type &&
      (m.domain === null || e.domain === null || m.domain === e.domain)
    );
    if (m === undefined) continue;
    const type = e.type === "rsa" ? "RSA" : "Ed25519";
    const domain = m.domain ?? e.domain;
    add(
      "dkim-keys-same-type",
      `${mainSource} and DKIMSIGNEXTRA both give ${type} keys${
        domain === null ? "" : ` (for ${domain})`
      }, so the second signature helps no verifier that fails the first: give DKIMSIGNEXTRA a key of the other type (RSA and Ed25519)`,
    );
    return;
  }
}
