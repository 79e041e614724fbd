import { assertEquals, assertStrictEquals } from "../tests/helpers/assert.ts";
import { cdbHash } from "./cdb_hash.ts";
import { cdbOpen } from "./cdb_read.ts";
import { cdbMake } from "./cdb_write.ts";

function hex(bytes: Uint8Array): string {
  return [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
}

Deno.test("cdbHash() is djb's hash: 5381, times 33, xor byte", () => {
  assertStrictEquals(cdbHash(""), 5381);
  assertStrictEquals(cdbHash("127."), 0x7c5406df);
});

Deno.test("cdbMake() writes what tcprules wrote for 127.:allow (known bytes)", () => {
  // `printf '127.:allow\n' | tcprules t.cdb t.tmp` (ucspi-tcp 0.88-7): 2076 bytes.
  const made = cdbMake([["127.", ""]]);
  if (!made.ok) throw new Error(made.error);
  const cdb = made.value;
  assertStrictEquals(cdb.length, 2076);
  const view = new DataView(cdb.buffer);
  for (let t = 0; t < 256; t++) {
    const want = t < 223 ? [2060, 0] : t === 223 ? [2060, 2] : [2076, 0];
    assertEquals([
      view.getUint32(t * 8, true),
      view.getUint32(t * 8 + 4, true),
    ], want);
  }
  assertStrictEquals(
    hex(cdb.subarray(2048)),
    "04000000000000003132372e" + "df06547c000800000000000000000000",
  );
});

Deno.test("cdbOpen() finds the first record of a key and lists all", () => {
  const pairs: [string, string][] = [];
  for (let i = 0; i < 3000; i++) pairs.push([`k${i % 1000}`, `v${i}`]);
  const made = cdbMake(pairs);
  if (!made.ok) throw new Error(made.error);
  const cdb = cdbOpen(made.value);
  if (!cdb.ok) throw new Error(cdb.error);
  assertStrictEquals(cdb.value.find("k7"), "v7");
  assertStrictEquals(cdb.value.find("k999"), "v999");
  assertStrictEquals(cdb.value.find("nope"), null);
  assertEquals([...cdb.value.entries()], pairs);
});

Deno.test("cdbOpen() keeps bytes above 0x7f and NULs in keys and data", () => {
  const made = cdbMake([["\xff\0k", "d\0\x80"]]);
  if (!made.ok) throw new Error(made.error);
  const cdb = cdbOpen(made.value);
  if (!cdb.ok) throw new Error(cdb.error);
  assertStrictEquals(cdb.value.find("\xff\0k"), "d\0\x80");
});

Deno.test("cdbOpen() refuses short or inconsistent files", () => {
  assertStrictEquals(cdbOpen(new Uint8Array(100)).ok, false);
  const bad = new Uint8Array(2048);
  new DataView(bad.buffer).setUint32(0, 999999, true);
  assertStrictEquals(cdbOpen(bad).ok, false);
  const text = new TextEncoder().encode("127.:allow\n".repeat(300));
  assertStrictEquals(cdbOpen(text).ok, false);
});
