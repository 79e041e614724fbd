/**
 * The error contract of dk, in one place: DomainKeys status letters A–L with
 * their `DomainKey-Status` header words, `Authentication-Results` words
 * ({@link DK_AUTH_RESULT}) and plain-words meanings, the exit
 * codes of every mode, and what queue mode does with a letter when signing
 * ({@link signAction}) and verifying ({@link verifyAction}). Code elsewhere
 * names codes from these tables instead of writing numbers; the one place
 * outside is the sh launcher `scripts/dk`, whose few exits are named in
 * comments there and compared with this table by `tests/launcher_test.ts`.
 * The README shows the same tables (`tests/readme_test.ts`).
 *
 * Sources: `domainkeys.md` 1.11 (letters), 2.3 (DKVERIFY), 2.10 (queue exit
 * codes), 3 (qmail-queue codes); `cli.md` (command exit codes); `dkim.md`
 * 3.5 (the DKIM letters, a separate table at the end: the two schemes share
 * characters, not meanings, and nothing converts one into the other).
 *
 * @module
 */

/** A DomainKeys status letter (libdomainkeys DK_STAT_*, 0 → A … 11 → L). */
export type Letter =
  | "A"
  | "B"
  | "C"
  | "D"
  | "E"
  | "F"
  | "G"
  | "H"
  | "I"
  | "J"
  | "K"
  | "L";

/** One row of the status table. */
export interface StatusInfo {
  /** The letter itself. */
  letter: Letter;
  /** libdomainkeys' constant name. */
  libName: string;
  /** The word(s) written after `DomainKey-Status: `. */
  word: string;
  /** What the letter means, in plain words. */
  meaning: string;
  /** True when the letter describes trouble on this host's side (never permanent). */
  temporary: boolean;
}

/** The status letters, in order (`domainkeys.md` 1.11). */
export const STATUS: Readonly<Record<Letter, StatusInfo>> = {
  A: {
    letter: "A",
    libName: "DK_STAT_OK",
    word: "good",
    meaning: "signature verifies",
    temporary: false,
  },
  B: {
    letter: "B",
    libName: "DK_STAT_BADSIG",
    word: "bad",
    meaning: "signature does not verify",
    temporary: false,
  },
  C: {
    letter: "C",
    libName: "DK_STAT_NOSIG",
    word: "no signature",
    meaning: "no signature",
    temporary: false,
  },
  D: {
    letter: "D",
    libName: "DK_STAT_NOKEY",
    word: "no key",
    meaning: "no key published",
    temporary: false,
  },
  E: {
    letter: "E",
    libName: "DK_STAT_BADKEY",
    word: "bad key",
    meaning: "key record unusable",
    temporary: false,
  },
  F: {
    letter: "F",
    libName: "DK_STAT_CANTVRFY",
    word: "no key",
    meaning: "cannot verify now (DNS trouble)",
    temporary: true,
  },
  G: {
    letter: "G",
    libName: "DK_STAT_SYNTAX",
    word: "bad format",
    meaning: "bad signature header or sender",
    temporary: false,
  },
  H: {
    letter: "H",
    libName: "DK_STAT_NORESOURCE",
    word: "no resources",
    meaning: "out of resources",
    temporary: true,
  },
  I: {
    letter: "I",
    libName: "DK_STAT_ARGS",
    word: "bad format",
    meaning: "bad arguments (never produced by dk)",
    temporary: true,
  },
  J: {
    letter: "J",
    libName: "DK_STAT_REVOKED",
    word: "revoked",
    meaning: "key revoked",
    temporary: false,
  },
  K: {
    letter: "K",
    libName: "DK_STAT_INTERNAL",
    word: "bad format",
    meaning: "internal error",
    temporary: true,
  },
  L: {
    letter: "L",
    libName: "DK_STAT_GRANULARITY",
    word: "bad sender",
    meaning: "key not for this sender (g=)",
    temporary: false,
  },
};

/**
 * The result words of `Authentication-Results` (RFC 8601 sections 2.7.1
 * and 2.7.2): the words the `dkim=` and `domainkeys=` methods share.
 */
