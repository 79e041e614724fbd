import { createHash, createPrivateKey } from "node:crypto";
import { assertEquals } from "../../tests/helpers/assert.ts";
import type { HashName, RsaPublicKey } from "./backend.ts";
import { bigintBackend } from "./bigint.ts";
import { wasmBackend } from "./wasm.ts";
import { everyBackend, keyFromJwk, openssl, verifyAll } from "./_testing.ts";

// DigestInfo prefixes spelled out here (not imported) so the test does not
// share a mistake with pkcs1.ts.
const SHA1_INFO = [
  0x30,
  0x21,
  0x30,
  0x09,
  0x06,
  0x05,
  0x2b,
  0x0e,
  0x03,
  0x02,
  0x1a,
  0x05,
  0x00,
  0x04,
  0x14,
];
const SHA256_INFO = [
  0x30,
  0x31,
  0x30,
  0x0d,
  0x06,
  0x09,
  0x60,
  0x86,
  0x48,
  0x01,
  0x65,
  0x03,
  0x04,
  0x02,
  0x01,
  0x05,
  0x00,
  0x04,
  0x20,
];
const SHA1_INFO_NO_NULL = [
  0x30,
  0x1f,
  0x30,
  0x07,
  0x06,
  0x05,
  0x2b,
  0x0e,
  0x03,
  0x02,
  0x1a,
  0x04,
  0x14,
];
const SHA1_INFO_EXTRA_PARAMETER = [
  0x30,
  0x23,
  0x30,
  0x0b,
  0x06,
  0x05,
  0x2b,
  0x0e,
  0x03,
  0x02,
  0x1a,
  0x05,
  0x00,
  0x05,
  0x00,
  0x04,
  0x14,
];
const SHA1_INFO_LONG_NULL = [
  0x30,
  0x23,
  0x30,
  0x0b,
  0x06,
  0x05,
  0x2b,
  0x0e,
  0x03,
  0x02,
  0x1a,
  0x05,
  0x02,
  0x00,
  0x00,
  0x04,
  0x14,
];

const message = new TextEncoder().encode(
  "From: a@example.com\r\n\r\nhello\r\n",
);
const changed = message.slice();
changed[7] ^= 0x01;
const sha1 = [...createHash("sha1").update(message).digest()];
const sha256 = [...createHash("sha256").update(message).digest()];

/** `00 01 FF×ff 00 || info || digest || trailing`, padded out on the FF run unless `ff` is given. */
function block(
  k: number,
  info: number[],
  digest: number[],
  options: { ff?: number; trailing?: number[]; before?: number[] } = {},
): Uint8Array {
  const tail = [...info, ...digest, ...(options.trailing ?? [])];
  const head = options.before ?? [0x00, 0x01];
  const ff = options.ff ?? k - head.length - 1 - tail.length;
  const bytes = [...head, ...new Array(ff).fill(0xff), 0x00, ...tail];
  while (bytes.length < k) bytes.push(0x5a); // garbage after a short PS
  assertEquals(bytes.length, k);
  return Uint8Array.from(bytes);
}

function toBigInt(bytes: Uint8Array): bigint {
  return BigInt(
    "0x0" + Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join(""),
  );
}

function fromBigInt(value: bigint, k: number): Uint8Array {
  const hex = value.toString(16).padStart(2 * k, "0");
  return Uint8Array.from(
    { length: hex.length / 2 },
    (_, i) => parseInt(hex.slice(2 * i, 2 * i + 2), 16),
  );
}

