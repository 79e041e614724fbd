/**
 * DER SubjectPublicKeyInfo (RFC 5280, section 4.1; RFC 8017, appendix A.1.1)
 * for an RSA public key given as n and e: what WebCrypto's `importKey("spki")`
 * takes.
 *
 * @module
 */

import type { RsaPublicKey } from "./backend.ts";

/** AlgorithmIdentifier { rsaEncryption (1.2.840.113549.1.1.1), NULL }. */
const RSA_ALGORITHM = Uint8Array.from([
  0x30,
  0x0d,
  0x06,
  0x09,
  0x2a,
  0x86,
  0x48,
  0x86,
  0xf7,
  0x0d,
  0x01,
  0x01,
  0x01,
  0x05,
  0x00,
]);

/**
 * The SPKI DER encoding of `key`. Never fails: leading zero bytes of n and e
 * are dropped, and an all-zero value encodes as INTEGER 0.
 */
export function spkiFromRsaKey(
  key: RsaPublicKey,
): Uint8Array<ArrayBuffer> {
  const rsaPublicKey = _der(0x30, _concat(_integer(key.n), _integer(key.e)));
  const bitString = _der(0x03, _concat(Uint8Array.of(0), rsaPublicKey));
  return _der(0x30, _concat(RSA_ALGORITHM, bitString));
}

function _integer(bytes: Uint8Array): Uint8Array {
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start++;
  let body = bytes.subarray(start);
  if (body.length === 0) body = Uint8Array.of(0);
  if (body[0] & 0x80) body = _concat(Uint8Array.of(0), body);
  return _der(0x02, body);
}

function _der(tag: number, body: Uint8Array): Uint8Array<ArrayBuffer> {
  let length: number[];
  if (body.length < 0x80) {
    length = [body.length];
  } else {
    length = [];
    for (let n = body.length; n > 0; n = Math.floor(n / 256)) {
      length.unshift(n & 0xff);
    }
    length.unshift(0x80 | length.length);
  }
  return _concat(Uint8Array.of(tag, ...length), body);
}

function _concat(...parts: Uint8Array[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(parts.reduce((sum, p) => sum + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