export type AuthResultWord =
  | "pass"
  | "fail"
  | "policy"
  | "neutral"
  | "temperror"
  | "permerror"
  | "none";

/**
 * The `domainkeys=` word of `Authentication-Results` for each DomainKeys
 * letter (`dkim.md` 6.9, RFC 8601 section 2.7.2): A pass, B fail, C none,
 * G neutral, L policy; D, E and J (no key, bad key, revoked) permerror;
 * F, H, I and K (this side's trouble) temperror.
 */
export const DK_AUTH_RESULT: Readonly<Record<Letter, AuthResultWord>> = {
  A: "pass",
  B: "fail",
  C: "none",
  D: "permerror",
  E: "permerror",
  F: "temperror",
  G: "neutral",
  H: "temperror",
  I: "temperror",
  J: "permerror",
  K: "temperror",
  L: "policy",
};

/** All letters A–L in order. */
export const LETTERS: readonly Letter[] = Object.keys(STATUS) as Letter[];

/** True when `s` is one of the letters A–L (uppercase only). */
export function isLetter(s: string): s is Letter {
  return s.length === 1 && s >= "A" && s <= "L";
}

/**
 * A DomainKeys outcome: a letter and the plain-words reason. Errors in dk's
 * core are values of this shape, never thrown strings.
 */
export interface Status {
  /** The status letter. */
  letter: Letter;
  /** Plain words: what failed and why (for `--json`, `--explain`). */
  reason: string;
}

/** Builds a {@link Status}; the reason defaults to the letter's meaning. */
export function status(letter: Letter, reason?: string): Status {
  return { letter, reason: reason ?? STATUS[letter].meaning };
}

/** The `DomainKey-Status` header line's value for a letter (no padding). */
export function headerWord(code: Letter): string {
  return STATUS[code].word;
}

// ---------------------------------------------------------------------------
// qmail-queue exit codes (domainkeys.md 2.10 and 3)

/** Exit codes of `dk queue`, named as qmail-queue(8) names them. */
export const QUEUE_EXIT = {
  /** Queued by the downstream program. */
  ok: 0,
  /** An envelope address of 1003 octets or more (qmail-queue's own 11). */
  addressTooLong: 11,
  /** DKVERIFY rejected with an uppercase letter and no custom-error channel. */
  rejectPermanent: 13,
  /** Permanent refusal: signing found no usable From/Sender. */
  permanentRefusal: 31,
  /** Out of memory. */
  outOfMemory: 51,
  /** Overall deadline passed. */
  timeout: 52,
  /** Write error (temporary file, pipe). */
  writeError: 53,
  /** Read error on fd 0 (the message) or fd 1 (the envelope: cut short, not a pipe). */
  readError: 54,
  /** Configuration (key file) cannot be read or used. */
  configError: 55,
  /** Downstream queue program crashed, or waiting for it failed. */
  queueCrashed: 57,
  /** Cannot change to the qmail home. */
  homeError: 61,
  /** Temporary file cannot be created. */
  tempFileError: 63,
  /** Internal bug (status K, a caught exception, DKQUEUE is dk itself). */
  internalBug: 81,
  /** Ended by SIGTERM, SIGHUP or SIGINT (the queue program killed): qmail's "internal bug". */
  signalled: 81,
  /** Custom error written on the channel, or a temporary rejection. */
  customError: 82,
  /** The envelope is malformed (qmail-queue's own 91, temporary). */
  envelopeFormat: 91,
  /** The downstream queue program cannot be run. */
  execFailed: 120,
} as const;

/** Exit codes of the commands other than `queue` and `rules compile` (cli.md). */
export const CLI_EXIT = {
  /** Everything good (verify: every message A; dns check: no problem). */
  ok: 0,
  /** Something is not good (a message not A, a problem found, lint findings). */
  notGood: 1,
  /** Usage error, or a file that cannot be opened, read or used. */
  usage: 2,
  /** Temporary failure (DNS timeout, no resources) and nothing permanently bad. */
  tempFail: 75,
} as const;

