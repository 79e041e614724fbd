import { assertEquals } from "../../tests/helpers/assert.ts";
import {
  type EnvelopeOut,
  handOff,
  isLoaderVariable,
  killQueueProgram,
  programPath,
} from "./handoff.ts";
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

/**
 * The body chunks; with `ready`, only once the program has made that file
 * (after opening its envelope FIFO: dk closes its end after the body).
 */
async function* body(
  parts: string[],
  ready?: string,
): AsyncGenerator<Uint8Array> {
  if (ready !== undefined) await waitForFile(ready);
  for (const p of parts) yield encoder.encode(p);
}

async function waitForFile(path: string): Promise<void> {
  for (let i = 0; i < 1000; i++) {
    if (await Deno.stat(path).then(() => true, () => false)) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`${path} did not appear`);
}

/**
 * The envelope's way to the program in these tests: a FIFO `dir/fifo` the
 * program opens first thing (`exec 3<fifo`, standing for the fd 1 it
 * inherits) and reads when it wants (`cat <&3`); opened here for reading
 * and writing so that neither open waits, closing it is the end of file.
 */
async function envelope(
  dir: string,
  text = "Fa\0Tb\0\0",
): Promise<EnvelopeOut> {
  const fifo = `${dir}/fifo`;
  await Deno.remove(fifo).catch(() => {});
  const made = await new Deno.Command("mkfifo", { args: [fifo] }).output();
  if (!made.success) throw new Error("mkfifo failed");
  return {
    envelope: encoder.encode(text),
    pipe: await Deno.open(fifo, { read: true, write: true }),
  };
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
    await script(
      dir,
      "q",
      'exec 3<fifo; touch ready; cat > got; cat <&3 > env; pwd -P > cwd; echo "$X" > x; exit 11',
    );
    const code = await handOff({
      program: "q",
      home: dir,
      env: { X: "set" },
      message: {
        header: encoder.encode("H: 1\n"),
        body: body(["a\n", "", "b\n"], `${dir}/ready`),
      },
      envelope: await envelope(dir),
    });
    assertEquals(code, 11);
    assertEquals(await Deno.readTextFile(`${dir}/got`), "H: 1\na\nb\n");
    assertEquals(await Deno.readTextFile(`${dir}/env`), "Fa\0Tb\0\0");
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
        envelope: await envelope(dir),
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
      envelope: await envelope(dir),
    });
    assertEquals(code, 71);
  });
});

Deno.test("handOff() gives 120, 57 and 61 for a missing program, a crash, a missing home", async () => {
  await withDir(async (dir) => {
    const h = async (program: string, home = dir) => ({
      program,
      home,
      message: { header: new Uint8Array(), body: body(["x\n"]) },
      envelope: await envelope(dir),
    });
    assertEquals(await handOff(await h("missing")), QUEUE_EXIT.execFailed);
    await Deno.writeTextFile(`${dir}/noexec`, "#!/bin/sh\nexit 0\n");
    assertEquals(await handOff(await h("noexec")), QUEUE_EXIT.execFailed);
    await script(dir, "q", "cat >/dev/null; kill -KILL $$");
    assertEquals(await handOff(await h("q")), QUEUE_EXIT.queueCrashed);
    assertEquals(
      await handOff(await h("q", `${dir}/nohome`)),
      QUEUE_EXIT.homeError,
    );
  });
});

