import { assertEquals } from "../tests/helpers/assert.ts";
import {
  customErrorLine,
  DK_AUTH_RESULT,
  DKIM_STATUS,
  type DkimLetter,
  dkimVerifyRefusal,
  headerWord,
  type Letter,
  LETTERS,
  QUEUE_EXIT,
  SIGN_REFUSAL,
  signAction,
  verifyAction,
  verifyRefusal,
} from "./status.ts";

/** P permanent reject, T temporary reject, X internal bug (81), - accept. */
type Expected = "P" | "T" | "X" | "-";

/**
 * domainkeys.md 2.3, written out letter by letter: DKVERIFY naming the
 * letter in uppercase, in lowercase, in both cases, and the recommended
 * QmailToaster value `DEGIJKfh`.
 */
const TABLE: Record<Letter, [Expected, Expected, Expected, Expected]> = {
  A: ["P", "T", "T", "-"],
  B: ["P", "T", "T", "-"],
  C: ["P", "T", "T", "-"],
  D: ["P", "T", "T", "P"],
  E: ["P", "T", "T", "P"],
  F: ["T", "T", "T", "T"],
  G: ["P", "T", "T", "P"],
  H: ["T", "T", "T", "T"],
  I: ["T", "T", "T", "T"],
  J: ["P", "T", "T", "P"],
  K: ["X", "X", "X", "X"],
  L: ["P", "T", "T", "-"],
};

function shape(letter: Letter, dkverify: string, testing = false): Expected {
  const action = verifyAction(letter, dkverify, testing);
  if (action.kind === "accept") return "-";
  if (action.kind === "internal") return "X";
  assertEquals(
    action.text,
    `DomainKeys verify status: ${headerWord(letter)}`,
  );
  return action.permanent ? "P" : "T";
}

Deno.test("verifyAction() follows the DKVERIFY table for every letter", () => {
  assertEquals(Object.keys(TABLE), [...LETTERS]);
  for (const letter of LETTERS) {
    const lower = letter.toLowerCase();
    const got = [
      shape(letter, letter),
      shape(letter, lower),
      shape(letter, letter + lower),
      shape(letter, "DEGIJKfh"),
    ];
    assertEquals(got, TABLE[letter], `letter ${letter}`);
  }
});

Deno.test("verifyAction() accepts every letter but K when DKVERIFY is empty or names others", () => {
  for (const letter of LETTERS) {
    const others = LETTERS.filter((l) => l !== letter).join("") + "xyz19 ";
    const expected = letter === "K" ? "X" : "-";
    assertEquals(shape(letter, ""), expected, letter);
    assertEquals(shape(letter, others), expected, letter);
  }
});

Deno.test("verifyAction() never rejects B or L from a testing key (t=y)", () => {
  for (const letter of LETTERS) {
    const expected = letter === "B" || letter === "L" ? "-" : TABLE[letter][0];
    assertEquals(shape(letter, letter, true), expected, letter);
  }
});

Deno.test("verifyRefusal() exits 13 when permanent and 82 when temporary without a channel", () => {
  assertEquals(verifyRefusal(true, "x").plainExit, QUEUE_EXIT.rejectPermanent);
  assertEquals(verifyRefusal(false, "x").plainExit, QUEUE_EXIT.customError);
  assertEquals(QUEUE_EXIT.rejectPermanent, 13);
  assertEquals(QUEUE_EXIT.customError, 82);
});

Deno.test("customErrorLine() writes D…(#5.3.0) or Z…(#4.3.0) with no newline", () => {
  assertEquals(customErrorLine(true, "no"), "Dno (#5.3.0)");
  assertEquals(customErrorLine(false, "later"), "Zlater (#4.3.0)");
});

Deno.test("signAction(): K is an internal bug, H out of memory, G the sender's fault, the rest key trouble", () => {
  for (const letter of LETTERS) {
    const action = signAction(letter);
    if (letter === "K") {
      assertEquals(action, { kind: "exit", code: 81 });
    } else if (letter === "H") {
      assertEquals(action, { kind: "exit", code: 51 });
    } else if (letter === "G") {
      assertEquals(action, { kind: "refuse", refusal: SIGN_REFUSAL.noSender });
      assertEquals(SIGN_REFUSAL.noSender.plainExit, 31);
      assertEquals(SIGN_REFUSAL.noSender.permanent, true);
    } else {
      assertEquals(action, {
        kind: "refuse",
        refusal: SIGN_REFUSAL.keyTrouble,
      });
      assertEquals(SIGN_REFUSAL.keyTrouble.plainExit, 55);
      assertEquals(SIGN_REFUSAL.keyTrouble.permanent, false);
    }
  }
});

