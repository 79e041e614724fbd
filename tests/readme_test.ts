import { assertEquals } from "./helpers/assert.ts";
import {
  DKIM_STATUS,
  type DkimLetter,
  LETTERS,
  QUEUE_EXIT,
  STATUS,
} from "../core/status.ts";

const readme = await Deno.readTextFile(
  new URL("../README.md", import.meta.url),
);

/** The README's lines from `start` to the next empty line after a table. */
function tableAfter(start: string): string[] {
  const at = readme.indexOf(start);
  const table = readme.indexOf("\n|", at);
  return readme.slice(table + 1, readme.indexOf("\n\n", table)).split("\n");
}

Deno.test("README shows the status table of core/status.ts", () => {
  const rows = tableAfter("## Status letters and exit codes").filter((l) =>
    /^\| [A-L] +\|/.test(l)
  );
  const table = rows.map((l) => l.split("|").slice(1, 5).map((c) => c.trim()));
  assertEquals(
    table,
    LETTERS.map((
      l,
    ) => [
      l,
      STATUS[l].meaning,
      STATUS[l].word,
      STATUS[l].temporary ? "yes" : "no",
    ]),
  );
});

Deno.test("README shows the DKIM letter table of core/status.ts", () => {
  const rows = tableAfter("DKIM letters (`dkim.md` 3.5)").filter((l) =>
    /^\| [A-Y] +\|/.test(l)
  );
  const table = rows.map((l) => l.split("|").slice(1, 6).map((c) => c.trim()));
  assertEquals(
    table,
    (Object.keys(DKIM_STATUS) as DkimLetter[]).map((l) => [
      l,
      DKIM_STATUS[l].meaning,
      DKIM_STATUS[l].text,
      DKIM_STATUS[l].result,
      DKIM_STATUS[l].temporary ? "yes" : "no",
    ]),
  );
});

Deno.test("README gives the two set-up commands and CI runs the README's test command", async () => {
  assertEquals(readme.includes("scripts/dk demo"), true);
  assertEquals(readme.includes("scripts/test "), true);
  const ci = await Deno.readTextFile(new URL("../.ci/run", import.meta.url));
  assertEquals(/^exec scripts\/test$/m.test(ci), true);
});

Deno.test("README's dk queue table names every exit code of core/status.ts's QUEUE_EXIT", () => {
  const start = readme.indexOf("`dk queue` (qmail-queue's codes");
  const table = readme.slice(
    start,
    readme.indexOf("\n\n", readme.indexOf("| exit", start)),
  );
  const listed = new Set(
    [...table.matchAll(/^\| (\d+) +\|/gm)].map((m) => Number(m[1])),
  );
  const codes = new Set(
    Object.values(QUEUE_EXIT).filter((code) => code !== QUEUE_EXIT.ok),
  );
  assertEquals(
    [...listed].sort((a, b) => a - b),
    [...codes].sort((a, b) => a - b),
  );
});
