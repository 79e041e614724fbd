import { assertEquals } from "../../tests/helpers/assert.ts";
import { dkimKeyPath, readDkimKey } from "./dkim_key.ts";

Deno.test("dkimKeyPath() fills every %, reads relative paths in the control directory, and takes the selector after substitution", () => {
  assertEquals(dkimKeyPath("domainkeys/%/s2026", "example.com", "/c"), {
    kind: "path",
    path: "/c/domainkeys/example.com/s2026",
    selector: "s2026",
    templated: true,
  });
  // Every %, and a final % gives the domain as selector (qmail-dkim's rule).
  assertEquals(dkimKeyPath("/k/%/%", "example.com", "/c"), {
    kind: "path",
    path: "/k/example.com/example.com",
    selector: "example.com",
    templated: true,
  });
  assertEquals(dkimKeyPath("/k/example.com/default", "x.example", "/c"), {
    kind: "path",
    path: "/k/example.com/default",
    selector: "default",
    templated: false,
  });
});

Deno.test("dkimKeyPath() refuses a selector that is not DNS labels, without the message's domain in the words", () => {
  for (
    const template of ["/k/%/bad selector", "/k/%/", "/k/%/a..b"]
  ) {
    const r = dkimKeyPath(template, "example.com", "/c");
    assertEquals(r.kind, "config", template);
  }
});

Deno.test("readDkimKey(): a missing % key is no key, a missing fixed key and a directory are configuration errors", async () => {
  const dir = await Deno.makeTempDir({ prefix: "dk-dkim-key-" });
  try {
    await Deno.mkdir(`${dir}/example.com/sel`, { recursive: true });
    await Deno.mkdir(`${dir}/example.org`);
    await Deno.writeTextFile(`${dir}/example.org/sel`, "PEM TEXT");
    assertEquals(readDkimKey(`${dir}/%/sel`, "example.net", "/c"), {
      kind: "none",
    });
    assertEquals(
      readDkimKey(`${dir}/none/sel`, "example.net", "/c").kind,
      "config",
    );
    assertEquals(
      readDkimKey(`${dir}/%/sel`, "example.com", "/c").kind,
      "config",
    );
    assertEquals(readDkimKey("%/sel", "example.org", dir), {
      kind: "text",
      text: "PEM TEXT",
      selector: "sel",
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
