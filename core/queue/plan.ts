/**
 * Queue mode's plan: what `dk queue` will do with the message, read from the
 * environment alone (domainkeys.md 2.1 mode selection, 2.4 DKQUEUE, 2.5 the
 * deadline; DKIM's part in `dkim_plan.ts`, dkim.md 6.1–6.2, 6.11). A pure
 * function: the environment comes in as a lookup.
 *
 * @module
 */

import { type DkimPlan, planDkim } from "./dkim_plan.ts";
import { baseName, QMAIL_DKIM_NAME } from "./dkim_env.ts";
import { QMAIL_HOME } from "./qmail_home.ts";

/** Looks up one environment variable; undefined when it is not set. */
export type EnvLookup = (name: string) => string | undefined;

export { QMAIL_HOME };

/** The overall deadline of one run, as qmail-queue's alarm (seconds). */
export const DEFAULT_DEADLINE_SECONDS = 86400;

/** The key path used when RELAYCLIENT is set and DKSIGN and DKVERIFY are not. */
export const DEFAULT_KEY_TEMPLATE = "control/domainkeys/%/private";

/** The names under which dk runs queue mode without the `queue` argument. */
export const QUEUE_NAMES: readonly string[] = [
  "qmail-dk",
  "qmail-queue",
  QMAIL_DKIM_NAME,
];

/** What to do with the message. */
export type QueueAction =
  /** Sign with the key named by `dksign` (`%` not yet substituted). */
  | { kind: "sign"; dksign: string }
  /** Verify; `dkverify` holds the letters that reject. */
  | { kind: "verify"; dkverify: string }
  /** Hand the message on untouched. */
  | { kind: "pass" };

/** Everything queue mode takes from its environment. */
export interface QueuePlan {
  /** Sign, verify or pass. */
  action: QueueAction;
  /** The queue program to run (absolute, or relative to `home`). */
  program: string;
  /** The qmail home: working directory of the queue program. */
  home: string;
  /** The overall deadline, in seconds. */
  deadlineSeconds: number;
  /** DKIM's part; null when DKIM is not active (dkim.md 6.1). */
  dkim: DkimPlan | null;
}

/**
 * Picks sign / verify / pass as qmail-dk 0.6.beta.2 with the auth logic does
 * (domainkeys.md 2.1): RELAYCLIENT set (even empty) signs with DKSIGN, or
 * with the default key when DKSIGN and DKVERIFY are both unset; otherwise a
 * set DKVERIFY (even empty) verifies; otherwise pass. `DKSIGN=""` means "do
 * not sign" (no default): then DKVERIFY decides as if RELAYCLIENT were unset.
 * Under the name `qmail-dkim` (`argv0`), DomainKeys runs only when DKSIGN or
 * DKVERIFY is set (dkim.md 6.1): no implicit signing of relay mail.
 */
export function chooseAction(
  env: EnvLookup,
  home = QMAIL_HOME,
  argv0 = "",
): QueueAction {
  const relay = env("RELAYCLIENT") !== undefined;
  const dksign = env("DKSIGN");
  const dkverify = env("DKVERIFY");
  if (
    baseName(argv0) === QMAIL_DKIM_NAME && dksign === undefined &&
    dkverify === undefined
  ) {
    return { kind: "pass" };
  }
  if (relay && dksign !== undefined && dksign !== "") {
    return { kind: "sign", dksign };
  }
  if (relay && dksign === undefined && dkverify === undefined) {
    return { kind: "sign", dksign: `${home}/${DEFAULT_KEY_TEMPLATE}` };
  }
  if (dkverify !== undefined) return { kind: "verify", dkverify };
  return { kind: "pass" };
}

/**
 * The queue program (domainkeys.md 2.4, dkim.md 6.11): DKIMQUEUE when set
 * and non-empty (it is set only where DKIM is active); else DKQUEUE when set
 * and non-empty; else `bin/qmail-queue.orig` when invoked as `qmail-queue`,
 * else `bin/qmail-queue` (relative to the qmail home).
 */
export function queueProgram(env: EnvLookup, argv0: string): string {
  const named = env("DKIMQUEUE") || env("DKQUEUE");
  if (named) return named;
  return baseName(argv0) === "qmail-queue"
    ? "bin/qmail-queue.orig"
    : "bin/qmail-queue";
}

/**
 * The whole plan from the environment and the invoked name. `DK_QMAIL_HOME`
 * replaces `/var/qmail` (tests, unusual installs); `DK_QUEUE_TIMEOUT` (whole
 * seconds, at least 1) replaces the 86400 s deadline; unusable values are
 * ignored.
 */
export function planQueue(env: EnvLookup, argv0: string): QueuePlan {
  const home = env("DK_QMAIL_HOME") || QMAIL_HOME;
  return {
    action: chooseAction(env, home, argv0),
    program: queueProgram(env, argv0),
    home,
    deadlineSeconds: parseSeconds(env("DK_QUEUE_TIMEOUT")) ??
      DEFAULT_DEADLINE_SECONDS,
    dkim: planDkim(env, argv0, home),
  };
}

function parseSeconds(value: string | undefined): number | undefined {
  if (value === undefined || !/^[0-9]{1,9}$/.test(value)) return undefined;
  const n = Number(value);
  return n >= 1 ? n : undefined;
}
