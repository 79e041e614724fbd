import { deepStrictEqual, strictEqual } from "node:assert/strict";
import { findAccount, groupName, permits } from "./accounts.ts";

const PASSWD = `root:x:0:0:root:/root:/bin/bash
qmaild:x:502:501::/var/qmail:/sbin/nologin
vchkpw:x:89:89::/home/vpopmail:/sbin/nologin
broken:x:notanumber:1::/:/bin/false
`;
const GROUP = `root:x:0:
nofiles:x:501:
vchkpw:x:89:
dkkeys:x:600:qmaild,other
`;

Deno.test("findAccount() returns uid, primary and supplementary groups", () => {
  deepStrictEqual(findAccount("qmaild", PASSWD, GROUP), {
    name: "qmaild",
    uid: 502,
    gids: [501, 600],
  });
  deepStrictEqual(findAccount("vchkpw", PASSWD, GROUP), {
    name: "vchkpw",
    uid: 89,
    gids: [89],
  });
});

Deno.test("findAccount() returns null for missing or malformed users", () => {
  strictEqual(findAccount("nobody", PASSWD, GROUP), null);
  strictEqual(findAccount("broken", PASSWD, GROUP), null);
});

Deno.test("groupName() names a group id, or gives the number", () => {
  strictEqual(groupName(600, GROUP), "dkkeys");
  strictEqual(groupName(7, GROUP), "7");
});

Deno.test("permits() follows the owner, group, other rule", () => {
  const qmaild = findAccount("qmaild", PASSWD, GROUP)!;
  strictEqual(permits(qmaild, { uid: 0, gid: 600, mode: 0o640 }, 4), true);
  strictEqual(permits(qmaild, { uid: 0, gid: 0, mode: 0o640 }, 4), false);
  strictEqual(permits(qmaild, { uid: 502, gid: 0, mode: 0o040 }, 4), false);
  strictEqual(permits(qmaild, { uid: 0, gid: 0, mode: 0o604 }, 4), true);
  strictEqual(permits(qmaild, { uid: 0, gid: 0, mode: 0o755 }, 1), true);
  const root = findAccount("root", PASSWD, GROUP)!;
  strictEqual(permits(root, { uid: 5, gid: 5, mode: 0o000 }, 4), true);
  strictEqual(permits(root, { uid: 5, gid: 5, mode: 0o600 }, 1), false);
});
