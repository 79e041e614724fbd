/**
 * `deno task compile` as far as this network allows: `denort` cannot be
 * fetched here, but with `DENORT_BIN` set to the pinned `deno` binary
 * `deno compile` runs to the end and lists what it embeds. That list must
 * hold every module dk can load (its commands are imported by computed URL,
 * which `deno compile` cannot follow) and nothing from `node_modules`, so a
 * user with network gets a binary that misses no file.
 */

import { assert, assertEquals } from "./helpers/assert.ts";
import { ROOT } from "./helpers/mail_dkim.ts";
import { sourceModules } from "./helpers/modules.ts";

const DENO = `${ROOT}/node_modules/@deno/linux-x64-glibc/deno`;

/**
 * The files of `deno compile`'s "Embedded Files" tree, as paths from the
 * root: `├─┬ core (…)` opens a folder two columns deeper, `│ ├── bytes.ts
 * (2KB)` is a file, and a lone child is written as `wasm/core_wasm.ts`.
 */
export function embeddedFiles(output: string): string[] {
  const lines = output.split("\n");
  const start = lines.findIndex((l) => l.trim() === "Embedded Files");
  const files: string[] = [];
  const folders: string[] = [];
  for (const line of lines.slice(start + 1)) {
    const m = /^((?:[│ ] )*)[├└]─([┬─]) (.+?)(?: \([^)]*\))?$/.exec(line);
    if (!m) continue;
    const depth = m[1].length / 2;
    folders.length = depth;
    const path = [...folders, m[3]].join("/");
    if (m[2] === "┬") folders.push(m[3]);
    else files.push(path);
  }
  return files.sort();
}

Deno.test("embeddedFiles() reads deno compile's tree", () => {
  const sample = [
    "Embedded Files",
    "",
    "dk",
    "├─┬ core (1KB)",
    "│ ├── bytes.ts (2KB)",
    "│ └─┬ cli (3KB)",
    "│   └── bench.ts (4KB)",
    "├── main.ts (6KB)",
    "└── wasm/core_wasm.ts (68.58KB)",
    "",
    "Files: 868.33KB",
  ].join("\n");
  assertEquals(embeddedFiles(sample), [
    "core/bytes.ts",
    "core/cli/bench.ts",
    "main.ts",
    "wasm/core_wasm.ts",
  ]);
});

Deno.test({
  name: "deno task compile embeds every module dk can load and no node_modules",
  sanitizeResources: false,
  async fn() {
    const out = await Deno.makeTempDir({ prefix: "dk-compile-" });
    try {
      const result = await new Deno.Command(`${ROOT}/scripts/compile`, {
        env: {
          DENORT_BIN: DENO,
          DK_COMPILE_OUTPUT: `${out}/dk`,
          DENO_DIR: `${ROOT}/.deno-cache`,
          NO_COLOR: "1",
        },
        stdout: "piped",
        stderr: "piped",
      }).output();
      const text = new TextDecoder().decode(result.stdout) +
        new TextDecoder().decode(result.stderr);
      assertEquals(result.code, 0, text);
      const embedded = embeddedFiles(text);
      assert(
        !embedded.some((f) => f.startsWith("node_modules")),
        "node_modules is embedded",
      );
      const expected = (await sourceModules())
        .filter((f) => f === "main.ts" || /^(core|rules|wasm)\//.test(f))
        .sort();
      assertEquals(embedded, expected);
    } finally {
      await Deno.remove(out, { recursive: true });
    }
  },
});