/** How `dk queue` treats a verify result under DKVERIFY (domainkeys.md 2.3). */
export type VerifyAction =
  | { kind: "accept" }
  | { kind: "reject"; permanent: boolean; text: string }
  | { kind: "internal" };

/**
 * Decides what queue mode does with a verification letter, given DKVERIFY.
 * `testing` is the key record's `t=y`: B and L are then never rejected.
 * Characters outside A–L/a–l in DKVERIFY are ignored.
 */
export function verifyAction(
  code: Letter,
  dkverify: string,
  testing = false,
): VerifyAction {
  if (code === "K") return { kind: "internal" };
  if (testing && (code === "B" || code === "L")) return { kind: "accept" };
  const upper = dkverify.includes(code);
  const lower = dkverify.includes(code.toLowerCase());
  if (!upper && !lower) return { kind: "accept" };
  const permanent = upper && !lower && !STATUS[code].temporary;
  return {
    kind: "reject",
    permanent,
    text: `DomainKeys verify status: ${headerWord(code)}`,
  };
}

/**
 * The line written on the custom-error channel (no newline); `code` is the
 * enhanced status code, by default DomainKeys' 5.3.0 / 4.3.0.
 */
export function customErrorLine(
  permanent: boolean,
  text: string,
  code?: string,
): string {
  return permanent
    ? `D${text} (#${code ?? "5.3.0"})`
    : `Z${text} (#${code ?? "4.3.0"})`;
}

// ---------------------------------------------------------------------------
// Queue-mode refusals with a custom-error text (domainkeys.md 2.10)

/** A refusal in queue mode: a custom-error text and the plain exit code. */
export interface QueueRefusal {
  /** True for a permanent refusal (`D…`), false for temporary (`Z…`). */
  permanent: boolean;
  /** The text, without the D/Z prefix and the `(#…)` suffix. */
  text: string;
  /** The exit code when there is no custom-error channel. */
  plainExit: number;
  /** The enhanced status code (RFC 3463) when not 5.3.0 / 4.3.0. */
  code?: string;
}

/** The refusals of signing (domainkeys.md 2.10; texts after qmail-dk 0.6). */
export const SIGN_REFUSAL = {
  /** No usable From/Sender address to sign for: the message's fault. */
  noSender: {
    permanent: true,
    text: "DomainKeys cannot sign: no usable From or Sender address",
    plainExit: QUEUE_EXIT.permanentRefusal,
  },
  /** Key missing (DKSIGN without `%`), unreadable or not RSA; bad selector. */
  keyTrouble: {
    permanent: false,
    text: "DomainKeys signing key unusable",
    plainExit: QUEUE_EXIT.configError,
  },
} as const satisfies Record<string, QueueRefusal>;

/** What queue mode does when signing stops with a letter. */
export type SignAction =
  | { kind: "exit"; code: number }
  | { kind: "refuse"; refusal: QueueRefusal };

/**
 * What queue mode does when signing cannot go on (domainkeys.md 2.10): K is
 * an internal bug (81), H is out of memory (51), G (no usable From/Sender)
 * is the message's fault and refused permanently, and every other letter is
 * trouble with the key, refused temporarily.
 */
export function signAction(letter: Letter): SignAction {
  if (letter === "K") return { kind: "exit", code: QUEUE_EXIT.internalBug };
  if (letter === "H") return { kind: "exit", code: QUEUE_EXIT.outOfMemory };
  return {
    kind: "refuse",
    refusal: letter === "G" ? SIGN_REFUSAL.noSender : SIGN_REFUSAL.keyTrouble,
  };
}

/** The refusal for a configuration error of verification (e.g. DK_DNS). */
export const VERIFY_CONFIG_REFUSAL: QueueRefusal = {
  permanent: false,
  text: "DomainKeys verifier configuration unusable",
  plainExit: QUEUE_EXIT.configError,
};

/**
 * The refusal for a DKVERIFY rejection (from {@link verifyAction}): with no
 * channel, 13 when permanent and 82 when temporary.
 */
