import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { handOff, prepareHandoff, programPath } from "./handoff.ts";
import { QUEUE_EXIT } from "../status.ts";
import { SpoolReadError } from "./spool.ts";

const encoder = new TextEncoder();

/** Writes an sh script `name` into `dir` and returns its path. */
async function script(
  dir: string,
  name: string,
  body: string,
): Promise<string> {
  const path = `${dir}/${name}`;
  await Deno.writeTextFile(path, `#!/bin/sh\n${body}\n`);
  await Deno.chmod(path, 0o755);
  return path;
}

async function* body(parts: string[]): AsyncGenerator<Uint8Array> {
  for (const p of parts) yield encoder.encode(p);
}

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir();
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("handOff() writes header then body to the program and takes its code", async () => {
  await withDir(async (dir) => {
    await script(dir, "q", 'cat > got; pwd -P > cwd; echo "$X" > x; exit 11');
    const code = await handOff({
      program: "q",
      home: dir,
      env: { X: "set", HOME: undefined },
      message: {
        header: encoder.encode("H: 1\n"),
        body: body(["a\n", "", "b\n"]),
      },
    });
    assertEquals(code, 11);
    assertEquals(await Deno.readTextFile(`${dir}/got`), "H: 1\na\nb\n");
    assertEquals(
      (await Deno.readTextFile(`${dir}/cwd`)).trim(),
      await Deno.realPath(dir),
    );
    assertEquals(await Deno.readTextFile(`${dir}/x`), "set\n");
  });
});

Deno.test("handOff() passes exit codes through", async () => {
  await withDir(async (dir) => {
    for (const want of [0, 11, 31, 71, 81]) {
      await script(dir, "q", `cat >/dev/null; exit ${want}`);
      const code = await handOff({
        program: `${dir}/q`,
        home: dir,
        message: { header: new Uint8Array(), body: body(["x\n"]) },
      });
      assertEquals(code, want);
    }
  });
});

Deno.test("handOff() waits for a program that stops reading and takes its code", async () => {
  await withDir(async (dir) => {
    await script(dir, "q", "exit 71");
    const big = "x".repeat(1 << 20);
    const code = await handOff({
      program: "q",
      home: dir,
      message: { header: new Uint8Array(), body: body(Array(8).fill(big)) },
    });
    assertEquals(code, 71);
  });
});

Deno.test("handOff() gives 120, 57 and 61 for a missing program, a crash, a missing home", async () => {
  await withDir(async (dir) => {
    const message = () => ({ header: new Uint8Array(), body: body(["x\n"]) });
    assertEquals(
      await handOff({ program: "missing", home: dir, message: message() }),
      QUEUE_EXIT.execFailed,
    );
    await Deno.writeTextFile(`${dir}/noexec`, "#!/bin/sh\nexit 0\n");
    assertEquals(
      await handOff({ program: "noexec", home: dir, message: message() }),
      QUEUE_EXIT.execFailed,
    );
    await script(dir, "q", "cat >/dev/null; kill -KILL $$");
    assertEquals(
      await handOff({ program: "q", home: dir, message: message() }),
      QUEUE_EXIT.queueCrashed,
    );
    assertEquals(
      await handOff({
        program: "q",
        home: `${dir}/nohome`,
        message: message(),
      }),
      QUEUE_EXIT.homeError,
    );
  });
});

Deno.test("handOff() kills the program when the spool fails, so nothing is queued", async () => {
  await withDir(async (dir) => {
    await script(dir, "q", `cat > got && touch queued`);
    async function* failing(): AsyncGenerator<Uint8Array> {
      yield encoder.encode("half a message\n");
      await new Promise((r) => setTimeout(r, 100));
      throw new SpoolReadError();
    }
    const code = await handOff({
      program: "q",
      home: dir,
      message: { header: new Uint8Array(), body: failing() },
    });
    assertEquals(code, QUEUE_EXIT.writeError);
    assertEquals(
      await Deno.stat(`${dir}/queued`).then(() => true, () => false),
      false,
    );
  });
});

Deno.test("programPath() puts relative programs under the qmail home", () => {
  assertEquals(
    programPath("bin/qmail-queue", "/var/qmail"),
    "/var/qmail/bin/qmail-queue",
  );
  assertEquals(
    programPath("/usr/bin/simscan", "/var/qmail"),
    "/usr/bin/simscan",
  );
});

Deno.test("prepareHandoff() finds Deno's process API and starts nothing", () => {
  assertEquals(prepareHandoff(), true);
});
