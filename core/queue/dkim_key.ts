/**
 * A DKIM key path of queue mode (dkim.md 6.4, points 2–6): every `%` becomes
 * the validated From domain (qmail-dkim's rule; DomainKeys' DKSIGN keeps its
 * first-only rule in `key_path.ts`), a relative path is relative to the
 * control directory, and the selector is the basename after substitution.
 * No fallback to the path with `%` removed.
 *
 * @module
 */

import { isALabelName } from "../dkim/domain_name.ts";
import { readKeyFile } from "./key_file.ts";
import { inControlDir } from "./dkim_env.ts";

/** Where a DKIM key is, or why it cannot be used. */
export type DkimKeyPath =
  | { kind: "path"; path: string; selector: string; templated: boolean }
  /** A configuration error, in plain words without the message's data. */
  | { kind: "config"; what: string };

/**
 * The key file and selector for `template` (DKIMSIGN, DKIMKEY,
 * DKIMSIGNEXTRA or a `dkimkeys` path) and `domain`, which must already be a
 * validated host name (it holds no `%`, `/` or `..`). A selector that is not
 * DNS labels is a configuration error.
 */
export function dkimKeyPath(
  template: string,
  domain: string,
  controlDir: string,
): DkimKeyPath {
  const templated = template.includes("%");
  const filled = templated ? template.replaceAll("%", domain) : template;
  const path = inControlDir(controlDir, filled);
  const selector = path.slice(path.lastIndexOf("/") + 1);
  if (!isALabelName(selector.toLowerCase())) {
    return {
      kind: "config",
      what:
        `key file name ${JSON.stringify(templated ? "(from %)" : selector)}` +
        " is not a DNS selector",
    };
  }
  return { kind: "path", path, selector, templated };
}

/** A DKIM key read for one message, or why there is none. */
export type DkimKeyText =
  | { kind: "text"; text: string; selector: string }
  /** No key for this domain (a `%` path to a missing file): unsigned. */
  | { kind: "none" }
  | { kind: "config"; what: string };

/**
 * Reads the key file `template` names for `domain` (6.4 point 3): a missing
 * file is "none" with `%` in the path and a configuration error without;
 * every other failure is a configuration error.
 */
export function readDkimKey(
  template: string,
  domain: string,
  controlDir: string,
): DkimKeyText {
  const where = dkimKeyPath(template, domain, controlDir);
  if (where.kind === "config") return where;
  const read = readKeyFile(where.path);
  if (read.ok) {
    return { kind: "text", text: read.value, selector: where.selector };
  }
  if (read.error === "missing" && where.templated) return { kind: "none" };
  return {
    kind: "config",
    what: read.error === "missing"
      ? "signing key file does not exist"
      : "signing key file cannot be read",
  };
}
