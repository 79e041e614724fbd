import { assertEquals } from "../../tests/helpers/assert.ts";
import { resolveKeyPath } from "./key_path.ts";
import { selectorOf } from "../dk/domain.ts";

Deno.test("resolveKeyPath() replaces the first % with the lowercased domain", () => {
  assertEquals(resolveKeyPath("/k/%/private", "Example.COM"), {
    kind: "key",
    path: "/k/example.com/private",
    selector: "private",
    domain: "example.com",
    templated: true,
  });
  // Later % are literal; one trailing dot is dropped.
  assertEquals(resolveKeyPath("/k/%/%x/sel", "mail.example.org."), {
    kind: "key",
    path: "/k/mail.example.org/%x/sel",
    selector: "sel",
    domain: "mail.example.org",
    templated: true,
  });
});

Deno.test("resolveKeyPath() keeps a path without % and still checks the domain", () => {
  assertEquals(resolveKeyPath("/k/s1", "example.com"), {
    kind: "key",
    path: "/k/s1",
    selector: "s1",
    domain: "example.com",
    templated: false,
  });
  assertEquals(resolveKeyPath("/k/s1", "../x").kind, "unsigned");
});

Deno.test("resolveKeyPath() never puts a hostile domain into the path", () => {
  const hostile = [
    "../../etc",
    "..",
    "a/b",
    "a/../b.com",
    "",
    ".",
    "example..com",
    "-a.com",
    "a-.com",
    "[127.0.0.1]",
    "exämple.com",
    "localhost",
    "a b.com",
    "a\0b.com",
    "a\nb.com",
    ("x".repeat(60) + ".").repeat(5) + "com",
    "x".repeat(64) + ".com",
  ];
  for (const raw of hostile) {
    const got = resolveKeyPath("/k/%/private", raw);
    assertEquals(got.kind, "unsigned", JSON.stringify(raw));
  }
});

Deno.test("resolveKeyPath() takes the selector from DKSIGN before substitution", () => {
  assertEquals(resolveKeyPath("/k/%/sel-2024.a", "example.com").kind, "key");
  for (const bad of ["/k/%/", "/k/%", "/k/%/a_b", "/k/%/a..b", "/k/%/-a"]) {
    assertEquals(resolveKeyPath(bad, "example.com").kind, "config", bad);
  }
});

Deno.test("selectorOf() is the text after the last slash", () => {
  assertEquals(selectorOf("/a/b/c"), "c");
  assertEquals(selectorOf("c"), "c");
  assertEquals(selectorOf("/a/"), "");
});
