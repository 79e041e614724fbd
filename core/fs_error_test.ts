import { assertEquals } from "../tests/helpers/assert.ts";
import { describeError } from "./fs_error.ts";

Deno.test("describeError() gives plain words for file-system errors", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const cases: [() => Promise<unknown>, string][] = [
      [() => Deno.readFile(`${dir}/missing`), "no such file"],
      [() => Deno.readFile(dir), "is a directory"],
      [() => Deno.mkdir(dir), "already exists"],
      [() => Deno.readFile(`${dir}/x/y`), "no such file"],
    ];
    for (const [action, words] of cases) {
      const error = await action().then(() => null, (e) => e);
      assertEquals(describeError(error), words);
    }
    assertEquals(
      describeError(new Error("Bad thing (os error 5), more")),
      "bad thing",
    );
    assertEquals(describeError("text"), "text");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
