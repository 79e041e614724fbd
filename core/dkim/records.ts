/**
 * The selector record a DKIM domain publishes (dkim.md 5.3–5.4), beside
 * DomainKeys' in `core/dk/records.ts`: the value for each scheme
 * (`v=DKIM1; k=rsa; h=sha256; p=…`, `v=DKIM1; k=ed25519; p=…`, or the
 * DomainKeys form both schemes read), and the public key it carries, read
 * from the files `dk keygen`, `dk dns records` and `dk dns check` take.
 * Rendering as zone lines is `core/dns/txt_render.ts`'s job. Pure, except
 * that an Ed25519 public half comes from WebCrypto (async).
 *
 * @module
 */

import type { DkimSigningKey } from "./sign.ts";
import { decodeBase64Strict, encodeBase64 } from "../crypto/base64.ts";
import {
  ed25519FromSpki,
  ed25519PublicKey,
  parseEd25519PrivatePem,
} from "../crypto/ed25519.ts";
import {
  parsePem,
  parsePublicKeyPem,
  parseSpki,
  type PublicKeyInfo,
} from "../crypto/keys.ts";
import { err, ok, type Result } from "../result.ts";

/** The name of a selector's key record: `SELECTOR._domainkey.DOMAIN` (RFC 6376 3.6.2.1). */
export function keyName(selector: string, domain: string): string {
  return `${selector}._domainkey.${domain}`;
}

/** Which scheme's record (`--scheme`). */
export type RecordScheme = "dk" | "dkim" | "both";

/** The schemes, in the order usage messages list them. */
export const RECORD_SCHEMES: readonly RecordScheme[] = ["dk", "dkim", "both"];

/** A public key to publish or compare: RSA, or a raw 32-byte Ed25519 key. */
export type PublishedKey =
  | { type: "rsa"; rsa: PublicKeyInfo }
  | { type: "ed25519"; ed25519: Uint8Array };

/**
 * The selector record's value for `scheme` (dkim.md 5.3): `dk` and `both`
 * the DomainKeys form `k=rsa; p=…` (DKIM reads it too, 3.1); `dkim`
 * `v=DKIM1; k=rsa; h=sha256; p=…` or `v=DKIM1; k=ed25519; p=…` (base64 of
 * the raw 32 bytes). `testing` adds `t=y` before `p=`. Returns an error for
 * an Ed25519 key with `dk` or `both` (DomainKeys has no Ed25519).
 */
export function selectorRecordValue(
  scheme: RecordScheme,
  key: PublishedKey,
  testing: boolean,
): Result<string, string> {
  const t = testing ? "t=y; " : "";
  if (key.type === "ed25519") {
    if (scheme !== "dkim") {
      return err(
        `An Ed25519 key serves DKIM only: use --scheme dkim (not ${scheme})`,
      );
    }
    return ok(`v=DKIM1; k=ed25519; ${t}p=${encodeBase64(key.ed25519)}`);
  }
  const p = encodeBase64(key.rsa.spki);
  if (scheme === "dkim") return ok(`v=DKIM1; k=rsa; h=sha256; ${t}p=${p}`);
  return ok(testing ? `k=rsa; t=y; p=${p}` : `k=rsa; p=${p}`);
}

/**
 * The public half of a signing key (Ed25519 through WebCrypto). Returns an
 * error when WebCrypto refuses a damaged Ed25519 key.
 */
export async function publicHalf(
  key: DkimSigningKey,
): Promise<Result<PublishedKey, string>> {
  if (key.type === "rsa") return ok({ type: "rsa", rsa: key.rsa.publicKey });
  try {
    return ok({
      type: "ed25519",
      ed25519: await ed25519PublicKey(key.ed25519),
    });
  } catch {
    return err("a damaged Ed25519 key (the crypto library refuses it)");
  }
}

/**
 * Reads a public key file (`--public`, dkim.md 5.4): PEM `PUBLIC KEY`
 * (SubjectPublicKeyInfo, RSA or Ed25519), PEM `RSA PUBLIC KEY`, an RSA or
 * Ed25519 private key PEM (its public half), or a file holding only the
 * base64 of a raw 32-byte Ed25519 key (whitespace around it allowed).
 * Returns a one-line error for anything else.
 */
export async function readPublicKeyText(
  text: string,
): Promise<Result<PublishedKey, string>> {
  if (!text.includes("-----BEGIN")) {
    const raw = decodeBase64Strict(text.replace(/^\s+|\s+$/g, ""));
    if (raw !== null && raw.length === 32) {
      return ok({ type: "ed25519", ed25519: raw });
    }
    return err(
      "neither a PEM key nor the base64 of a raw 32-byte Ed25519 key",
    );
  }
  const pem = parsePem(text);
  if (!pem.ok) return pem;
  if (pem.value.label === "PUBLIC KEY") {
    const ed = ed25519FromSpki(pem.value.der);
    if (ed !== null) return ok({ type: "ed25519", ed25519: ed });
    const rsa = parseSpki(pem.value.der);
    return rsa.ok
      ? ok({ type: "rsa", rsa: rsa.value })
      : err(`${rsa.error} (RSA or Ed25519 wanted)`);
  }
  const ed = parseEd25519PrivatePem(text);
  if (ed.ok) return await publicHalf({ type: "ed25519", ed25519: ed.value });
  const rsa = parsePublicKeyPem(text);
  return rsa.ok ? ok({ type: "rsa", rsa: rsa.value }) : rsa;
}

/** True when two public keys are the same key (type and bytes). */
export function sameKey(a: PublishedKey, b: PublishedKey): boolean {
  const same = (x: Uint8Array, y: Uint8Array) =>
    x.length === y.length && x.every((v, i) => v === y[i]);
  if (a.type === "ed25519") {
    return b.type === "ed25519" && same(a.ed25519, b.ed25519);
  }
  if (b.type === "ed25519") return false;
  return same(a.rsa.n, b.rsa.n) && same(a.rsa.e, b.rsa.e);
}
