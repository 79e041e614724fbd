import { assertEquals } from "../../tests/helpers/assert.ts";
import type { HashName } from "./backend.ts";
import { ALL_BACKENDS, toHex } from "./_testing.ts";

const encoder = new TextEncoder();

/** FIPS 180 examples (NIST CSRC "Examples with intermediate values"). */
const VECTORS: { input: Uint8Array; sha1: string; sha256: string }[] = [
  {
    input: new Uint8Array(0),
    sha1: "da39a3ee5e6b4b0d3255bfef95601890afd80709",
    sha256: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
  },
  {
    input: encoder.encode("abc"),
    sha1: "a9993e364706816aba3e25717850c26c9cd0d89d",
    sha256: "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
  },
  {
    input: encoder.encode(
      "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
    ),
    sha1: "84983e441c3bd26ebaae4aa1f95129e5e54670f1",
    sha256: "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
  },
  {
    input: new Uint8Array(1_000_000).fill(0x61),
    sha1: "34aa973cd4c4daa4f61eeb2bdbad27316534016f",
    sha256: "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0",
  },
];

for (const backend of ALL_BACKENDS) {
  Deno.test(`${backend.name}: hash() gives the FIPS 180 example digests`, () => {
    for (const vector of VECTORS) {
      for (const alg of ["sha1", "sha256"] as const) {
        const whole = backend.hash(alg);
        whole.update(vector.input);
        assertEquals(toHex(whole.digest()), vector[alg]);
        const bytewise = backend.hash(alg);
        const small = vector.input.length <= 100;
        const step = small ? 1 : 4099;
        for (let at = 0; at < vector.input.length; at += step) {
          bytewise.update(vector.input.subarray(at, at + step));
        }
        assertEquals(toHex(bytewise.digest()), vector[alg], `${alg} chunked`);
      }
    }
  });

  Deno.test(`${backend.name}: hash() of random lengths in random chunks equals WebCrypto's digest`, async () => {
    for (let round = 0; round < 60; round++) {
      const length = round < 2
        ? round * 10_000
        : Math.floor(Math.random() * 10_001);
      const data = crypto.getRandomValues(new Uint8Array(length));
      for (const alg of ["sha1", "sha256"] as HashName[]) {
        const stream = backend.hash(alg);
        let at = 0;
        while (at < length) {
          const size = Math.floor(
            Math.random() * (Math.random() < 0.5 ? 70 : 3000),
          );
          stream.update(data.subarray(at, at + size));
          at += size;
        }
        const want = new Uint8Array(
          await crypto.subtle.digest(
            alg === "sha1" ? "SHA-1" : "SHA-256",
            data,
          ),
        );
        assertEquals(toHex(stream.digest()), toHex(want), `${alg} ${length}`);
      }
    }
  });

  Deno.test(`${backend.name}: interleaved hash streams do not disturb each other`, () => {
    const a = backend.hash("sha1");
    const b = backend.hash("sha256");
    const c = backend.hash("sha1");
    const text = encoder.encode("abc");
    for (const byte of text) {
      a.update(Uint8Array.of(byte));
      b.update(Uint8Array.of(byte));
    }
    c.update(text);
    assertEquals(toHex(c.digest()), VECTORS[1].sha1);
    assertEquals(toHex(b.digest()), VECTORS[1].sha256);
    assertEquals(toHex(a.digest()), VECTORS[1].sha1);
  });
}

for (const backend of ALL_BACKENDS) {
  Deno.test(`${backend.name}: more streams than the core has state slots, fed in turn, each hash right`, async () => {
    // 12 streams of both kinds, fed a byte of their own text in turn, some
    // finished early: streams lose and regain state slots many times.
    const texts = Array.from(
      { length: 12 },
      (_, i) => encoder.encode(`stream ${i} `.repeat(i + 3)),
    );
    const algs: HashName[] = texts.map((_, i) => i % 3 ? "sha256" : "sha1");
    const streams = algs.map((alg) => backend.hash(alg));
    const digests: (Uint8Array | null)[] = texts.map(() => null);
    const longest = Math.max(...texts.map((t) => t.length));
    for (let at = 0; at <= longest; at++) {
      texts.forEach((text, i) => {
        if (digests[i]) return;
        if (at < text.length) streams[i].update(text.subarray(at, at + 1));
        else digests[i] = streams[i].digest();
      });
    }
    for (let i = 0; i < texts.length; i++) {
      const name = algs[i] === "sha1" ? "SHA-1" : "SHA-256";
      const want = new Uint8Array(
        await crypto.subtle.digest(name, texts[i].slice()),
      );
      assertEquals(digests[i], want, `stream ${i}`);
    }
  });
}