export function verifyRefusal(permanent: boolean, text: string): QueueRefusal {
  return {
    permanent,
    text,
    plainExit: permanent ? QUEUE_EXIT.rejectPermanent : QUEUE_EXIT.customError,
  };
}

/**
 * Exit codes of `dk rules compile`, as tcprules(1) uses them where it has
 * one (`domainkeys.md` 4.5); `check` and `lint` use {@link CLI_EXIT}.
 */
export const RULES_EXIT = {
  /** The cdb was written and renamed into place. */
  ok: 0,
  /** Usage error (missing or extra arguments, unknown option). */
  usage: 2,
  /** A line tcprules refuses (tcprules: "unable to parse this line"). */
  badLine: 100,
  /** Reading the source, writing the temporary file or renaming it failed. */
  ioError: 111,
} as const;

// ---------------------------------------------------------------------------
// DKIM letters (dkim.md 3.5): a table of its own. The characters are
// qmail-dkim's; they share characters with the DomainKeys letters above but
// not meanings, and nothing converts one into the other.

/** A DKIM status letter (qmail-dkim's `'A'` + libdkim status). */
export type DkimLetter =
  | "A"
  | "D"
  | "E"
  | "H"
  | "I"
  | "J"
  | "K"
  | "L"
  | "N"
  | "O"
  | "P"
  | "Q"
  | "R"
  | "S"
  | "U"
  | "V"
  | "W"
  | "X"
  | "Y";

/** The `Authentication-Results` `dkim=` words (RFC 8601 section 2.7.1). */
export type DkimResultWord = AuthResultWord;

/** One row of the DKIM letter table. */
export interface DkimStatusInfo {
  /** The letter itself. */
  letter: DkimLetter;
  /** libdkim's status name. */
  libName: string;
  /** When the letter is given, in plain words. */
  meaning: string;
  /** The `dkim=` word of `Authentication-Results`. */
  result: DkimResultWord;
  /** The `DKIM-Status` text (dk's own words, but `good`). */
  text: string;
  /** True when the letter describes trouble that a later try may not have. */
  temporary: boolean;
}

function _dkim(
  letter: DkimLetter,
  libName: string,
  meaning: string,
  result: DkimResultWord,
  text: string,
  temporary = false,
): DkimStatusInfo {
  return { letter, libName, meaning, result, text, temporary };
}

/** The DKIM letters dk produces (`dkim.md` 3.5), in order. */
export const DKIM_STATUS: Readonly<Record<DkimLetter, DkimStatusInfo>> = {
  A: _dkim("A", "SUCCESS", "signature verifies", "pass", "good"),
  D: _dkim(
    "D",
    "NEUTRAL",
    "rsa-sha1 is no longer accepted (RFC 8301)",
    "policy",
    "signature not accepted",
  ),
  E: _dkim(
    "E",
    "SUCCESS_BUT_EXTRA",
    "signature holds for part of the body only (l=)",
    "policy",
    "signature good for part of the body only",
  ),
  H: _dkim(
    "H",
    "BAD_SYNTAX",
    "signature field unusable",
    "neutral",
    "message or signature field unusable",
  ),
  I: _dkim(
    "I",
    "SIGNATURE_BAD",
    "signature does not verify",
    "fail",
    "signature does not verify",
  ),
  J: _dkim(
    "J",
    "SIGNATURE_BAD_BUT_TESTING",
    "signature does not verify (testing key)",
    "fail",
    "signature does not verify (testing key)",
  ),
  K: _dkim(
    "K",
    "SIGNATURE_EXPIRED",
    "signature expired (x=)",
    "policy",
    "signature expired",
  ),
  L: _dkim(
    "L",
    "SELECTOR_INVALID",
    "key record unusable",
    "permerror",
    "key record unusable",
  ),
  N: _dkim(
    "N",
    "SELECTOR_KEY_REVOKED",
    "key revoked (empty p=)",
    "permerror",
    "key revoked",
  ),
  O: _dkim(
    "O",
    "SELECTOR_DOMAIN_NAME_TOO_LONG",
    "key name too long",
    "permerror",
    "key name too long",
  ),
  P: _dkim(
    "P",
    "SELECTOR_DNS_TEMP_FAILURE",
    "cannot fetch the key now (DNS trouble)",
    "temperror",
    "temporary failure, try later",
    true,
  ),
  Q: _dkim(
    "Q",
    "SELECTOR_DNS_PERM_FAILURE",
    "no key published",
    "permerror",
    "no key published",
  ),
  R: _dkim(
    "R",
    "SELECTOR_PUBLIC_KEY_INVALID",
    "public key unusable or too weak",
    "permerror",
    "public key unusable",
  ),
  S: _dkim("S", "NO_SIGNATURES", "no signature", "none", "no signature"),
  U: _dkim(
    "U",
    "BODY_HASH_MISMATCH",
    "body hash differs (body changed)",
    "fail",
    "body changed",
  ),
  V: _dkim(
    "V",
    "SELECTOR_ALGORITHM_MISMATCH",
    "key does not allow this algorithm",
    "permerror",
    "key does not allow this algorithm",
  ),
  W: _dkim(
    "W",
    "STAT_INCOMPAT",
    "unsupported DKIM version (v=)",
    "neutral",
    "unsupported DKIM version",
  ),
  X: _dkim(
    "X",
    "UNSIGNED_FROM",
    "From field not signed",
    "policy",
    "From field not signed",
  ),
  Y: _dkim(
    "Y",
    "BAD_IDENTITY",
    "signing identity not allowed (i= or t=s)",
    "neutral",
    "signing identity not allowed",
  ),
};

