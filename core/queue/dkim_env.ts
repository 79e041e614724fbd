/**
 * The names of qmail-dkim's world (dkim.md 6.1, 6.3): the program name that
 * makes DKIM active, the variables that switch it on, the ones dk reads and
 * the ones it ignores. Constants and two small pure helpers; `plan.ts` keeps
 * DomainKeys' names, `dkim_plan.ts` reads them into DKIM's plan (and the
 * control directory).
 *
 * @module
 */

/** The name under which dk runs queue mode with DKIM active (6.1, 6.15). */
export const QMAIL_DKIM_NAME = "qmail-dkim";

/** The key qmail-dkim signs relay mail with when neither `DKIMSIGN` nor `DKIMKEY` is set (6.2), relative to `CONTROLDIR`. */
export const IMPLICIT_DKIMKEY = "domainkeys/%/default";

/** Any of these set (even empty) makes DKIM active (6.1). */
export const DKIM_ACTIVATING: readonly string[] = [
  "DKIMSIGN",
  "DKIMKEY",
  "DKIMSIGNEXTRA",
  "DKIMVERIFY",
  "DKIMQUEUE",
];

/**
 * qmail-dkim's own variables that dk reads (6.3): a rule setting one of
 * them is a DKIM rule for lint (6.14).
 */
export const DKIM_VARIABLES: readonly string[] = [
  ...DKIM_ACTIVATING,
  "DKIMSIGNOPTIONS",
  "DKIMSIGNOPTIONSEXTRA",
  "DKIMIDENTITY",
  "DKIMEXPIRE",
  "EXCLUDE_DKIMSIGN",
  "RELAYCLIENT_NODKIMVERIFY",
  "NODKIMKEYS",
];

/**
 * Variables of qmail-dkim that dk ignores (6.3), each with the plain words
 * lint says about it. The first group belongs to qmail-dkim alone; the
 * names in {@link DKIM_IGNORED_GENERIC} may serve other programs too.
 */
export const DKIM_IGNORED: Readonly<Record<string, string>> = {
  DKIMPRACTICE: "ADSP and SSP are historic, and dk checks neither",
  SIGN_PRACTICE: "ADSP and SSP are historic, and dk checks neither",
  SIGNATUREDOMAINS:
    "dk reads neither it nor the control file signaturedomains (domain lists are out of scope)",
  NOSIGNATUREDOMAINS:
    "dk reads neither it nor the control file nosignaturedomains (domain lists are out of scope)",
  QREGEX:
    "dk matches dkimkeys lines by exact domain or *, never by regular expression",
  DKIMSIGN_HEADER:
    "dk always writes DKIM-Signature (a renamed field verifies nowhere)",
  BOUNCEDOMAIN: "dk signs only for the From domain",
  VERBOSE: "dk's queue mode says nothing but its exit code",
  DEATH: "the deadline stays 86400 seconds (set DK_QUEUE_TIMEOUT to change it)",
};

/** Ignored names that other programs may read: linted only on DKIM rules. */
export const DKIM_IGNORED_GENERIC: readonly string[] = [
  "BOUNCEDOMAIN",
  "VERBOSE",
  "DEATH",
];

/** The file name part of a path (after the last `/`). */
export function baseName(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}

/**
 * A key path as qmail-dkim reads it (6.3): absolute as written, else
 * relative to `controlDir`. An empty path stays empty.
 */
export function inControlDir(controlDir: string, path: string): string {
  if (path === "" || path.startsWith("/")) return path;
  return `${controlDir.replace(/\/+$/, "")}/${path}`;
}
