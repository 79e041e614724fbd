import { assertEquals } from "../../tests/helpers/assert.ts";
import { readWholeFile } from "./whole_file.ts";

Deno.test("readWholeFile() reads a file of up to the limit whole, and gives null past it", async () => {
  const dir = await Deno.makeTempDir({ prefix: "dk-whole-file-" });
  try {
    const bytes = (n: number) => Uint8Array.from({ length: n }, (_, i) => i);
    const at = (name: string, n: number) => {
      Deno.writeFileSync(`${dir}/${name}`, bytes(n));
      return `${dir}/${name}`;
    };
    assertEquals(readWholeFile(at("empty", 0), 100), new Uint8Array(0));
    assertEquals(readWholeFile(at("small", 7), 100), bytes(7));
    assertEquals(readWholeFile(at("limit", 100), 100), bytes(100));
    assertEquals(readWholeFile(at("over", 101), 100), null);
    assertEquals(readWholeFile(at("far", 5000), 100), null);
    // Each answer is its own array, whatever is read next.
    const first = readWholeFile(`${dir}/small`, 100);
    readWholeFile(`${dir}/limit`, 100);
    assertEquals(first, bytes(7));
    // Another limit is another buffer, the same answers.
    assertEquals(readWholeFile(`${dir}/far`, 8192), bytes(5000));
    let error = "";
    try {
      readWholeFile(`${dir}/missing`, 100);
    } catch (e) {
      error = e instanceof Deno.errors.NotFound ? "NotFound" : String(e);
    }
    assertEquals(error, "NotFound");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
