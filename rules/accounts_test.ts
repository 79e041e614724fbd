import { assertEquals, assertStrictEquals } from "../tests/helpers/assert.ts";
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
  assertEquals(findAccount("qmaild", PASSWD, GROUP), {
    name: "qmaild",
    uid: 502,
    gids: [501, 600],
  });
  assertEquals(findAccount("vchkpw", PASSWD, GROUP), {
    name: "vchkpw",
    uid: 89,
    gids: [89],
  });
});

Deno.test("findAccount() returns null for missing or malformed users", () => {
  assertStrictEquals(findAccount("nobody", PASSWD, GROUP), null);
  assertStrictEquals(findAccount("broken", PASSWD, GROUP), null);
});

Deno.test("groupName() names a group id, or gives the number", () => {
  assertStrictEquals(groupName(600, GROUP), "dkkeys");
  assertStrictEquals(groupName(7, GROUP), "7");
});

Deno.test("permits() follows the owner, group, other rule", () => {
  const qmaild = findAccount("qmaild", PASSWD, GROUP)!;
  assertStrictEquals(
    permits(qmaild, { uid: 0, gid: 600, mode: 0o640 }, 4),
    true,
  );
  assertStrictEquals(
    permits(qmaild, { uid: 0, gid: 0, mode: 0o640 }, 4),
    false,
  );
  assertStrictEquals(
    permits(qmaild, { uid: 502, gid: 0, mode: 0o040 }, 4),
    false,
  );
  assertStrictEquals(permits(qmaild, { uid: 0, gid: 0, mode: 0o604 }, 4), true);
  assertStrictEquals(permits(qmaild, { uid: 0, gid: 0, mode: 0o755 }, 1), true);
  const root = findAccount("root", PASSWD, GROUP)!;
  assertStrictEquals(permits(root, { uid: 5, gid: 5, mode: 0o000 }, 4), true);
  assertStrictEquals(permits(root, { uid: 5, gid: 5, mode: 0o600 }, 1), false);
});