/** A DKIM outcome: a letter of the DKIM table and the plain-words reason. */
export interface DkimStatus {
  /** The DKIM status letter. */
  letter: DkimLetter;
  /** Plain words: what failed and why. */
  reason: string;
}

/** Builds a {@link DkimStatus}; the reason defaults to the letter's meaning. */
export function dkimStatus(
  letter: DkimLetter,
  reason?: string,
): DkimStatus {
  return { letter, reason: reason ?? DKIM_STATUS[letter].meaning };
}

// ---------------------------------------------------------------------------
// DKIM in queue mode (dkim.md 6.7, 6.12)

/** The refusals of DKIM in queue mode that have a fixed text (dkim.md 6.12). */
export const DKIM_REFUSAL = {
  /** DKIM signing found no usable From address: the message's fault. */
  noFrom: {
    permanent: true,
    text: "DKIM: no usable From address to sign for",
    plainExit: QUEUE_EXIT.permanentRefusal,
  },
} as const satisfies Record<string, QueueRefusal>;

/**
 * The refusal for a DKIM configuration error (dkim.md 6.12): temporary, 55
 * without a channel; `what` names the problem in plain words.
 */
export function dkimConfigRefusal(what: string): QueueRefusal {
  return {
    permanent: false,
    text: `DKIM: ${what}`,
    plainExit: QUEUE_EXIT.configError,
  };
}

/**
 * Decides what queue mode does with a DKIM message letter under DKIMVERIFY
 * (dkim.md 6.7): only `A`–`Y`/`a`–`y` count; the letter listed in uppercase
 * rejects permanently, in lowercase (or in both cases) temporarily; an
 * uppercase P counts as lowercase (DNS trouble is this side's problem), J
 * never rejects. Returns null to accept, else the refusal (5.7.20 / 4.7.0;
 * without a channel 13 and 82).
 */
export function dkimVerifyRefusal(
  letter: DkimLetter,
  dkimverify: string,
): QueueRefusal | null {
  if (letter === "J") return null;
  const upper = dkimverify.includes(letter);
  const lower = dkimverify.includes(letter.toLowerCase());
  if (!upper && !lower) return null;
  const permanent = upper && !lower && !DKIM_STATUS[letter].temporary;
  return {
    permanent,
    text: `DKIM verify status: ${DKIM_STATUS[letter].text}`,
    plainExit: permanent ? QUEUE_EXIT.rejectPermanent : QUEUE_EXIT.customError,
    code: permanent ? "5.7.20" : "4.7.0",
  };
}