Deno.test("handOff() kills the program when the spool fails, so nothing is queued", async () => {
  await withDir(async (dir) => {
    await script(
      dir,
      "q",
      `exec 3<fifo; touch ready; cat > got; cat <&3 > env; touch queued`,
    );
    async function* failing(): AsyncGenerator<Uint8Array> {
      await waitForFile(`${dir}/ready`);
      yield encoder.encode("half a message\n");
      await new Promise((r) => setTimeout(r, 100));
      throw new SpoolReadError();
    }
    const code = await handOff({
      program: "q",
      home: dir,
      message: { header: new Uint8Array(), body: failing() },
      envelope: await envelope(dir),
    });
    assertEquals(code, QUEUE_EXIT.writeError);
    assertEquals(
      await Deno.stat(`${dir}/queued`).then(() => true, () => false),
      false,
    );
    // Killed before it could read on, or with an empty envelope.
    const env = await Deno.readTextFile(`${dir}/env`).catch(() => "");
    assertEquals(env, "");
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

Deno.test("handOff() writes the envelope only after the whole message", async () => {
  await withDir(async (dir) => {
    // The program looks at its envelope pipe before reading fd 0, while dk
    // waits to write more of a message bigger than a pipe's buffer: nothing
    // may be there yet (one second on an empty FIFO).
    await script(
      dir,
      "q",
      `exec 3<fifo; touch ready; timeout 1 cat <&3 > early; cat > got; cat <&3 > env`,
    );
    const code = await handOff({
      program: "q",
      home: dir,
      message: {
        header: new Uint8Array(),
        body: body(Array(4).fill("y".repeat(1 << 18)), `${dir}/ready`),
      },
      envelope: await envelope(dir),
    });
    assertEquals(code, 0);
    assertEquals(await Deno.readTextFile(`${dir}/early`), "");
    assertEquals(await Deno.readTextFile(`${dir}/env`), "Fa\0Tb\0\0");
  });
});

Deno.test("handOff() takes the code of a program that ends without reading a big envelope", async () => {
  await withDir(async (dir) => {
    await script(dir, "q", "cat > /dev/null; exit 71");
    // Twice a pipe's buffer: writing it whole would wait for a reader.
    const big = "F" + "a".repeat(1000) + "\0" +
      ("T" + "b".repeat(1000) + "\0").repeat(130) + "\0";
    const out = await envelope(dir, big);
    const code = await handOff({
      program: "q",
      home: dir,
      message: { header: new Uint8Array(), body: body(["x\n"]) },
      envelope: out,
    });
    assertEquals(code, 71);
  });
});

Deno.test("killQueueProgram() kills the running program: 57, nothing queued", async () => {
  await withDir(async (dir) => {
    await script(
      dir,
      "q",
      "exec 3<fifo; touch ready; sleep 5; cat > got; cat <&3 > env; touch queued",
    );
    const done = handOff({
      program: "q",
      home: dir,
      message: { header: new Uint8Array(), body: body(["x\n"]) },
      envelope: await envelope(dir),
    });
    await new Promise((r) => setTimeout(r, 300));
    const start = performance.now();
    killQueueProgram();
    assertEquals(await done, QUEUE_EXIT.queueCrashed);
    assertEquals(performance.now() - start < 3000, true);
    assertEquals(
      await Deno.stat(`${dir}/queued`).then(() => true, () => false),
      false,
    );
    killQueueProgram(); // none running: nothing happens
  });
});

Deno.test("handOff() drops the loader's variables and passes other values byte for byte", async () => {
  await withDir(async (dir) => {
    await script(dir, "q", "cat > /dev/null; env > env.out");
    const before = Deno.env.get("LD_DK_TEST");
    Deno.env.set("LD_DK_TEST", "x");
    Deno.env.set("DK_TEST_REMOVED", "x");
    try {
      const code = await handOff({
        program: "q",
        home: dir,
        env: { DK_TEST_SET: "set", DK_TEST_REMOVED: undefined },
        message: { header: new Uint8Array(), body: body(["x\n"]) },
        envelope: await envelope(dir),
      });
      assertEquals(code, 0);
      const env = await Deno.readTextFile(`${dir}/env.out`);
      assertEquals(env.includes("LD_DK_TEST"), false);
      assertEquals(env.includes("DK_TEST_REMOVED"), false);
      assertEquals(env.includes("\nDK_TEST_SET=set\n"), true);
    } finally {
      if (before !== undefined) Deno.env.set("LD_DK_TEST", before);
      Deno.env.delete("DK_TEST_REMOVED");
    }
  });
});

Deno.test("isLoaderVariable() matches what Deno refuses under a restricted --allow-run", () => {
  for (
    const name of [
      "LD_PRELOAD",
      "LD_LIBRARY_PATH",
      "ld_x",
      " LD_X",
      "DYLD_X",
      "dyld_y",
    ]
  ) {
    assertEquals(isLoaderVariable(name), true, name);
  }
  for (const name of ["OLD_X", "LDX", "PATH", "X_LD_Y", "DYLD"]) {
    assertEquals(isLoaderVariable(name), false, name);
  }
});
