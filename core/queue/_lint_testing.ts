/**
 * Helpers for the lint tests: a fake file system and accounts behind
 * {@link DkimLintHost} (facts per path, text per file), and PEM keys made
 * once per process.
 *
 * @module
 */

import { generateKeyPairSync } from "node:crypto";
import type { Account } from "../../rules/accounts.ts";
import { err, ok } from "../result.ts";
import type { PathFacts } from "./lint.ts";
import type { DkimLintHost } from "./lint_dkim_key.ts";

/** The qmail-smtpd user of the tests: group 600 is the key group "dkkeys". */
export const QMAILD: Account = { name: "qmaild", uid: 502, gids: [501, 600] };

/** A directory owned by root. */
export function dir(mode = 0o755): PathFacts {
  return { kind: "dir", uid: 0, gid: 0, mode };
}

/** A regular file owned by root, group `gid` (600: qmaild's key group). */
export function file(mode = 0o640, gid = 600): PathFacts {
  return { kind: "file", uid: 0, gid, mode };
}

/**
 * A fake host: `facts` says what exists (directories list the paths
 * directly below them); `texts` holds the contents lint can read (a file
 * with facts but no text cannot be read: permission denied).
 */
export function fakeHost(
  facts: Record<string, PathFacts>,
  texts: Record<string, string> = {},
  user: Account | null = QMAILD,
): DkimLintHost {
  const has = (p: string) => Object.hasOwn(facts, p);
  return {
    stat: (p) => (has(p) ? facts[p] : null),
    list: (d) => {
      if (!has(d) || facts[d].kind !== "dir") return null;
      return Object.keys(facts)
        .filter((p) =>
          p.startsWith(d + "/") && !p.slice(d.length + 1).includes("/")
        )
        .map((p) => p.slice(d.length + 1));
    },
    readFile: (p, max) => {
      if (!has(p)) return err({ kind: "missing", why: "no such file" });
      if (!Object.hasOwn(texts, p) || facts[p].kind !== "file") {
        return err({ kind: "unreadable", why: "permission denied" });
      }
      const bytes = Uint8Array.from(texts[p], (c) => c.charCodeAt(0));
      if (bytes.length > max) {
        return err({ kind: "unreadable", why: `larger than ${max} bytes` });
      }
      return ok({ bytes, mode: facts[p].mode });
    },
    user,
    groupName: (gid) => (gid === 600 ? "dkkeys" : String(gid)),
  };
}

const _pems = new Map<string, string>();

/** A PEM private key of the given kind, made once per process. */
export function pem(kind: "rsa1024" | "rsa512" | "ed25519"): string {
  let text = _pems.get(kind);
  if (text === undefined) {
    const pair = kind === "ed25519"
      ? generateKeyPairSync("ed25519", {
        publicKeyEncoding: { type: "spki", format: "pem" },
        privateKeyEncoding: { type: "pkcs8", format: "pem" },
      })
      : generateKeyPairSync("rsa", {
        modulusLength: kind === "rsa512" ? 512 : 1024,
        publicKeyEncoding: { type: "spki", format: "pem" },
        privateKeyEncoding: { type: "pkcs1", format: "pem" },
      });
    text = pair.privateKey;
    _pems.set(kind, text);
  }
  return text;
}
