import { assertEquals } from "../../tests/helpers/assert.ts";
import {
  ADDRESS_LIMIT,
  envelopePath,
  readEnvelope,
  takeEnvelope,
} from "./envelope.ts";
import { QUEUE_EXIT } from "../status.ts";
import type { ByteReader } from "./spool.ts";

const encoder = new TextEncoder();

/** A reader that gives `parts` one per read, then end of file. */
function reader(...parts: (string | Uint8Array)[]): ByteReader {
  const chunks = parts.map((p) =>
    typeof p === "string" ? encoder.encode(p) : p
  );
  return {
    read(buffer: Uint8Array): Promise<number | null> {
      const next = chunks.shift();
      if (next === undefined) return Promise.resolve(null);
      buffer.set(next);
      return Promise.resolve(next.length);
    },
  };
}

async function code(...parts: (string | Uint8Array)[]): Promise<number> {
  const r = await readEnvelope(reader(...parts));
  return r.ok ? 0 : r.error;
}

Deno.test("readEnvelope() takes a sender and recipients up to the final NUL", async () => {
  const envelope = "Fa@example.com\0Tb@example.org\0Tc@example.org\0\0";
  const r = await readEnvelope(reader(envelope));
  assertEquals(r, { ok: true, value: encoder.encode(envelope) });
  // The same, a byte per read.
  const bytes = [...envelope].map((c) => c);
  assertEquals(await readEnvelope(reader(...bytes)), r);
});

Deno.test("readEnvelope() takes a bounce (empty sender) and no recipients", async () => {
  assertEquals(await readEnvelope(reader("F\0\0")), {
    ok: true,
    value: encoder.encode("F\0\0"),
  });
  assertEquals(await readEnvelope(reader("F\0Tx\0\0")), {
    ok: true,
    value: encoder.encode("F\0Tx\0\0"),
  });
});

Deno.test("readEnvelope() reads on past the final NUL and drops what follows", async () => {
  let reads = 0;
  const inner = reader("Fa\0Tb\0\0junk", "more junk", "Tc\0\0");
  const counting: ByteReader = {
    read: (b) => {
      reads++;
      return inner.read(b);
    },
  };
  assertEquals(await readEnvelope(counting), {
    ok: true,
    value: encoder.encode("Fa\0Tb\0\0"),
  });
  assertEquals(reads, 4); // three chunks and the end of file
});

Deno.test("readEnvelope() gives 11 for an address of 1003 octets, as qmail-queue", async () => {
  const longest = "a".repeat(ADDRESS_LIMIT - 1);
  const tooLong = "a".repeat(ADDRESS_LIMIT);
  assertEquals(await code(`F${longest}\0T${longest}\0\0`), 0);
  assertEquals(
    await code(`F${tooLong}\0Tb\0\0`),
    QUEUE_EXIT.addressTooLong,
  );
  assertEquals(
    await code("Fa\0T", longest, "b", "\0\0"),
    QUEUE_EXIT.addressTooLong,
  );
  // qmail-queue says 11 as soon as the 1003rd octet is in, end of file or not.
  assertEquals(await code(`Fa\0T${tooLong}`), QUEUE_EXIT.addressTooLong);
});

Deno.test("readEnvelope() gives 91 for a record that starts with the wrong letter", async () => {
  for (const bad of ["Ta\0\0", "fa\0\0", "Fa\0Fb\0\0", "Fa\0tb\0\0", "\0"]) {
    assertEquals(
      await code(bad),
      QUEUE_EXIT.envelopeFormat,
      JSON.stringify(bad),
    );
  }
});

Deno.test("readEnvelope() gives 54 for end of file before the final NUL, or a read error", async () => {
  for (const cut of ["", "F", "Fa", "Fa\0", "Fa\0Tb", "Fa\0Tb\0"]) {
    assertEquals(await code(cut), QUEUE_EXIT.readError, JSON.stringify(cut));
  }
  const failing: ByteReader = {
    read: () => Promise.reject(new Error("EIO")),
  };
  assertEquals(await readEnvelope(failing), {
    ok: false,
    error: QUEUE_EXIT.readError,
  });
});

Deno.test("readEnvelope() gives 51 past its limit, envelope or what follows it", async () => {
  assertEquals(await readEnvelope(reader("Fa\0Tb\0\0"), 7), {
    ok: true,
    value: encoder.encode("Fa\0Tb\0\0"),
  });
  assertEquals(await readEnvelope(reader("Fa\0Tb\0\0x"), 7), {
    ok: false,
    error: QUEUE_EXIT.outOfMemory,
  });
  assertEquals(await readEnvelope(reader("Fa\0Tbc\0\0"), 7), {
    ok: false,
    error: QUEUE_EXIT.outOfMemory,
  });
});

Deno.test("envelopePath() takes DK_ENVELOPE_FD from 3 up, else /dev/fd/1", () => {
  assertEquals(envelopePath("9"), "/dev/fd/9");
  assertEquals(envelopePath("3"), "/dev/fd/3");
  for (const bad of [undefined, "", "1", "2", "0", "x", "9 ", "-9", "12345"]) {
    assertEquals(envelopePath(bad), "/dev/fd/1", String(bad));
  }
});

Deno.test("takeEnvelope() refuses a regular file with 54 (it cannot be kept back)", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/env`, "Fa\0Tb\0\0");
    assertEquals(await takeEnvelope(`${dir}/env`), {
      ok: false,
      error: QUEUE_EXIT.readError,
    });
    assertEquals(await takeEnvelope(`${dir}/missing`), {
      ok: false,
      error: QUEUE_EXIT.readError,
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("takeEnvelope() reads a FIFO to end of file and holds a write end of it", async () => {
  const dir = await Deno.makeTempDir();
  const fifo = `${dir}/fifo`;
  try {
    const made = await new Deno.Command("mkfifo", { args: [fifo] }).output();
    assertEquals(made.code, 0);
    // The caller: writes the envelope and something after it, and closes
    // its end; the FIFO stays open for reading only (as dk's fd 1 is).
    const writer = new Deno.Command("sh", {
      args: ["-c", `printf 'Fa\\0Tb\\0\\0rest' > '${fifo}'`],
    }).output();
    const held = await Deno.open(fifo, { read: true });
    assertEquals((await writer).code, 0);
    const taken = await takeEnvelope(fifo);
    if (!taken.ok) throw new Error(`takeEnvelope: ${taken.error}`);
    assertEquals(taken.value.envelope, encoder.encode("Fa\0Tb\0\0"));
    // The write end reaches the same FIFO, which was left empty.
    await taken.value.pipe.write(encoder.encode("Fx\0\0"));
    taken.value.pipe.close();
    const got = new Uint8Array(64);
    const n = await held.read(got);
    held.close();
    assertEquals(got.subarray(0, n ?? 0), encoder.encode("Fx\0\0"));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
