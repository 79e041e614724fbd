import { assertEquals } from "../../tests/helpers/assert.ts";
import { isSelf, queueDepth, selfPaths } from "./self.ts";

const lookup = (vars: Record<string, string>) => (name: string) => vars[name];
const ROOT = new URL("../../", import.meta.url).pathname;

Deno.test("isSelf() knows the runtime, the launcher, main.ts and links to them", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const selves = selfPaths(lookup({}));
    await Deno.symlink(`${ROOT}scripts/dk`, `${dir}/qmail-queue`);
    await Deno.link(`${ROOT}scripts/dk`, `${dir}/hardlink`).catch(() => {});
    for (
      const p of [
        Deno.execPath(),
        `${ROOT}scripts/dk`,
        `${ROOT}main.ts`,
        `${dir}/qmail-queue`,
      ]
    ) {
      assertEquals(isSelf(p, selves), true, p);
    }
    await Deno.writeTextFile(`${dir}/other`, "#!/bin/sh\n");
    assertEquals(isSelf(`${dir}/other`, selves), false);
    assertEquals(isSelf(`${dir}/missing`, selves), false);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("selfPaths() adds the invoked name when it is a path", () => {
  assertEquals(
    selfPaths(lookup({ DK_ARGV0: "/x/qmail-dk" })).includes("/x/qmail-dk"),
    true,
  );
  assertEquals(
    selfPaths(lookup({ DK_ARGV0: "qmail-dk" })).includes("qmail-dk"),
    false,
  );
});

Deno.test("queueDepth() reads DK_QUEUE_DEPTH, 0 when unset or not a number", () => {
  assertEquals(queueDepth(lookup({})), 0);
  assertEquals(queueDepth(lookup({ DK_QUEUE_DEPTH: "3" })), 3);
  assertEquals(queueDepth(lookup({ DK_QUEUE_DEPTH: "x" })), 0);
});
