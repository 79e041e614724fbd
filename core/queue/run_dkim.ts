/**
 * Queue mode when DKIM is active (dkim.md 6.11): one process in place of
 * qmail-dk → qmail-dkim → qmail-queue. Each scheme has chosen its mode
 * (`plan.ts`, `dkim_plan.ts`); then fd 0 is spooled once while both
 * verifiers read the message as received and the signers read it as it
 * will be handed on (without the result fields of 6.10, `cleaned_feed.ts`);
 * DomainKeys signs first, then DKIM main, then DKIM extra; `DKVERIFY`
 * rejects first, then `DKIMVERIFY`; else one handoff with, top to bottom,
 * `Authentication-Results`, `DKIM-Status`, `DomainKey-Status`, the extra
 * and main `DKIM-Signature`, `DomainKey-Signature`, and the cleaned message.
 * Loaded only when DKIM is active, so a DomainKeys-only host never loads it.
 *
 * @module
 */

import {
  DKIM_REFUSAL,
  dkimConfigRefusal,
  dkimVerifyRefusal,
  QUEUE_EXIT,
  type QueueRefusal,
  VERIFY_CONFIG_REFUSAL,
} from "../status.ts";
import { refuse } from "./channel.ts";
import { CleanedFeed, withoutRanges } from "./cleaned_feed.ts";
import { deliver, type QueueIo } from "./deliver.ts";
import { dkSigned, dkVerified } from "./dk_outcome.ts";
import { dkKeyChoice } from "./dk_key.ts";
import { readDkimKey } from "./dkim_key.ts";
import type { DkimPlan } from "./dkim_plan.ts";
import { excludedNames, signSettings } from "./dkim_options.ts";
import {
  type DkimKeys,
  matchDkimKeys,
  MAX_DKIMKEYS,
  parseDkimKeys,
} from "./dkimkeys.ts";
import { receivesMailFor } from "./rcpthosts.ts";
import { readControlFile } from "./regular_file.ts";
import { isOutsideResultField } from "./result_fields.ts";
import { authservIdFor } from "./authserv_id.ts";
import { resultFields } from "./auth_results.ts";
import { prepareHandoff } from "./handoff.ts";
import type { EnvLookup, QueuePlan } from "./plan.ts";
import {
  type ChunkSink,
  fillSpool,
  openSpool,
  readSpool,
  tempDir,
} from "./spool.ts";
import { lazySchemeModules } from "./scheme_modules.ts";
import { LineEndSniffer } from "../message/line_end.ts";
import type { VerifyResult } from "../dk/verify.ts";
import type { HeaderInfo } from "../message/splitter.ts";
import { minKeyBitsFromEnv } from "../crypto/key_policy.ts";
import type { CryptoBackend } from "../crypto/backend.ts";
import { memoResolver } from "../dns/memo_resolver.ts";
import { resolverFromOptions } from "../dns/select.ts";
import { loadBackend } from "../crypto/load.ts";
import { wasmBackend } from "../crypto/wasm.ts";
import type { Resolver } from "../dns/resolver.ts";
import {
  defaultSignedNames,
  DkimSigner,
  identityTag,
  parseSigningKeyPem,
  signingDomain,
} from "../dkim/sign.ts";
import { DkimVerifier } from "../dkim/verify.ts";
import { isHostName } from "../dkim/domain_name.ts";
import { startsWithWhitespace } from "../message/header.ts";

/** What DKIM signing decided once the header section was known. */
type DkimSigning =
  /** Signers to finish, main first. */
  | { kind: "sign"; signers: DkimSigner[] }
  /** No key for this message: it goes on unsigned. */
  | { kind: "unsigned" }
  /** The message's own fault (no usable From): permanent. */
  | { kind: "refuse"; refusal: QueueRefusal }
  /** A configuration error: temporary. */
  | { kind: "config"; what: string };

