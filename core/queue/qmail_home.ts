/**
 * Where qmail lives unless `DK_QMAIL_HOME` says otherwise: the one literal,
 * shared by DomainKeys' plan (`plan.ts`) and qmail-dkim's names
 * (`dkim_env.ts`) without one importing the other.
 *
 * @module
 */

/** The qmail home qmail-dk changes to before running the queue program. */
export const QMAIL_HOME = "/var/qmail";
