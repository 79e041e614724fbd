import { assertEquals } from "../../tests/helpers/assert.ts";
import { MAX_KEY_FILE, readKeyFile } from "./key_file.ts";

async function inTempDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "dk-key-file-" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("readKeyFile() returns the text of a small regular file", async () => {
  await inTempDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/key`, "-----BEGIN PRIVATE KEY-----\n");
    assertEquals(readKeyFile(`${dir}/key`), {
      ok: true,
      value: "-----BEGIN PRIVATE KEY-----\n",
    });
  });
});

Deno.test("readKeyFile() tells a missing file or directory from other trouble", async () => {
  await inTempDir(async (dir) => {
    assertEquals(readKeyFile(`${dir}/none`), { ok: false, error: "missing" });
    assertEquals(readKeyFile(`${dir}/none/key`), {
      ok: false,
      error: "missing",
    });
    await Deno.writeTextFile(`${dir}/file`, "x");
    // A path through a regular file: ENOTDIR, also "missing".
    assertEquals(readKeyFile(`${dir}/file/key`), {
      ok: false,
      error: "missing",
    });
  });
});

Deno.test("readKeyFile() refuses a directory, a FIFO (without blocking) and a file over 64 KiB", async () => {
  await inTempDir(async (dir) => {
    assertEquals(readKeyFile(dir), { ok: false, error: "unreadable" });
    const mkfifo = await new Deno.Command("mkfifo", { args: [`${dir}/fifo`] })
      .output();
    assertEquals(mkfifo.success, true);
    assertEquals(readKeyFile(`${dir}/fifo`), {
      ok: false,
      error: "unreadable",
    });
    await Deno.writeFile(`${dir}/big`, new Uint8Array(MAX_KEY_FILE + 1));
    assertEquals(readKeyFile(`${dir}/big`), { ok: false, error: "unreadable" });
  });
});
