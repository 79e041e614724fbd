import { assertEquals } from "../../tests/helpers/assert.ts";
import {
  formatManifest,
  parseManifest,
  type SourceStamp,
  stampsMatch,
} from "./bundle_manifest.ts";

const stamps: SourceStamp[] = [
  { path: "core/queue/run.ts", size: 8063, mtime: 1795627330247 },
  { path: "wasm/core_wasm.ts", size: 33229, mtime: 1795624741014.5 },
];

Deno.test("parseManifest() reads back what formatManifest() writes", () => {
  assertEquals(parseManifest(formatManifest(stamps)), stamps);
});

Deno.test("parseManifest() refuses garbage, empty lists and paths outside the root", () => {
  for (
    const text of [
      "",
      "@@DK_QUEUE_MANIFEST@@",
      "{}",
      '{"sources":[]}',
      '{"sources":[["a.ts",1]]}',
      '{"sources":[["a.ts","1",2]]}',
      '{"sources":[["/etc/passwd",1,2]]}',
      '{"sources":[["core/../../x.ts",1,2]]}',
      '{"sources":[["core/a b.ts",1,2]]}',
      '{"sources":[["a.ts",-1,2]]}',
      "null",
    ]
  ) {
    assertEquals(parseManifest(text), null, text);
  }
});

Deno.test("stampsMatch() is true only while every size and mtime is unchanged", () => {
  const now = new Map(stamps.map((s) => [s.path, { ...s }]));
  const stat = (path: string) => now.get(path) ?? null;
  assertEquals(stampsMatch(stamps, stat), true);
  now.get("core/queue/run.ts")!.size += 1;
  assertEquals(stampsMatch(stamps, stat), false);
  now.get("core/queue/run.ts")!.size -= 1;
  // An older file copied over a source (rsync -a, cp -p) is a change too.
  now.get("wasm/core_wasm.ts")!.mtime -= 60_000;
  assertEquals(stampsMatch(stamps, stat), false);
  now.get("wasm/core_wasm.ts")!.mtime += 60_000;
  now.delete("core/queue/run.ts");
  assertEquals(stampsMatch(stamps, stat), false);
});

Deno.test("bundle_run.ts holds the manifest placeholder exactly once and the entries none, as prepare.ts expects", async () => {
  const count = async (name: string) =>
    (await Deno.readTextFile(new URL(name, import.meta.url)))
      .split('"@@DK_QUEUE_MANIFEST@@"').length - 1;
  assertEquals(await count("./bundle_run.ts"), 1);
  assertEquals(await count("./bundle_entry.ts"), 0);
  assertEquals(await count("./bundle_entry_dkim.ts"), 0);
  assertEquals(await count("./bundle_entry_dual.ts"), 0);
  assertEquals(await count("./linked_dk.ts"), 0);
});
