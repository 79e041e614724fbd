import { assertEquals } from "../../tests/helpers/assert.ts";
import { StreamDigest } from "./stream_digest.ts";
import { createHash } from "node:crypto";

const hex = (b: Uint8Array) =>
  Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");

Deno.test("StreamDigest gives the platform's SHA-256 and SHA-1, buffered or switched to node:crypto past its limit", async () => {
  const data = crypto.getRandomValues(new Uint8Array(50_000));
  for (const alg of ["sha256", "sha1"] as const) {
    const want = createHash(alg).update(data).digest("hex");
    for (const limit of [1_000_000, 10_000, 0]) {
      const d = new StreamDigest(alg, limit);
      for (let at = 0; at < data.length; at += 7_777) {
        d.update(data.subarray(at, at + 7_777));
      }
      assertEquals(hex(await d.digest()), want, `${alg}, limit ${limit}`);
    }
  }
  // Nothing fed: the digest of the empty string (RFC 6234's test).
  assertEquals(
    hex(await new StreamDigest("sha256").digest()),
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
  );
});

Deno.test("StreamDigest copies what it is fed: reusing the buffer changes nothing", async () => {
  const buffer = new Uint8Array([1, 2, 3]);
  const d = new StreamDigest("sha256");
  d.update(buffer);
  buffer.fill(9);
  assertEquals(
    hex(await d.digest()),
    createHash("sha256").update(new Uint8Array([1, 2, 3])).digest("hex"),
  );
});
