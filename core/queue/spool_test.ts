import { assertEquals } from "../../tests/helpers/assert.ts";
import {
  createSpool,
  fillSpool,
  openSpool,
  readChunk,
  readSpool,
  tempDir,
} from "./spool.ts";
import { QUEUE_EXIT } from "../status.ts";

/** A reader that yields the given chunks, then end of file. */
function chunks(parts: Uint8Array[]) {
  let i = 0;
  return {
    read(buffer: Uint8Array): Promise<number | null> {
      if (i >= parts.length) return Promise.resolve(null);
      const part = parts[i++];
      buffer.set(part);
      return Promise.resolve(part.length);
    },
  };
}

async function collect(it: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const out: number[] = [];
  for await (const c of it) out.push(...c);
  return new Uint8Array(out);
}

Deno.test("createSpool() makes a 0600 file and unlinks it at once", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const spool = await createSpool(dir);
    if (!spool.ok) throw new Error("no spool");
    assertEquals([...Deno.readDirSync(dir)], []);
    const info = await spool.value.file!.stat();
    assertEquals(info.mode! & 0o777, 0o600);
    assertEquals(info.nlink, 0);
    spool.value.file!.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("createSpool() fails with 63 when the folder cannot hold it", async () => {
  assertEquals(await createSpool("/nonexistent/dir"), {
    ok: false,
    error: QUEUE_EXIT.tempFileError,
  });
});

Deno.test("fillSpool() stores every chunk, feeds the sink in order, reads back", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const spool = await createSpool(dir);
    if (!spool.ok) throw new Error("no spool");
    const parts = ["From: a@b.c\n", "", "\nbody", "\n"].map((s) =>
      new TextEncoder().encode(s)
    );
    const seen: string[] = [];
    const filled = await fillSpool(chunks(parts), spool.value, {
      update: (c) => seen.push(new TextDecoder().decode(c)),
    });
    assertEquals(filled, { ok: true, value: 18 });
    assertEquals(seen.join(""), "From: a@b.c\n\nbody\n");
    const back = await collect(readSpool(spool.value));
    assertEquals(new TextDecoder().decode(back), "From: a@b.c\n\nbody\n");
    spool.value.file!.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("fillSpool() turns a read error into 54", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const spool = await createSpool(dir);
    if (!spool.ok) throw new Error("no spool");
    const failing = { read: () => Promise.reject(new Error("EIO")) };
    assertEquals(await fillSpool(failing, spool.value), {
      ok: false,
      error: QUEUE_EXIT.readError,
    });
    spool.value.file!.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("tempDir() takes an absolute $TMPDIR, else /tmp", () => {
  assertEquals(tempDir("/var/tmp"), "/var/tmp");
  assertEquals(tempDir(undefined), "/tmp");
  assertEquals(tempDir(""), "/tmp");
  assertEquals(tempDir("relative"), "/tmp");
});

Deno.test("openSpool() keeps a small message in memory and creates no file", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const spool = openSpool(dir, 64);
    const parts = ["From: a@b.c\n\n", "body\n"].map((s) =>
      new TextEncoder().encode(s)
    );
    assertEquals(await fillSpool(chunks(parts), spool), {
      ok: true,
      value: 18,
    });
    assertEquals(spool.file, null);
    assertEquals([...Deno.readDirSync(dir)].length, 0);
    const back = await collect(readSpool(spool));
    assertEquals(new TextDecoder().decode(back), "From: a@b.c\n\nbody\n");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("openSpool() moves to an unlinked 0600 file past its memory limit, keeping every byte", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const spool = openSpool(dir, 10);
    const parts = ["0123456", "789abcdef", "ghij"].map((s) =>
      new TextEncoder().encode(s)
    );
    const seen: string[] = [];
    const filled = await fillSpool(chunks(parts), spool, {
      update: (c) => seen.push(new TextDecoder().decode(c)),
    });
    assertEquals(filled, { ok: true, value: 20 });
    assertEquals(seen, ["0123456", "789abcdef", "ghij"]);
    if (spool.file === null) throw new Error("still in memory");
    assertEquals((await spool.file.stat()).mode! & 0o777, 0o600);
    assertEquals(spool.memory, []);
    assertEquals([...Deno.readDirSync(dir)].length, 0, "unlinked at once");
    const back = await collect(readSpool(spool));
    assertEquals(new TextDecoder().decode(back), "0123456789abcdefghij");
    spool.file.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("openSpool() fails with 63 when a big message's file cannot be made", async () => {
  const spool = openSpool("/nonexistent/dir", 4);
  const parts = ["0123", "4567"].map((s) => new TextEncoder().encode(s));
  assertEquals(await fillSpool(chunks(parts), spool), {
    ok: false,
    error: QUEUE_EXIT.tempFileError,
  });
});

Deno.test('readChunk() gives the bytes read, null at end of file, or "error"', async () => {
  let calls = 0;
  const reader = {
    read(buffer: Uint8Array): Promise<number | null> {
      calls++;
      if (calls === 1) {
        buffer.set([1, 2, 3]);
        return Promise.resolve(3);
      }
      return calls === 2
        ? Promise.resolve(null)
        : Promise.reject(new Error("EIO"));
    },
  };
  assertEquals(await readChunk(reader, 16), Uint8Array.of(1, 2, 3));
  assertEquals(await readChunk(reader, 16), null);
  assertEquals(await readChunk(reader, 16), "error");
});