Deno.test("dkimVerifyRefusal() follows dkim.md 6.7: case decides, P is never permanent, J never rejects", () => {
  assertEquals(dkimVerifyRefusal("A", ""), null);
  assertEquals(dkimVerifyRefusal("U", "FGHIKLMNORTUVWjp"), {
    permanent: true,
    text: "DKIM verify status: body changed",
    plainExit: QUEUE_EXIT.rejectPermanent,
    code: "5.7.20",
  });
  assertEquals(dkimVerifyRefusal("I", "i"), {
    permanent: false,
    text: "DKIM verify status: signature does not verify",
    plainExit: QUEUE_EXIT.customError,
    code: "4.7.0",
  });
  // Both cases: temporary. Uppercase P: temporary. J: never.
  assertEquals(dkimVerifyRefusal("I", "Ii")?.permanent, false);
  assertEquals(dkimVerifyRefusal("P", "P")?.permanent, false);
  assertEquals(dkimVerifyRefusal("P", "P")?.plainExit, QUEUE_EXIT.customError);
  assertEquals(dkimVerifyRefusal("J", "Jj"), null);
  // Unlisted letters and characters outside A–Y/a–y change nothing.
  assertEquals(dkimVerifyRefusal("S", "FGHIKLMNORTUVWjp"), null);
  assertEquals(dkimVerifyRefusal("D", "d")?.permanent, false);
  assertEquals(dkimVerifyRefusal("K", "K")?.permanent, true);
  // The man page's set accepts D and S unless they are added.
  for (const letter of ["D", "S", "A", "E"] as const) {
    assertEquals(dkimVerifyRefusal(letter, "FGHIKLMNORTUVWjp"), null, letter);
  }
});

Deno.test("customErrorLine() writes the enhanced code a refusal carries, DomainKeys' by default", () => {
  assertEquals(customErrorLine(true, "x"), "Dx (#5.3.0)");
  assertEquals(customErrorLine(false, "x"), "Zx (#4.3.0)");
  assertEquals(customErrorLine(true, "x", "5.7.20"), "Dx (#5.7.20)");
  assertEquals(customErrorLine(false, "x", "4.7.0"), "Zx (#4.7.0)");
});

Deno.test("DK_AUTH_RESULT gives every DomainKeys letter its domainkeys= word (dkim.md 6.9)", () => {
  const words = {
    pass: "A",
    fail: "B",
    none: "C",
    neutral: "G",
    policy: "L",
    permerror: "DEJ",
    temperror: "FHIK",
  };
  const expected = Object.fromEntries(
    Object.entries(words).flatMap(([word, letters]) =>
      [...letters].map((letter) => [letter, word])
    ),
  );
  assertEquals(Object.keys(DK_AUTH_RESULT), [...LETTERS]);
  for (const letter of LETTERS) {
    assertEquals(DK_AUTH_RESULT[letter], expected[letter], letter);
  }
});

Deno.test("DKIM_STATUS gives every DKIM letter 3.5's dkim= word", () => {
  // dkim.md 3.5's "AR dkim=" column; Y's permerror for a broken t=s is
  // chosen by its reason (core/dkim/verdict.ts), the table holds neutral.
  const table: Record<DkimLetter, string> = {
    A: "pass",
    D: "policy",
    E: "policy",
    H: "neutral",
    I: "fail",
    J: "fail",
    K: "policy",
    L: "permerror",
    N: "permerror",
    O: "permerror",
    P: "temperror",
    Q: "permerror",
    R: "permerror",
    S: "none",
    U: "fail",
    V: "permerror",
    W: "neutral",
    X: "policy",
    Y: "neutral",
  };
  assertEquals(Object.keys(DKIM_STATUS), Object.keys(table));
  for (const [letter, info] of Object.entries(DKIM_STATUS)) {
    assertEquals(info.result, table[letter as DkimLetter], letter);
  }
});
