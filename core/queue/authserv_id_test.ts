import { assertEquals } from "../../tests/helpers/assert.ts";
import { authservIdFor, firstLine, systemHostName } from "./authserv_id.ts";

async function inTempDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "dk-authserv-id-" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

const envOf = (vars: Record<string, string>) => (name: string) => vars[name];

Deno.test("authservIdFor(): DK_AUTHSERV_ID, else the first line of me, else the host name", async () => {
  await inTempDir(async (dir) => {
    const host = () => "host.example";
    await Deno.writeTextFile(`${dir}/me`, "mx.example.org \r\nother\n");
    assertEquals(
      authservIdFor(envOf({ DK_AUTHSERV_ID: "id.example" }), dir, host),
      "id.example",
    );
    assertEquals(authservIdFor(envOf({}), dir, host), "mx.example.org");
    // An unusable DK_AUTHSERV_ID is skipped, as an unusable me is.
    assertEquals(
      authservIdFor(envOf({ DK_AUTHSERV_ID: "bad id" }), dir, host),
      "mx.example.org",
    );
    await Deno.writeTextFile(`${dir}/me`, "under_score\n");
    assertEquals(authservIdFor(envOf({}), dir, host), "host.example");
    await Deno.remove(`${dir}/me`);
    assertEquals(authservIdFor(envOf({}), dir, host), "host.example");
    assertEquals(
      authservIdFor(envOf({}), `${dir}/nowhere`, host),
      "host.example",
    );
  });
});

Deno.test("authservIdFor() is null when no candidate is usable", async () => {
  await inTempDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/me`, "\n");
    assertEquals(
      authservIdFor(envOf({ DK_AUTHSERV_ID: "" }), dir, () => null),
      null,
    );
    assertEquals(authservIdFor(envOf({}), dir, () => "a_b"), null);
  });
});

Deno.test("firstLine() reads up to the first LF; null for a missing or unreadable file", async () => {
  await inTempDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/me`, "one\ntwo\n");
    assertEquals(firstLine(`${dir}/me`), "one");
    await Deno.writeTextFile(`${dir}/me`, "");
    assertEquals(firstLine(`${dir}/me`), "");
    assertEquals(firstLine(`${dir}/none`), null);
    assertEquals(firstLine(dir), null);
  });
});

Deno.test("systemHostName() is Deno's host name", () => {
  assertEquals(systemHostName(), Deno.hostname());
});
