/**
 * The sending address of a message (RFC 4870 section 3.3, domainkeys.md
 * 1.3): the `Sender:` mailbox if there is one, else the `From:` mailbox; the
 * first mailbox of a list; comments and quoting removed.
 *
 * @module
 */

import { fieldValue, type HeaderFields } from "./header.ts";
import { err, ok, type Result } from "../result.ts";

/** A mailbox address split at its last `@`. */
export interface Address {
  /** The local part, unquoted. */
  local: string;
  /** The domain as written (not lowercased). */
  domain: string;
  /** Which header gave it. */
  header: "from" | "sender";
}

/** Removes RFC 5322 comments, keeping quoted strings intact. */
function stripComments(text: string): string {
  let out = "";
  let depth = 0;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === "\\" && i + 1 < text.length) {
      if (depth === 0) out += ch + text[i + 1];
      i++;
      continue;
    }
    if (quoted) {
      if (ch === '"') quoted = false;
      out += ch;
    } else if (ch === "(") {
      depth++;
    } else if (ch === ")" && depth > 0) {
      depth--;
    } else if (depth === 0) {
      if (ch === '"') quoted = true;
      out += ch;
    }
  }
  return out;
}

/** The first mailbox of an address list (split at `,` outside quotes and `<>`). */
function firstMailbox(text: string): string {
  let quoted = false;
  let angle = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === "\\") {
      i++;
    } else if (ch === '"') {
      quoted = !quoted;
    } else if (!quoted && ch === "<") {
      angle = true;
    } else if (!quoted && ch === ">") {
      angle = false;
    } else if (!quoted && !angle && ch === ",") {
      const head = text.slice(0, i);
      if (head.trim() !== "") return head;
    }
  }
  return text;
}

/** Parses one mailbox's text into local part and domain; null when no `@domain`. */
export function parseMailbox(
  text: string,
): { local: string; domain: string } | null {
  let spec = stripComments(text);
  const lt = spec.indexOf("<");
  if (lt >= 0) {
    const gt = spec.indexOf(">", lt);
    spec = spec.slice(lt + 1, gt < 0 ? spec.length : gt);
  } else {
    // A group "name: a@b, c@d;" : take what follows the display name.
    const colon = spec.indexOf(":");
    if (colon >= 0 && !spec.slice(0, colon).includes("@")) {
      spec = spec.slice(colon + 1).replace(/;\s*$/, "");
    }
  }
  spec = firstMailbox(spec).trim();
  if (spec.startsWith("@") && spec.includes(":")) {
    spec = spec.slice(spec.indexOf(":") + 1); // obsolete source route
  }
  const at = spec.lastIndexOf("@");
  if (at < 0) return null;
  const local = spec.slice(0, at).trim().replace(/^"(.*)"$/s, "$1")
    .replace(/\\(.)/g, "$1");
  const domain = spec.slice(at + 1).trim().replace(/^\[|\]$/g, "");
  if (domain === "" || /[\s@<>,;"]/.test(domain)) return null;
  return { local, domain };
}

/**
 * Finds the sending address among header fields. Returns an error string for
 * more than one `From:` or `Sender:`, no `From:` at all, or a mailbox without
 * `@domain`.
 */
export function sendingAddress(fields: HeaderFields): Result<Address, string> {
  const from = fields.indexOf("from");
  const sender = fields.indexOf("sender");
  if (from < 0) return err("no From: header");
  if (fields.indexOf("from", from + 1) >= 0) {
    return err("more than one From: header");
  }
  if (sender >= 0 && fields.indexOf("sender", sender + 1) >= 0) {
    return err("more than one Sender: header");
  }
  const header = sender >= 0 ? "sender" : "from";
  const field = fields.at(sender >= 0 ? sender : from)!;
  const mailbox = parseMailbox(fieldValue(field));
  if (mailbox === null) {
    return err(
      `no address with @domain in the ${
        header === "from" ? "From" : "Sender"
      }: header`,
    );
  }
  return ok({ ...mailbox, header });
}
