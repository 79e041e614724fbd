/**
 * RSA keys in the forms DomainKeys tools meet: PEM PKCS#1 private keys (what
 * dknewkey's openssl wrote), PEM PKCS#8 private keys, SubjectPublicKeyInfo
 * public keys (the DER inside `p=`, or PEM `BEGIN PUBLIC KEY`), and PKCS#1
 * public keys. Parsing is total: bad input gives an error string, never a
 * throw.
 *
 * @module
 */

import type { RsaPublicKey } from "./backend.ts";
import { decodeBase64Strict } from "./base64.ts";
import {
  concat,
  encodeElement,
  encodeUnsigned,
  readChildren,
  readSequence,
  TAG,
  unsignedInteger,
} from "./der.ts";
import { err, ok, type Result } from "../result.ts";

export { decodeBase64Strict, encodeBase64 } from "./base64.ts";

/** An RSA public key with its SubjectPublicKeyInfo DER. */
export interface PublicKeyInfo extends RsaPublicKey {
  /** DER SubjectPublicKeyInfo (what `p=` carries in base64). */
  spki: Uint8Array;
}

/** An RSA private key ready for `node:crypto`, with its public half. */
export interface PrivateKeyInfo {
  /** DER PKCS#8 PrivateKeyInfo. */
  pkcs8: Uint8Array;
  /** The public half. */
  publicKey: PublicKeyInfo;
}

/** DER of OID 1.2.840.113549.1.1.1 (rsaEncryption). */
const RSA_OID = new Uint8Array([
  0x2a,
  0x86,
  0x48,
  0x86,
  0xf7,
  0x0d,
  0x01,
  0x01,
  0x01,
]);

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Number of significant bits of a big-endian magnitude. */
export function bitLength(magnitude: Uint8Array): number {
  let i = 0;
  while (i < magnitude.length && magnitude[i] === 0) i++;
  if (i === magnitude.length) return 0;
  return (magnitude.length - i - 1) * 8 + (32 - Math.clz32(magnitude[i]));
}

function isRsaAlgorithm(content: Uint8Array): boolean {
  const parts = readChildren(content);
  if (parts === null || parts.length < 1 || parts.length > 2) return false;
  if (parts[0].tag !== TAG.oid || !sameBytes(parts[0].content, RSA_OID)) {
    return false;
  }
  return parts.length === 1 ||
    (parts[1].tag === TAG.null && parts[1].content.length === 0);
}

/** The AlgorithmIdentifier for rsaEncryption with NULL parameters. */
function rsaAlgorithm(): Uint8Array {
  return encodeElement(
    TAG.sequence,
    concat(
      encodeElement(TAG.oid, RSA_OID),
      encodeElement(TAG.null, new Uint8Array()),
    ),
  );
}

/** Builds the SubjectPublicKeyInfo DER for an RSA key (n, e). */
export function encodeSpki(
  n: Uint8Array,
  e: Uint8Array,
): Uint8Array<ArrayBuffer> {
  const rsaPublicKey = encodeElement(
    TAG.sequence,
    concat(encodeUnsigned(n), encodeUnsigned(e)),
  );
  const bitString = encodeElement(
    TAG.bitString,
    concat(new Uint8Array([0]), rsaPublicKey),
  );
  return encodeElement(TAG.sequence, concat(rsaAlgorithm(), bitString));
}

/**
 * Parses a PKCS#1 RSAPublicKey DER (SEQUENCE of n, e). Returns an error for
 * anything else.
 */
export function parseRsaPublicKey(
  der: Uint8Array,
): Result<PublicKeyInfo, string> {
  const key = readRsaPublicKey(der);
  if (key === null) return err("not an RSA public key");
  return ok({ ...key, spki: encodeSpki(key.n, key.e) });
}

/** n, e and the size of a PKCS#1 RSAPublicKey DER, or null. */
function readRsaPublicKey(der: Uint8Array): RsaPublicKey | null {
  const parts = readSequence(der);
  if (parts === null || parts.length !== 2) return null;
  const n = unsignedInteger(parts[0]);
  const e = unsignedInteger(parts[1]);
  if (n === null || e === null) return null;
  return { n, e, bits: bitLength(n) };
}

/**
 * Parses a DER SubjectPublicKeyInfo holding an RSA key. Returns an error
 * string when the DER is malformed or the key is not RSA.
 */
