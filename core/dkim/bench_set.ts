/**
 * What the DKIM figures of `dk bench` (dkim.md 5.6, `core/cli/bench.ts`)
 * and the peer benchmark (`scripts/bench_dkim.ts`, Mail::DKIM) measure: a
 * 4 KB message signed `c=relaxed/relaxed` once with RSA-2048
 * (`rsa-sha256`) and once with Ed25519 (`ed25519-sha256`), both key records
 * in an in-memory zone (the key record "cached"), and functions that verify
 * or sign them end to end the way `dk verify` and `dk sign --scheme dkim`
 * do.
 *
 * @module
 */

import type { CryptoBackend } from "../crypto/backend.ts";
import { encodeBase64 } from "../crypto/base64.ts";
import {
  ed25519Generate,
  ed25519Sign,
  ed25519Verify,
} from "../crypto/ed25519.ts";
import { DkimSigner, type DkimSigningKey } from "./sign.ts";
import { DkimVerifier } from "./verify.ts";
import { parsePrivateKeyPem } from "../crypto/keys.ts";
import { memoryResolver } from "../dns/memory_resolver.ts";
import type { Resolver } from "../dns/resolver.ts";

/** The two DKIM key kinds measured, as the JSON names them. */
export const DKIM_KINDS = ["rsa2048", "ed25519"] as const;
/** One of {@link DKIM_KINDS}. */
export type DkimKind = typeof DKIM_KINDS[number];

/** `d=` of the bench signatures; `s=` is the kind (`rsa2048._domainkey…`). */
export const BENCH_DOMAIN = "example.com";
/** `t=` of the bench signatures, and the verifier's clock. */
export const BENCH_TIME = 1764072000;

/** Everything the DKIM rows need, made once per run. */
export interface DkimBench {
  /** The signed messages (header field on top of the 4 KB message). */
  signed: Record<DkimKind, Uint8Array>;
  /** The key records (TXT text) by owner name. */
  records: Record<string, string>;
  /** A resolver answering from {@link DkimBench.records}. */
  resolver: Resolver;
  /** Verifies one signed message end to end; resolves to its letter. */
  verify: (kind: DkimKind, backend: CryptoBackend) => Promise<string>;
  /** Signs the unsigned message end to end; resolves to true when it did. */
  sign: (kind: DkimKind) => Promise<boolean>;
  /** One Ed25519 verification of a 32-byte digest (WebCrypto). */
  ed25519Verify: () => Promise<boolean>;
}

/**
 * A 4 KB message of `size` octets or a little under: a few header fields
 * and lines of 70 letters drawn from `noise`, CRLF line ends.
 */
export function benchMessage(noise: Uint8Array, size: number): Uint8Array {
  const text = Array.from(noise, (b) => String.fromCharCode(97 + (b % 26)));
  const lines: string[] = [];
  for (let at = 0; at < size - 200; at += 72) {
    // A space every 9 letters: relaxed canonicalization has words to see.
    const line = text.slice(at % text.length, at % text.length + 70);
    for (let i = 8; i < line.length; i += 9) line[i] = " ";
    lines.push(line.join(""));
  }
  return new TextEncoder().encode(
    "From: Bench <bench@example.com>\r\nTo: someone@example.net\r\n" +
      "Subject: dk bench\r\nDate: Wed, 25 Nov 2026 12:00:00 +0000\r\n" +
      "Message-ID: <bench@example.com>\r\n\r\n" + lines.join("\r\n") + "\r\n",
  );
}

/**
 * Signs `message` with an RSA key (`rsaPem`, PEM PKCS#1 or PKCS#8; 2048
 * bits for the figures to mean what they say) and a new Ed25519 key,
 * checks both verify to A through `backend`, and returns the bench set; or
 * a message saying why not.
 */
export async function dkimBench(
  rsaPem: string,
  message: Uint8Array,
  backend: CryptoBackend,
): Promise<DkimBench | string> {
  const rsa = parsePrivateKeyPem(rsaPem);
  if (!rsa.ok) return `Cannot benchmark DKIM: ${rsa.error}`;
  const ed = await ed25519Generate();
  const keys: Record<DkimKind, DkimSigningKey> = {
    rsa2048: { type: "rsa", rsa: rsa.value },
    ed25519: { type: "ed25519", ed25519: ed.key },
  };
  const records: Record<string, string> = {
    [`rsa2048._domainkey.${BENCH_DOMAIN}`]: `v=DKIM1; k=rsa; p=${
      encodeBase64(rsa.value.publicKey.spki)
    }`,
    [`ed25519._domainkey.${BENCH_DOMAIN}`]: `v=DKIM1; k=ed25519; p=${
      encodeBase64(ed.publicKey)
    }`,
  };
  const resolver = memoryResolver(
    Object.fromEntries(
      Object.entries(records).map(([name, text]) => [name, [[text]]]),
    ),
  );
  const signField = async (kind: DkimKind) => {
    const signer = new DkimSigner({
      key: keys[kind],
      selector: kind,
      time: BENCH_TIME,
    });
    signer.update(message);
    return await signer.sign();
  };
  const signed = {} as Record<DkimKind, Uint8Array>;
  for (const kind of DKIM_KINDS) {
    const field = await signField(kind);
    if (!field.ok) {
      return `Cannot benchmark DKIM ${kind}: ${field.error.reason}`;
    }
    const head = new TextEncoder().encode(field.value);
    signed[kind] = new Uint8Array(head.length + message.length);
    signed[kind].set(head);
    signed[kind].set(message, head.length);
  }
  const verify = async (kind: DkimKind, backend: CryptoBackend) => {
    const verifier = new DkimVerifier({
      resolver,
      backend,
      now: () => BENCH_TIME,
    });
    verifier.update(signed[kind]);
    return (await verifier.finish()).letter;
  };
  for (const kind of DKIM_KINDS) {
    const letter = await verify(kind, backend);
    if (letter !== "A") {
      return `Cannot benchmark DKIM ${kind}: status ${letter} for a good message`;
    }
  }
  const digest = crypto.getRandomValues(new Uint8Array(32));
  const edSignature = await ed25519Sign(ed.key, digest);
  const edVerify = () => ed25519Verify(ed.publicKey, edSignature, digest);
  if (!(await edVerify())) {
    return "Cannot benchmark Ed25519: WebCrypto refused a good signature";
  }
  return {
    signed,
    records,
    resolver,
    verify,
    sign: async (kind) => (await signField(kind)).ok,
    ed25519Verify: edVerify,
  };
}
