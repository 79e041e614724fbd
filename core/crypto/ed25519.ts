/**
 * Ed25519 (RFC 8032) through the runtime's WebCrypto only, for DKIM's
 * `ed25519-sha256` (RFC 8463): verify with a raw 32-byte public key, read a
 * PEM PKCS#8 private key (`openssl genpkey -algorithm ed25519`), sign, and
 * derive the public half. No hand-written curve arithmetic.
 *
 * @module
 */

import { encodeBase64, parsePem } from "./keys.ts";
import { readChildren, readSequence, TAG } from "./der.ts";
import { err, ok, type Result } from "../result.ts";

/** DER of OID 1.3.101.112 (id-Ed25519, RFC 8410). */
const ED25519_OID = [0x2b, 0x65, 0x70];

/** An Ed25519 private key ready for WebCrypto. */
export interface Ed25519PrivateKey {
  /** DER PKCS#8 PrivateKeyInfo. */
  pkcs8: Uint8Array;
}

/**
 * True when `signature` is a valid Ed25519 signature of `data` under the
 * raw 32-byte `publicKey`; false for every bad input (wrong lengths, a key
 * WebCrypto refuses). Never throws.
 */
export async function ed25519Verify(
  publicKey: Uint8Array,
  signature: Uint8Array,
  data: Uint8Array,
): Promise<boolean> {
  if (publicKey.length !== 32 || signature.length !== 64) return false;
  try {
    const key = await _importPublic(publicKey);
    return key !== null &&
      await crypto.subtle.verify(
        "Ed25519",
        key,
        signature.slice(),
        data.slice(),
      );
  } catch {
    return false;
  }
}

/** Imported public keys by their bytes: a few, as a key record's are reused. */
const _imported = new Map<string, Promise<CryptoKey | null>>();
const _IMPORTED_MAX = 16;

function _importPublic(raw: Uint8Array): Promise<CryptoKey | null> {
  const id = String.fromCharCode(...raw);
  let key = _imported.get(id);
  if (key === undefined) {
    key = crypto.subtle.importKey(
      "raw",
      raw.slice(),
      { name: "Ed25519" },
      false,
      [
        "verify",
      ],
    ).catch(() => null);
    if (_imported.size >= _IMPORTED_MAX) {
      _imported.delete(_imported.keys().next().value!);
    }
    _imported.set(id, key);
  }
  return key;
}

/** True when DER `der` is a PKCS#8 PrivateKeyInfo for Ed25519. */
export function isEd25519Pkcs8(der: Uint8Array): boolean {
  const parts = readSequence(der);
  if (parts === null || parts.length < 3) return false;
  const alg = parts[1].tag === TAG.sequence
    ? readChildren(parts[1].content)
    : null;
  if (alg === null || alg.length !== 1 || alg[0].tag !== TAG.oid) return false;
  const oid = alg[0].content;
  return oid.length === 3 && ED25519_OID.every((b, i) => oid[i] === b) &&
    parts[2].tag === TAG.octetString;
}

/**
 * Reads a PEM `BEGIN PRIVATE KEY` holding an Ed25519 key. Returns an error
 * string for other PEM labels, other key types, encrypted or damaged keys.
 */
export function parseEd25519PrivatePem(
  text: string,
): Result<Ed25519PrivateKey, string> {
  const pem = parsePem(text);
  if (!pem.ok) return pem;
  if (pem.value.label !== "PRIVATE KEY" || !isEd25519Pkcs8(pem.value.der)) {
    return err("not an Ed25519 private key");
  }
  return ok({ pkcs8: pem.value.der });
}

/** Signs `data` with pure Ed25519. Rejects when WebCrypto refuses the key. */
export async function ed25519Sign(
  key: Ed25519PrivateKey,
  data: Uint8Array,
): Promise<Uint8Array> {
  const imported = await crypto.subtle.importKey(
    "pkcs8",
    key.pkcs8.slice(),
    { name: "Ed25519" },
    false,
    ["sign"],
  );
  return new Uint8Array(
    await crypto.subtle.sign("Ed25519", imported, data.slice()),
  );
}

/** The raw 32-byte public key of `key`. Rejects when WebCrypto refuses it. */
export async function ed25519PublicKey(
  key: Ed25519PrivateKey,
): Promise<Uint8Array> {
  const imported = await crypto.subtle.importKey(
    "pkcs8",
    key.pkcs8.slice(),
    { name: "Ed25519" },
    true,
    ["sign"],
  );
  const jwk = await crypto.subtle.exportKey("jwk", imported);
  const b64 = (jwk.x ?? "").replace(/-/g, "+").replace(/_/g, "/");
  return Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
}

/** A new Ed25519 key: the PEM PKCS#8 file text and the raw public key. */
export interface NewEd25519Key {
  /** `-----BEGIN PRIVATE KEY-----` PEM (PKCS#8), lines of 64 characters. */
  pem: string;
  /** The parsed private key. */
  key: Ed25519PrivateKey;
  /** The raw 32-byte public key (what a DKIM `p=` carries). */
  publicKey: Uint8Array;
}

/**
 * Makes a new Ed25519 key pair with WebCrypto (`generateKey`, exported as
 * PKCS#8). Rejects only when the runtime has no Ed25519.
 */
export async function ed25519Generate(): Promise<NewEd25519Key> {
  const pair = await crypto.subtle.generateKey(
    { name: "Ed25519" },
    true,
    ["sign", "verify"],
  ) as CryptoKeyPair;
  const pkcs8 = new Uint8Array(
    await crypto.subtle.exportKey("pkcs8", pair.privateKey),
  );
  const publicKey = new Uint8Array(
    await crypto.subtle.exportKey("raw", pair.publicKey),
  );
  return { pem: pemOf("PRIVATE KEY", pkcs8), key: { pkcs8 }, publicKey };
}

/** DER bytes as a PEM block with `label`, base64 in lines of 64, final newline. */
export function pemOf(label: string, der: Uint8Array): string {
  const b64 = encodeBase64(der);
  const lines = [`-----BEGIN ${label}-----`];
  for (let at = 0; at < b64.length; at += 64) {
    lines.push(b64.slice(at, at + 64));
  }
  lines.push(`-----END ${label}-----`, "");
  return lines.join("\n");
}

/**
 * The raw 32-byte key inside a DER SubjectPublicKeyInfo for Ed25519
 * (RFC 8410: 44 bytes, OID 1.3.101.112, no parameters). Returns null for
 * anything else (other key types, damaged DER, a wrong key length).
 */
export function ed25519FromSpki(der: Uint8Array): Uint8Array | null {
  const parts = readSequence(der);
  if (parts === null || parts.length !== 2) return null;
  const alg = parts[0].tag === TAG.sequence
    ? readChildren(parts[0].content)
    : null;
  if (alg === null || alg.length !== 1 || alg[0].tag !== TAG.oid) return null;
  const oid = alg[0].content;
  if (oid.length !== 3 || !ED25519_OID.every((b, i) => oid[i] === b)) {
    return null;
  }
  const bits = parts[1];
  if (
    bits.tag !== TAG.bitString || bits.content.length !== 33 ||
    bits.content[0] !== 0
  ) return null;
  return bits.content.slice(1);
}

/** The DER SubjectPublicKeyInfo (44 bytes) of a raw 32-byte Ed25519 key. */
export function ed25519Spki(raw: Uint8Array): Uint8Array {
  return Uint8Array.from([
    0x30,
    0x2a,
    0x30,
    0x05,
    0x06,
    0x03,
    ...ED25519_OID,
    0x03,
    0x21,
    0x00,
    ...raw,
  ]);
}
