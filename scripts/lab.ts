/**
 * What the scripts set up to exercise dk as a mail host runs it, with
 * nothing from outside: a throwaway RSA key and a one-record DNS server on
 * 127.0.0.1 answering from memory (dk's own wire code). `--prepare`'s
 * self-test and `scripts/bench-queue` use them; the tests have their own
 * peers (dnsmasq) in `tests/helpers/`.
 *
 * @module
 */

import { answerTxtQuery } from "../core/dns/wire.ts";
import { encodeBase64 } from "../core/crypto/base64.ts";

/**
 * A throwaway RSA-2048 key: PKCS#8 PEM, the DomainKeys selector record's
 * value and the DKIM one.
 */
export async function throwawayKey(): Promise<
  { pem: string; record: string; dkimRecord: string }
> {
  const pair = await crypto.subtle.generateKey(
    {
      name: "RSASSA-PKCS1-v1_5",
      modulusLength: 2048,
      publicExponent: new Uint8Array([1, 0, 1]),
      hash: "SHA-1",
    },
    true,
    ["sign", "verify"],
  );
  const pkcs8 = encodeBase64(
    new Uint8Array(await crypto.subtle.exportKey("pkcs8", pair.privateKey)),
  );
  const spki = encodeBase64(
    new Uint8Array(await crypto.subtle.exportKey("spki", pair.publicKey)),
  );
  const lines = pkcs8.match(/.{1,64}/g)!.join("\n");
  return {
    pem: `-----BEGIN PRIVATE KEY-----\n${lines}\n-----END PRIVATE KEY-----\n`,
    record: `k=rsa; p=${spki}`,
    dkimRecord: `v=DKIM1; k=rsa; p=${spki}`,
  };
}

/** A throwaway Ed25519 key: PKCS#8 PEM and its DKIM selector record. */
export async function ed25519Key(): Promise<{ pem: string; record: string }> {
  const pair = await crypto.subtle.generateKey({ name: "Ed25519" }, true, [
    "sign",
    "verify",
  ]) as CryptoKeyPair;
  const pkcs8 = encodeBase64(
    new Uint8Array(await crypto.subtle.exportKey("pkcs8", pair.privateKey)),
  );
  const raw = encodeBase64(
    new Uint8Array(await crypto.subtle.exportKey("raw", pair.publicKey)),
  );
  return {
    pem: `-----BEGIN PRIVATE KEY-----\n${pkcs8}\n-----END PRIVATE KEY-----\n`,
    record: `v=DKIM1; k=ed25519; p=${raw}`,
  };
}

/** Character-strings of at most 255 octets, as a TXT record holds them. */
export function split(value: string): string[] {
  return value.match(/.{1,255}/g) ?? [""];
}

/**
 * A one-record DNS server on 127.0.0.1 (UDP), answering from `zone` until
 * closed; its address as `127.0.0.1:PORT`.
 */
export function serveDns(zone: Map<string, string[][]>) {
  const socket = Deno.listenDatagram({
    transport: "udp",
    hostname: "127.0.0.1",
    port: 0,
  });
  const serving = (async () => {
    try {
      for await (const [packet, from] of socket) {
        const answer = answerTxtQuery(packet, zone);
        if (answer) await socket.send(answer, from);
      }
    } catch { /* closed */ }
  })();
  return {
    address: `127.0.0.1:${(socket.addr as Deno.NetAddr).port}`,
    async close() {
      socket.close();
      await serving;
    },
  };
}