Deno.test("every backend refuses malformed signatures, blocks and messages", async () => {
  const dir = await Deno.makeTempDir({ prefix: "dk-crypto-test-" });
  try {
    const keyFile = `${dir}/key.pem`;
    await openssl(["genrsa", "-out", keyFile, "2048"]);
    const pem = new TextDecoder().decode(await Deno.readFile(keyFile));
    const key: RsaPublicKey = keyFromJwk(
      createPrivateKey(pem).export({ format: "jwk" }),
    );
    const k = key.n.length;
    // Raw private operation (m^d mod n): "decrypt" with no padding.
    const raw = (em: Uint8Array) =>
      openssl([
        "pkeyutl",
        "-decrypt",
        "-inkey",
        keyFile,
        "-pkeyopt",
        "rsa_padding_mode:none",
      ], em);

    const goodSha1 = await raw(block(k, SHA1_INFO, sha1));
    const goodSha256 = await raw(block(k, SHA256_INFO, sha256));
    // The hand-built blocks are right: the good ones verify everywhere.
    assertEquals(
      await verifyAll("sha1", key, message, goodSha1),
      everyBackend(true),
    );
    assertEquals(
      await verifyAll("sha256", key, message, goodSha256),
      everyBackend(true),
    );

    const n = toBigInt(key.n);
    const good = toBigInt(goodSha1);
    const top = 2n ** BigInt(8 * k);
    const cases: [string, HashName, Uint8Array, Uint8Array][] = [
      [
        "signature one byte shorter (leading byte dropped)",
        "sha1",
        goodSha1.subarray(1),
        message,
      ],
      [
        "signature one byte shorter (last byte dropped)",
        "sha1",
        goodSha1.subarray(0, k - 1),
        message,
      ],
      [
        "signature one zero byte longer (same value)",
        "sha1",
        Uint8Array.of(0, ...goodSha1),
        message,
      ],
      [
        "signature one byte longer at the end",
        "sha1",
        Uint8Array.of(...goodSha1, 0),
        message,
      ],
      ["signature equal to n", "sha1", key.n, message],
      [
        "signature of all FF (above n)",
        "sha1",
        new Uint8Array(k).fill(0xff),
        message,
      ],
      ["zero signature", "sha1", new Uint8Array(k), message],
      ["signature 1", "sha1", fromBigInt(1n, k), message],
      ["signature n - 1", "sha1", fromBigInt(n - 1n, k), message],
      [
        "first byte 01",
        "sha1",
        await raw(block(k, SHA1_INFO, sha1, { before: [0x01, 0x01] })),
        message,
      ],
      [
        "block type 02",
        "sha1",
        await raw(block(k, SHA1_INFO, sha1, { before: [0x00, 0x02] })),
        message,
      ],
      [
        "one padding byte FE",
        "sha1",
        await raw((() => {
          const b = block(k, SHA1_INFO, sha1);
          b[40] = 0xfe;
          return b;
        })()),
        message,
      ],
      [
        "separator 01 instead of 00",
        "sha1",
        await raw((() => {
          const b = block(k, SHA1_INFO, sha1);
          b[k - SHA1_INFO.length - 21] = 0x01;
          return b;
        })()),
        message,
      ],
      [
        "padding of 7 FF bytes, garbage after the digest",
        "sha1",
        await raw(block(k, SHA1_INFO, sha1, { ff: 7 })),
        message,
      ],
      [
        "padding of 2 FF bytes, garbage after the digest",
        "sha1",
        await raw(block(k, SHA1_INFO, sha1, { ff: 2 })),
        message,
      ],
      ["SHA-256 DigestInfo under a SHA-1 claim", "sha1", goodSha256, message],
      ["SHA-1 DigestInfo under a SHA-256 claim", "sha256", goodSha1, message],
      [
        "SHA-1 DigestInfo holding a SHA-256 digest",
        "sha256",
        await raw(block(k, SHA1_INFO.slice(0, -1).concat(0x20), sha256)),
        message,
      ],
      [
        "two bytes after the digest",
        "sha1",
        await raw(block(k, SHA1_INFO, sha1, { trailing: [0, 0] })),
        message,
      ],
      [
        "DigestInfo without the NULL parameters",
        "sha1",
        await raw(block(k, SHA1_INFO_NO_NULL, sha1)),
        message,
      ],
      [
        "DigestInfo with an extra parameter",
        "sha1",
        await raw(block(k, SHA1_INFO_EXTRA_PARAMETER, sha1)),
        message,
      ],
      [
        "DigestInfo with a two-byte NULL",
        "sha1",
        await raw(block(k, SHA1_INFO_LONG_NULL, sha1)),
        message,
      ],
      ["message one bit different", "sha1", goodSha1, changed],
      ["message one bit different (SHA-256)", "sha256", goodSha256, changed],
    ];
    if (good + n < top) {
      cases.push([
        "signature plus n (same value mod n)",
        "sha1",
        fromBigInt(good + n, k),
        message,
      ]);
    }
    for (const [name, alg, signature, data] of cases) {
      assertEquals(
        await verifyAll(alg, key, data, signature, 7),
        everyBackend(false),
        name,
      );
      const fromWasm = wasmBackend.rsaPublic!(key, signature);
      const fromBigint = bigintBackend.rsaPublic!(key, signature);
      assertEquals(fromWasm, fromBigint, `${name}: raw operation`);
      const inRange = signature.length === k && toBigInt(signature) < n;
      assertEquals(fromWasm !== null, inRange, `${name}: range check`);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("every backend refuses keys outside the policy", async () => {
  const data = new Uint8Array(10);
  const signature = new Uint8Array(64);
  signature[63] = 1;
  const odd = new Uint8Array(64).fill(0xff);
  const keys: [string, RsaPublicKey][] = [
    ["even modulus", {
      n: new Uint8Array(64).fill(0xfe),
      e: Uint8Array.of(1, 0, 1),
      bits: 512,
    }],
    ["511-bit modulus", {
      n: Uint8Array.of(0x7f, ...new Uint8Array(63).fill(0xff)),
      e: Uint8Array.of(3),
      bits: 511,
    }],
    ["exponent 1", { n: odd, e: Uint8Array.of(1), bits: 512 }],
    ["even exponent", { n: odd, e: Uint8Array.of(1, 0, 0), bits: 512 }],
    ["exponent above 2^32", {
      n: odd,
      e: Uint8Array.of(1, 0, 0, 0, 1),
      bits: 512,
    }],
    ["4104-bit modulus", {
      n: new Uint8Array(513).fill(0xff),
      e: Uint8Array.of(3),
      bits: 4104,
    }],
  ];
  for (const [name, key] of keys) {
    assertEquals(
      await verifyAll("sha1", key, data, signature),
      everyBackend(false),
      name,
    );
    assertEquals(wasmBackend.rsaPublic!(key, signature), null, name);
    assertEquals(bigintBackend.rsaPublic!(key, signature), null, name);
  }
});
