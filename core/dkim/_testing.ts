/**
 * Test fixtures shared by DKIM's unit tests and the queue's: a message
 * signed by dk's own DKIM signer.
 *
 * @module
 */

import { DkimSigner, parseSigningKeyPem } from "./sign.ts";

/** The signing time the fixtures use (`t=`). */
export const FIXTURE_TIME = 1764072000;

/**
 * `message` (LF line ends) signed with the PEM key `pem`, selector `sel`,
 * at {@link FIXTURE_TIME}, with `extra` signer options; throws when the key
 * or the message cannot be signed (a broken fixture).
 */
export async function signedFixture(
  pem: string,
  message: string,
  extra: Record<string, unknown> = {},
): Promise<string> {
  const key = parseSigningKeyPem(pem);
  if (!key.ok) throw new Error(`fixture key: ${key.error}`);
  const signer = new DkimSigner({
    key: key.value,
    selector: "sel",
    time: FIXTURE_TIME,
    ...extra,
  });
  signer.update(new TextEncoder().encode(message));
  const field = await signer.sign("\n");
  if (!field.ok) throw new Error(`fixture: ${field.error.reason}`);
  return field.value + message;
}
