import {
  assert,
  assertEquals,
  assertMatch,
  assertStrictEquals,
} from "../../tests/helpers/assert.ts";
import { cdbMake } from "../../rules/cdb_write.ts";
import {
  hasRecipientLists,
  lookupNames,
  rcpthostsMatch,
  receivesMailFor,
} from "./rcpthosts.ts";

async function inTempDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "dk-rcpthosts-" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** morercpthosts.cdb as qmail-newmrh writes it: lowercase keys, empty data. */
function moreRcptHosts(names: string[]): Uint8Array {
  const made = cdbMake(names.map((n) => [n, ""] as const));
  if (!made.ok) throw new Error(made.error);
  return made.value;
}

Deno.test("lookupNames() walks the suffixes as qmail's rcpthosts.c: the name, then each from a dot", () => {
  assertEquals(lookupNames("Mail.Example.COM."), [
    "mail.example.com",
    ".example.com",
    ".com",
  ]);
  assertEquals(lookupNames("localhost"), ["localhost"]);
  assertEquals(lookupNames(""), []);
  assertEquals(lookupNames("."), []);
});

const RCPTHOSTS = `# domains we receive mail for
example.com
Example.NET \t
.example.org
#not.example
`;

Deno.test("rcpthostsMatch() matches a listed name exactly and without case", () => {
  assert(rcpthostsMatch(RCPTHOSTS, "example.com"));
  assert(rcpthostsMatch(RCPTHOSTS, "EXAMPLE.com"));
  assert(rcpthostsMatch(RCPTHOSTS, "example.net"));
  assert(!rcpthostsMatch(RCPTHOSTS, "mail.example.com"));
  assert(!rcpthostsMatch(RCPTHOSTS, "example.co"));
  assert(!rcpthostsMatch(RCPTHOSTS, "xexample.com"));
});

Deno.test("rcpthostsMatch() lets .parent match every name below parent, not parent itself", () => {
  assert(rcpthostsMatch(RCPTHOSTS, "mail.example.org"));
  assert(rcpthostsMatch(RCPTHOSTS, "a.b.example.org"));
  assert(!rcpthostsMatch(RCPTHOSTS, "example.org"));
  assert(!rcpthostsMatch(RCPTHOSTS, "badexample.org"));
});

Deno.test("rcpthostsMatch() skips comments and empty lines, and keeps a CR as qmail does", () => {
  assert(!rcpthostsMatch(RCPTHOSTS, "not.example"));
  assert(!rcpthostsMatch("#\n\n", "example.com"));
  assert(!rcpthostsMatch("example.com\r\n", "example.com"));
  assert(!rcpthostsMatch("example.com\n", ""));
});

Deno.test("receivesMailFor() reads rcpthosts, then morercpthosts.cdb with the same suffix rule", async () => {
  await inTempDir(async (dir) => {
    assertEquals(receivesMailFor(dir, "example.com"), {
      ok: true,
      value: false,
    });
    await Deno.writeTextFile(`${dir}/rcpthosts`, "example.com\n");
    assertEquals(receivesMailFor(dir, "Example.com"), {
      ok: true,
      value: true,
    });
    assertEquals(receivesMailFor(dir, "example.net"), {
      ok: true,
      value: false,
    });
    await Deno.writeFile(
      `${dir}/morercpthosts.cdb`,
      moreRcptHosts(["example.net", ".example.org"]),
    );
    assertEquals(receivesMailFor(dir, "EXAMPLE.NET"), {
      ok: true,
      value: true,
    });
    assertEquals(receivesMailFor(dir, "mx.example.org"), {
      ok: true,
      value: true,
    });
    assertEquals(receivesMailFor(dir, "example.org"), {
      ok: true,
      value: false,
    });
    await Deno.remove(`${dir}/rcpthosts`);
    assertEquals(receivesMailFor(dir, "example.net"), {
      ok: true,
      value: true,
    });
    assertEquals(receivesMailFor(dir, "example.com"), {
      ok: true,
      value: false,
    });
  });
});

Deno.test("receivesMailFor() fails in plain words on a damaged cdb or a file that is not a file", async () => {
  await inTempDir(async (dir) => {
    await Deno.writeFile(`${dir}/morercpthosts.cdb`, new Uint8Array(100));
    const damaged = receivesMailFor(dir, "example.com");
    assert(!damaged.ok);
    assertMatch(damaged.error, /^Cannot read morercpthosts\.cdb as a cdb: /);
    await Deno.mkdir(`${dir}/rcpthosts`);
    assertEquals(receivesMailFor(dir, "example.com"), {
      ok: false,
      error: "Cannot read rcpthosts: is a directory",
    });
  });
});

Deno.test({
  name: "receivesMailFor() fails on a file it may not read",
  // Root reads everything: as root this runs in tests/queue_unprivileged_test.ts,
  // which runs core/queue/ again as nobody.
  ignore: Deno.uid() === 0,
  async fn() {
    await inTempDir(async (dir) => {
      await Deno.writeTextFile(`${dir}/rcpthosts`, "example.com\n");
      await Deno.chmod(`${dir}/rcpthosts`, 0o000);
      assertEquals(receivesMailFor(dir, "example.com"), {
        ok: false,
        error: "Cannot read rcpthosts: permission denied",
      });
    });
  },
});

Deno.test("hasRecipientLists() is true when either file exists", async () => {
  await inTempDir(async (dir) => {
    assertStrictEquals(hasRecipientLists(dir), false);
    assertStrictEquals(hasRecipientLists(`${dir}/none`), false);
    await Deno.writeFile(`${dir}/morercpthosts.cdb`, moreRcptHosts([]));
    assertStrictEquals(hasRecipientLists(dir), true);
    await Deno.remove(`${dir}/morercpthosts.cdb`);
    await Deno.writeTextFile(`${dir}/rcpthosts`, "");
    assertStrictEquals(hasRecipientLists(dir), true);
  });
});
