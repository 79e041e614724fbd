/**
 * This host's authserv-id for `dk verify --add-header`, found as queue mode
 * finds it (dkim.md 6.9). Loaded only with `--add-header`, so other runs of
 * `dk verify` never load queue mode's modules.
 *
 * @module
 */

import { noAuthservId } from "./add_header.ts";
import { authservIdFor } from "../queue/authserv_id.ts";
import { controlDir } from "../queue/dkim_plan.ts";
import { QMAIL_HOME } from "../queue/qmail_home.ts";
import { err, ok, type Result } from "../result.ts";

/**
 * `DK_AUTHSERV_ID`, the first line of `CONTROLDIR/me` (`CONTROLDIR` as
 * queue mode resolves it, under `DK_QMAIL_HOME` or /var/qmail), the host
 * name; else the error that says where it was looked for.
 */
export function ourAuthservId(): Result<string, string> {
  const env = (name: string) => Deno.env.get(name);
  const dir = controlDir(env, env("DK_QMAIL_HOME") || QMAIL_HOME);
  const id = authservIdFor(env, dir);
  return id === null ? err(noAuthservId(dir)) : ok(id);
}
