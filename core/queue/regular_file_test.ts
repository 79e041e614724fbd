import { assertEquals } from "../../tests/helpers/assert.ts";
import {
  MAX_CONTROL_FILE,
  readControlFile,
  readRegularFile,
} from "./regular_file.ts";

async function inTempDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "dk-regular-file-" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("readRegularFile() gives the bytes and the permission bits", async () => {
  await inTempDir(async (dir) => {
    await Deno.writeFile(`${dir}/f`, new Uint8Array([0, 1, 0xff]));
    await Deno.chmod(`${dir}/f`, 0o640);
    const read = readRegularFile(`${dir}/f`, 3);
    assertEquals(read.ok && [...read.value.bytes], [0, 1, 0xff]);
    assertEquals(read.ok && read.value.mode & 0o777, 0o640);
  });
});

Deno.test("readRegularFile() refuses a file over the bound, naming it", async () => {
  await inTempDir(async (dir) => {
    await Deno.writeFile(`${dir}/f`, new Uint8Array(4));
    assertEquals(readRegularFile(`${dir}/f`, 3), {
      ok: false,
      error: { kind: "unreadable", why: "larger than 3 bytes" },
    });
  });
});

Deno.test("readRegularFile() says missing for ENOENT and ENOTDIR, unreadable for a directory", async () => {
  await inTempDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/file`, "x");
    assertEquals(readRegularFile(`${dir}/none`, 10), {
      ok: false,
      error: { kind: "missing", why: "no such file" },
    });
    assertEquals(readRegularFile(`${dir}/file/x`, 10), {
      ok: false,
      error: { kind: "missing", why: "not a directory" },
    });
    assertEquals(readRegularFile(dir, 10), {
      ok: false,
      error: { kind: "unreadable", why: "is a directory" },
    });
  });
});

Deno.test("readControlFile() gives latin1 text, or missing or unreadable", async () => {
  await inTempDir(async (dir) => {
    await Deno.writeFile(`${dir}/me`, new Uint8Array([0x6d, 0xe9, 0x0a, 0x78]));
    assertEquals(readControlFile(`${dir}/me`), "m\xe9\nx");
    assertEquals(readControlFile(`${dir}/none`), "missing");
    assertEquals(readControlFile(dir), "unreadable");
    await Deno.writeFile(`${dir}/big`, new Uint8Array(MAX_CONTROL_FILE + 1));
    assertEquals(readControlFile(`${dir}/big`), "unreadable");
  });
});
