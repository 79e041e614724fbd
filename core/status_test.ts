import { assertEquals } from "../tests/helpers/assert.ts";
import {
  customErrorLine,
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
