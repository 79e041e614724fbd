import { assertEquals } from "../tests/helpers/assert.ts";
import { byLine, type Finding } from "./finding.ts";

const f = (line: number, code: string, file?: string): Finding =>
  file === undefined
    ? { line, code, message: code }
    : { file, line, code, message: code };

Deno.test("byLine() sorts by line and keeps the order of findings on one line", () => {
  assertEquals(
    byLine([f(3, "a"), f(1, "b"), f(3, "c"), f(2, "d")]).map((x) => x.code),
    ["b", "d", "a", "c"],
  );
});

Deno.test("byLine() puts the rule file's findings first, then each other file's by line", () => {
  assertEquals(
    byLine([
      f(2, "k2", "dkimkeys"),
      f(5, "r5"),
      f(1, "x1", "other"),
      f(0, "k0", "dkimkeys"),
      f(1, "r1"),
    ]).map((x) => x.code),
    ["r1", "r5", "k0", "k2", "x1"],
  );
});