/**
 * Runs queue mode with DKIM active; resolves to the exit code. Every failure
 * of dk's own is temporary; only a message without a usable From (when
 * signing) and a letter listed in uppercase are permanent (6.13).
 */
export async function runWithDkim(
  io: QueueIo,
  plan: QueuePlan,
  dkim: DkimPlan,
): Promise<number> {
  const env = io.env;
  const modules = io.modules ?? lazySchemeModules;
  const dkAction = plan.action;
  const authservId = authservIdFor(env, dkim.controlDir);
  if (authservId === null) {
    return refuse(dkimConfigRefusal("no usable authserv-id"), env);
  }
  const verifying = dkAction.kind === "verify" ||
    dkim.action.kind === "verify";

  // What both verifiers share: one resolver (one lookup per name, 3.2) and
  // one crypto backend. Signing needs neither (WebCrypto signs and hashes).
  const refuseSetup = (what: string) =>
    refuse(
      dkAction.kind === "verify"
        ? VERIFY_CONFIG_REFUSAL
        : dkimConfigRefusal(what),
      env,
    );
  let resolver: Resolver | null = null;
  let backend: CryptoBackend | null = null;
  let minKeyBits: number | undefined;
  if (verifying) {
    // Linked here, not taken from DomainKeys' modules: a DKIM-only run must
    // not load DomainKeys' code for them.
    const loaded = await loadBackend(env("DK_CRYPTO"), { wasm: wasmBackend });
    if (!loaded.ok) return refuseSetup("DK_CRYPTO is not a crypto backend");
    backend = loaded.value;
    const found = resolverFromOptions({
      env: {
        DK_DNS: env("DK_DNS"),
        DK_DNS_TIMEOUT: env("DK_DNS_TIMEOUT"),
        DK_ZONE: env("DK_ZONE"),
      },
    });
    if (!found.ok) return refuseSetup("DNS settings unusable");
    resolver = memoResolver(found.value);
    const bits = minKeyBitsFromEnv(env("DK_MIN_KEY_BITS"));
    if (typeof bits === "string") {
      return refuseSetup("DK_MIN_KEY_BITS unusable");
    }
    minKeyBits = bits;
  }

  const sinks: ChunkSink[] = [];
  const sniffer = new LineEndSniffer();
  sinks.push(sniffer);

  // Verification reads the message as received (6.11 step 2).
  let dkVerifier: { finish(): Promise<VerifyResult> } | null = null;
  if (dkAction.kind === "verify") {
    const { DkVerifier } = await modules.verify();
    const verifier = new DkVerifier({
      resolver: resolver!,
      backend: backend!,
      minKeyBits,
    });
    dkVerifier = verifier;
    sinks.push(verifier);
  }
  let dkimVerifier: DkimVerifier | null = null;
  if (dkim.action.kind === "verify") {
    const selectorData = env("SELECTOR_DATA");
    dkimVerifier = new DkimVerifier({
      resolver: selectorData !== undefined
        ? selectorDataResolver(selectorData)
        : resolver!,
      backend: backend!,
      now: () => Math.floor(Date.now() / 1000),
      minKeyBits,
      acceptSha1: env("DK_DKIM_SHA1") === "accept",
      honorLength: env("HONOR_BODYLENGTHTAG") !== undefined,
      unsignedFrom: env("UNSIGNED_FROM") !== undefined,
    });
    sinks.push(dkimVerifier);
  }

  // Signing reads the message as it will be handed on (6.11 steps 3–4).
  const dkSign = dkAction.kind === "sign"
    ? { code: await modules.sign(), dksign: dkAction.dksign }
    : null;
  const dkSigner = dkSign ? new dkSign.code.DkSigner({ canon: "nofws" }) : null;
  let dkimSigning: DkimSigning = { kind: "unsigned" };
  const dkimAction = dkim.action;
  const feed = new CleanedFeed((info) => {
    const signers: ChunkSink[] = dkSigner ? [dkSigner] : [];
    if (dkimAction.kind === "sign") {
      dkimSigning = chooseDkimSigners(info, dkimAction.keyPath, {
        env,
        controlDir: dkim.controlDir,
      });
      if (dkimSigning.kind === "sign") signers.push(...dkimSigning.signers);
    }
    return {
      drop: (field) => isOutsideResultField(field, authservId),
      sinks: signers,
    };
  });
  sinks.push(feed);

  const spool = openSpool(tempDir(env("TMPDIR")));
  const filled = await fillSpool(io.stdin, spool, {
    update(chunk) {
      for (const sink of sinks) sink.update(chunk);
    },
  });
  if (!filled.ok) return filled.error;
  feed.end();
  const lineEnd = sniffer.lineEnd;

  // Everything that waits on other threads (DNS answers, WebCrypto's RSA
  // and Ed25519) is started first; the handoff is made ready meanwhile
  // (Deno's process code takes milliseconds to load, see handoff.ts).
  const signing = dkimSigning as DkimSigning;
  const dkimFields = signing.kind === "sign"
    ? signing.signers.map((signer) => signer.sign("\n"))
    : [];
  const dkStep = dkSign && dkSigner && !feed.overflow
    ? dkSign.code.finishSigning(
      dkSigner,
      dkKeyChoice(dkSign.dksign, dkSign.code.parsePrivateKeyPem),
      { lineEnd, meanwhile: prepareHandoff },
    )
    : null;
  const verdicts = Promise.all([
    dkVerifier?.finish() ?? null,
    dkimVerifier?.finish() ?? null,
  ]);
  prepareHandoff();
  const [dkResult, dkimResult] = await verdicts;

  // Signing: DomainKeys first, then DKIM main, then DKIM extra (6.11 step 4).
  let dkSignature = "";
  if (dkSign && feed.overflow) return QUEUE_EXIT.outOfMemory;
  if (dkStep) {
    const field = dkSigned(await dkStep, env);
    if (typeof field === "number") return field;
    dkSignature = field;
  }
  if (signing.kind === "refuse") return refuse(signing.refusal, env);
  if (signing.kind === "config") {
    return refuse(dkimConfigRefusal(signing.what), env);
  }
  const dkimSignatures: string[] = [];
  for (const field of await Promise.all(dkimFields)) {
    if (!field.ok) {
      return refuse(dkimConfigRefusal("the signing key cannot sign"), env);
    }
    dkimSignatures.unshift(field.value);
  }

  // Rejection: DKVERIFY first, then DKIMVERIFY (6.11 step 5).
  let dkStatus = "";
  if (dkAction.kind === "verify" && dkResult) {
    const field = dkVerified(dkResult, dkAction.dkverify, lineEnd, env);
    if (typeof field === "number") return field;
    dkStatus = field;
  }
  if (dkimAction.kind === "verify" && dkimResult) {
    const refusal = dkimVerifyRefusal(
      dkimResult.letter,
      dkimAction.dkimverify,
    );
    if (refusal) return refuse(refusal, env);
  }

  const header = [
    dkimResult
      ? resultFields(authservId, dkimResult, dkResult, "\n", {
        honorLength: env("HONOR_BODYLENGTHTAG") !== undefined,
      })
      : "",
    dkStatus,
    ...dkimSignatures,
    dkSignature,
  ].join("");
  return await deliver(io, plan, {
    header,
    spool,
    body: withoutRanges(readSpool(spool), feed.dropped),
  });
}

