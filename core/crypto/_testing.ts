/**
 * Helpers for the crypto tests: the three backends, keys from JWK, and
 * `openssl` run at test time as an independent signer.
 *
 * @module
 */

import type { CryptoBackend, HashName, RsaPublicKey } from "./backend.ts";
import { bigintBackend } from "./bigint.ts";
import { wasmBackend } from "./wasm.ts";
import { webcryptoBackend } from "./webcrypto.ts";
import { parsePrivateKeyPem, type PrivateKeyInfo } from "./keys.ts";
import { generateKeyPairSync } from "node:crypto";

/** Every backend, for tests that must see them agree. */
export const ALL_BACKENDS: readonly CryptoBackend[] = [
  wasmBackend,
  bigintBackend,
  webcryptoBackend,
];

/** Decodes base64url (JWK fields). */
export function fromBase64Url(text: string): Uint8Array {
  const b64 = text.replace(/-/g, "+").replace(/_/g, "/");
  return Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
}

/** The seam's key from a JWK's n and e. */
export function keyFromJwk(jwk: { n?: string; e?: string }): RsaPublicKey {
  const n = fromBase64Url(jwk.n ?? "");
  const e = fromBase64Url(jwk.e ?? "");
  return { n, e, bits: 8 * n.length - (Math.clz32(n[0]) - 24) };
}

/** Runs openssl; resolves to stdout, rejects with stderr on failure. */
export async function openssl(
  args: string[],
  stdin?: Uint8Array,
): Promise<Uint8Array> {
  const child = new Deno.Command("openssl", {
    args,
    stdin: stdin ? "piped" : "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  if (stdin) {
    const writer = child.stdin.getWriter();
    await writer.write(stdin);
    await writer.close();
  }
  const { code, stdout, stderr } = await child.output();
  if (code !== 0) {
    throw new Error(
      `openssl ${args.join(" ")} failed: ${new TextDecoder().decode(stderr)}`,
    );
  }
  return stdout;
}

/** Verifies on every backend, feeding `data` in `chunk`-byte pieces. */
export async function verifyAll(
  alg: HashName,
  key: RsaPublicKey,
  data: Uint8Array,
  signature: Uint8Array,
  chunk = 1000,
): Promise<Record<string, boolean>> {
  const out: Record<string, boolean> = {};
  for (const backend of ALL_BACKENDS) {
    const verifier = backend.verifier(alg);
    for (let at = 0; at < data.length; at += chunk) {
      verifier.update(data.subarray(at, at + chunk));
    }
    out[backend.name] = await verifier.verify(key, signature);
  }
  return out;
}

/** The same answer from every backend: `{wasm: v, bigint: v, webcrypto: v}`. */
export function everyBackend(value: boolean): Record<string, boolean> {
  return Object.fromEntries(ALL_BACKENDS.map((b) => [b.name, value]));
}

/** Hex of bytes. */
export function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** A fresh RSA private key of `bits` bits, parsed as dk's signers take it. */
export function makePrivateKey(bits: number): PrivateKeyInfo {
  const { privateKey } = generateKeyPairSync("rsa", {
    modulusLength: bits,
    publicKeyEncoding: { type: "spki", format: "pem" },
    privateKeyEncoding: { type: "pkcs1", format: "pem" },
  });
  const parsed = parsePrivateKeyPem(privateKey);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.value;
}