export function parseSpki(der: Uint8Array): Result<PublicKeyInfo, string> {
  const parts = readSequence(der);
  if (parts === null || parts.length !== 2) {
    return err("not a SubjectPublicKeyInfo");
  }
  if (parts[0].tag !== TAG.sequence || !isRsaAlgorithm(parts[0].content)) {
    return err("not an RSA key");
  }
  const bits = parts[1];
  if (bits.tag !== TAG.bitString || bits.content[0] !== 0) {
    return err("not a SubjectPublicKeyInfo");
  }
  const inner = readRsaPublicKey(bits.content.subarray(1));
  if (inner === null) return err("not an RSA public key");
  return ok({ ...inner, spki: der.slice() });
}

/** One PEM block: its label and decoded DER. */
interface PemBlock {
  label: string;
  der: Uint8Array;
}

/** Finds the first PEM block in `text`. Returns an error string if none parses. */
export function parsePem(text: string): Result<PemBlock, string> {
  const begin = /-----BEGIN ([A-Z0-9 ]+)-----/.exec(text);
  if (!begin) return err("no PEM block found");
  const label = begin[1];
  const endMarker = `-----END ${label}-----`;
  const end = text.indexOf(endMarker, begin.index);
  if (end < 0) return err(`PEM block "${label}" is truncated`);
  const body = text.slice(begin.index + begin[0].length, end);
  if (/Proc-Type:|DEK-Info:/.test(body)) {
    return err("the key is encrypted with a passphrase");
  }
  const der = decodeBase64Strict(body.replace(/[\s]+/g, ""));
  if (der === null) return err(`PEM block "${label}" is not valid base64`);
  return ok({ label, der });
}

function pkcs8FromPkcs1(pkcs1: Uint8Array): Uint8Array {
  return encodeElement(
    TAG.sequence,
    concat(
      encodeElement(TAG.integer, new Uint8Array([0])),
      rsaAlgorithm(),
      encodeElement(TAG.octetString, pkcs1),
    ),
  );
}

function publicFromPkcs1Private(
  pkcs1: Uint8Array,
): Result<PublicKeyInfo, string> {
  const parts = readSequence(pkcs1);
  if (parts === null || parts.length < 9) return err("not an RSA private key");
  const version = unsignedInteger(parts[0]);
  const n = unsignedInteger(parts[1]);
  const e = unsignedInteger(parts[2]);
  if (version === null || n === null || e === null) {
    return err("not an RSA private key");
  }
  for (const p of parts.slice(3, 9)) {
    if (unsignedInteger(p) === null) return err("not an RSA private key");
  }
  return ok({ n, e, bits: bitLength(n), spki: encodeSpki(n, e) });
}

/**
 * Parses a PEM RSA private key: `BEGIN RSA PRIVATE KEY` (PKCS#1) or
 * `BEGIN PRIVATE KEY` (PKCS#8 with rsaEncryption). Returns an error string
 * for other key types, encrypted keys, truncated or corrupt PEM.
 */
export function parsePrivateKeyPem(
  text: string,
): Result<PrivateKeyInfo, string> {
  const pem = parsePem(text);
  if (!pem.ok) return pem;
  const { label, der } = pem.value;
  if (label === "RSA PRIVATE KEY") {
    const pub = publicFromPkcs1Private(der);
    if (!pub.ok) return pub;
    return ok({ pkcs8: pkcs8FromPkcs1(der), publicKey: pub.value });
  }
  if (label === "PRIVATE KEY") {
    const parts = readSequence(der);
    if (parts === null || parts.length < 3) return err("not a PKCS#8 key");
    if (parts[1].tag !== TAG.sequence || !isRsaAlgorithm(parts[1].content)) {
      return err("not an RSA key");
    }
    if (parts[2].tag !== TAG.octetString) return err("not a PKCS#8 key");
    const pub = publicFromPkcs1Private(parts[2].content);
    if (!pub.ok) return pub;
    return ok({ pkcs8: der.slice(), publicKey: pub.value });
  }
  if (label === "ENCRYPTED PRIVATE KEY") {
    return err("the key is encrypted with a passphrase");
  }
  return err(`not an RSA private key (PEM "${label}")`);
}

/**
 * Parses a PEM public key: `BEGIN PUBLIC KEY` (SubjectPublicKeyInfo) or
 * `BEGIN RSA PUBLIC KEY` (PKCS#1). A private key PEM gives its public half.
 * Returns an error string otherwise.
 */
export function parsePublicKeyPem(text: string): Result<PublicKeyInfo, string> {
  const pem = parsePem(text);
  if (!pem.ok) return pem;
  const { label, der } = pem.value;
  if (label === "PUBLIC KEY") return parseSpki(der);
  if (label === "RSA PUBLIC KEY") return parseRsaPublicKey(der);
  const priv = parsePrivateKeyPem(text);
  if (priv.ok) return ok(priv.value.publicKey);
  return err(priv.error);
}