/** What choosing the DKIM signers needs besides the message. */
interface SignerContext {
  env: EnvLookup;
  controlDir: string;
}

/**
 * The DKIM signers for a message whose header section is `info` (6.4–6.6):
 * the From domain, the `dkimkeys` line, the main key, the extra key, each
 * with its options. Reads the key files, `dkimkeys` and the recipient lists.
 */
function chooseDkimSigners(
  info: HeaderInfo,
  keyPath: string,
  ctx: SignerContext,
): DkimSigning {
  if (info.overflow || startsWithWhitespace(info.fields)) {
    return { kind: "unsigned" };
  }
  const found = signingDomain(info.fields);
  if (typeof found !== "string") {
    return found.noFrom
      ? { kind: "refuse", refusal: DKIM_REFUSAL.noFrom }
      : { kind: "unsigned" };
  }
  if (!isHostName(found)) return { kind: "unsigned" };
  const domain = found;

  // The variables as this message sees them: a dkimkeys line's edits win.
  let main: string | null = keyPath;
  let edits = new Map<string, string | undefined>();
  if (ctx.env("NODKIMKEYS") === undefined) {
    const keys = readDkimKeys(`${ctx.controlDir}/dkimkeys`);
    if (keys === "unreadable") {
      return { kind: "config", what: "dkimkeys cannot be read" };
    }
    const line = keys ? matchDkimKeys(keys, domain) : null;
    if (line) {
      if (line.domain === "*") {
        const served = receivesMailFor(ctx.controlDir, domain);
        if (!served.ok) {
          return { kind: "config", what: "rcpthosts cannot be read" };
        }
        if (served.value) {
          main = line.keyPath;
          edits = line.edits;
        } else main = null;
      } else {
        main = line.keyPath;
        edits = line.edits;
      }
    }
  }
  const view = (name: string) =>
    edits.has(name) ? edits.get(name) : ctx.env(name);

  const fields = info.fields;
  const excluded = excludedNames(ctx.env("EXCLUDE_DKIMSIGN"));
  const headers = defaultSignedNames(fields).filter((n) => !excluded.has(n));
  const signers: DkimSigner[] = [];
  const wanted: [string | null, string | undefined][] = [
    [main, view("DKIMSIGNOPTIONS")],
    [view("DKIMSIGNEXTRA") || null, view("DKIMSIGNOPTIONSEXTRA")],
  ];
  for (const [template, options] of wanted) {
    if (template === null) continue;
    const settings = signSettings({
      options,
      identity: view("DKIMIDENTITY"),
      expire: view("DKIMEXPIRE"),
    });
    if (!settings.ok) return { kind: "config", what: settings.error };
    const read = readDkimKey(template, domain, ctx.controlDir);
    if (read.kind === "config") return read;
    if (read.kind === "none") continue;
    const key = parseSigningKeyPem(read.text);
    if (!key.ok) {
      return { kind: "config", what: "signing key file unusable" };
    }
    const s = settings.value;
    signers.push(
      new DkimSigner({
        key: key.value,
        selector: read.selector,
        domain,
        canon: s.canon,
        headers,
        identity: identityFor(s.identity, domain),
        time: Math.floor(Date.now() / 1000),
        expireSeconds: s.expireSeconds,
        query: s.query,
      }),
    );
  }
  return signers.length ? { kind: "sign", signers } : { kind: "unsigned" };
}

/** `i=` when its domain is `d=` or below it; else none (6.3: ignored). */
function identityFor(
  identity: string | undefined,
  domain: string,
): string | undefined {
  return identity !== undefined && identityTag(identity, domain) !== null
    ? identity
    : undefined;
}

/** `dkimkeys` parsed; null when there is none; "unreadable" otherwise. */
function readDkimKeys(path: string): DkimKeys | null | "unreadable" {
  const text = readControlFile(path, MAX_DKIMKEYS);
  if (text === "missing") return null;
  if (text === "unreadable") return "unreadable";
  return parseDkimKeys(text);
}

/** `SELECTOR_DATA` (6.3): the same TXT text for every name (tests). */
function selectorDataResolver(text: string): Resolver {
  const record = [Uint8Array.from(text, (c) => c.charCodeAt(0) & 0xff)];
  return { txt: () => Promise.resolve({ kind: "records", records: [record] }) };
}
