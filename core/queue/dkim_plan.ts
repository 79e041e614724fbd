/**
 * DKIM's part of queue mode's plan (dkim.md 6.1–6.3): whether DKIM is
 * active, and what it does with the message (sign, verify, or neither), read
 * from qmail-dkim's environment alone. A pure function, as `plan.ts`; the
 * key files, `dkimkeys` and the message are looked at later, per message.
 *
 * @module
 */

import type { EnvLookup } from "./plan.ts";
import {
  baseName,
  DKIM_ACTIVATING,
  IMPLICIT_DKIMKEY,
  QMAIL_DKIM_NAME,
} from "./dkim_env.ts";

/** What DKIM does with the message. */
export type DkimAction =
  /** Sign with `keyPath` (relative to the control directory, `%` kept). */
  | { kind: "sign"; keyPath: string }
  /** Verify; `dkimverify` holds the letters that reject ("" annotates only). */
  | { kind: "verify"; dkimverify: string }
  /** Neither (outside result fields are still removed, 6.10). */
  | { kind: "none" };

/** DKIM's plan for one run. */
export interface DkimPlan {
  /** Sign, verify or neither. */
  action: DkimAction;
  /** The control directory (absolute): key paths, dkimkeys, rcpthosts, me. */
  controlDir: string;
}

/**
 * True when DKIM is active (6.1): one of `DKIM_ACTIVATING` is set (even
 * empty), or dk runs as `qmail-dkim`. `CONTROLDIR/dkimkeys` alone activates
 * nothing.
 */
export function dkimActive(env: EnvLookup, argv0: string): boolean {
  return baseName(argv0) === QMAIL_DKIM_NAME ||
    DKIM_ACTIVATING.some((name) => env(name) !== undefined);
}

/**
 * The control directory (6.3): `CONTROLDIR` when absolute, else relative to
 * the qmail home; unset or empty, `control` there.
 */
export function controlDir(env: EnvLookup, home: string): string {
  const dir = env("CONTROLDIR") || "control";
  return dir.startsWith("/") ? dir : `${home}/${dir}`;
}

/**
 * The mode table of 6.2, first row that holds: a relay client (RELAYCLIENT
 * or AUTHINFO set) with DKIMVERIFY and RELAYCLIENT_NODKIMVERIFY gets
 * nothing; `DKIMSIGN=""` leaves DKIMVERIFY to decide; DKIMSIGN signs for a
 * relay client or local injection (TCPREMOTEIP unset) and is ignored for a
 * stranger; a relay client without DKIMVERIFY signs with DKIMKEY or the
 * default key; everything else is verified (DKIMVERIFY unset: annotated
 * only, never rejected).
 */
export function chooseDkimAction(env: EnvLookup): DkimAction {
  const relay = env("RELAYCLIENT") !== undefined ||
    env("AUTHINFO") !== undefined;
  const local = env("TCPREMOTEIP") === undefined;
  const dkimsign = env("DKIMSIGN");
  const dkimverify = env("DKIMVERIFY");
  const verify: DkimAction = { kind: "verify", dkimverify: dkimverify ?? "" };
  if (
    relay && dkimverify !== undefined &&
    env("RELAYCLIENT_NODKIMVERIFY") !== undefined
  ) {
    return { kind: "none" };
  }
  if (dkimsign === "") {
    return dkimverify !== undefined ? verify : { kind: "none" };
  }
  if (dkimsign !== undefined) {
    return relay || local ? { kind: "sign", keyPath: dkimsign } : verify;
  }
  if (relay && dkimverify === undefined) {
    return { kind: "sign", keyPath: env("DKIMKEY") || IMPLICIT_DKIMKEY };
  }
  return verify;
}

/** DKIM's plan, or null when DKIM is not active (a DomainKeys-only run). */
export function planDkim(
  env: EnvLookup,
  argv0: string,
  home: string,
): DkimPlan | null {
  if (!dkimActive(env, argv0)) return null;
  return { action: chooseDkimAction(env), controlDir: controlDir(env, home) };
}
