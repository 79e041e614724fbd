/**
 * /etc/passwd and /etc/group, parsed (passwd(5), group(5)), and the Unix
 * permission rule: can a given user read a file with a given owner, group
 * and mode? Pure: the files' text and the file facts come in as values.
 *
 * @module
 */

/** A user account, with every group it belongs to. */
export interface Account {
  /** Login name. */
  name: string;
  /** User id. */
  uid: number;
  /** Primary group id followed by the supplementary group ids. */
  gids: number[];
}

/** Owner, group and permission bits of a file. */
export interface Ownership {
  /** Owner's user id. */
  uid: number;
  /** Group id. */
  gid: number;
  /** Permission bits (`mode & 0o7777`). */
  mode: number;
}

/**
 * Finds `name` in passwd and group text. Returns null when the user is not
 * in `passwd`; malformed lines are skipped.
 */
export function findAccount(
  name: string,
  passwd: string,
  group: string,
): Account | null {
  let account: Account | null = null;
  for (const line of passwd.split("\n")) {
    const f = line.split(":");
    if (f.length < 4 || f[0] !== name) continue;
    const uid = Number(f[2]);
    const gid = Number(f[3]);
    if (!Number.isInteger(uid) || !Number.isInteger(gid)) continue;
    account = { name, uid, gids: [gid] };
    break;
  }
  if (account === null) return null;
  for (const line of group.split("\n")) {
    const f = line.split(":");
    if (f.length < 4) continue;
    const gid = Number(f[2]);
    if (!Number.isInteger(gid)) continue;
    if (f[3].split(",").includes(name) && !account.gids.includes(gid)) {
      account.gids.push(gid);
    }
  }
  return account;
}

/** The name of group id `gid` in group text, or the number as text. */
export function groupName(gid: number, group: string): string {
  for (const line of group.split("\n")) {
    const f = line.split(":");
    if (f.length >= 3 && Number(f[2]) === gid && f[2] !== "") return f[0];
  }
  return String(gid);
}

/**
 * True when `who` has permission `bit` (4 read, 2 write, 1 search/execute)
 * on a file owned as `file`, by the owner/group/other rule (root always
 * reads; root searches a directory with any x bit).
 */
export function permits(
  who: Account,
  file: Ownership,
  bit: 4 | 2 | 1,
): boolean {
  if (who.uid === 0) return bit !== 1 || (file.mode & 0o111) !== 0;
  if (file.uid === who.uid) return (file.mode & (bit << 6)) !== 0;
  if (who.gids.includes(file.gid)) return (file.mode & (bit << 3)) !== 0;
  return (file.mode & bit) !== 0;
}
