import fc from "fast-check";
import { parseArgs } from "node:util";
import { assertEquals } from "../../tests/helpers/assert.ts";
import { type FlagConfig, parseFlagArgs } from "./flags.ts";

/** Options of the shapes the commands declare, and a one-letter name. */
const OPTIONS = {
  dns: { type: "string" },
  json: { type: "boolean", default: false },
  key: { type: "string", multiple: true },
  format: { type: "string", default: "bind" },
  flag: { type: "boolean", multiple: true },
  q: { type: "boolean" },
  s: { type: "string" },
} as const;

/** What a parser gave: its values and positionals, or its error. */
function outcome(parse: () => { values: object; positionals: string[] }) {
  try {
    const { values, positionals } = parse();
    return {
      values: Object.fromEntries(Object.entries(values)),
      proto: Object.getPrototypeOf(values),
      positionals,
    };
  } catch (e) {
    return { error: (e as Error).message, type: (e as Error).name };
  }
}

function same(args: string[], allowPositionals: boolean) {
  const config: FlagConfig = {
    args,
    options: OPTIONS,
    strict: true,
    allowPositionals,
  };
  assertEquals(
    outcome(() => parseFlagArgs(config)),
    outcome(() =>
      parseArgs({ args, options: OPTIONS, strict: true, allowPositionals })
    ),
    JSON.stringify(args),
  );
}

Deno.test("parseFlagArgs() gives what node:util parseArgs gives, for known shapes", () => {
  const cases: string[][] = [
    [],
    ["--dns", "1.2.3.4", "--json", "dir"],
    ["--dns=1.2.3.4:53", "--key", "a", "--key=b", "x", "y"],
    ["--bogus"],
    ["-x"],
    ["-abc"],
    ["-qs", "v"],
    ["-sq"],
    ["-s", "v", "-q"],
    ["-s", "-v"],
    ["--dns"],
    ["--dns", "-x"],
    ["--dns", "-"],
    ["--dns", "--json"],
    ["--dns=-x"],
    ["--json=1"],
    ["--json="],
    ["pos", "--bogus"],
    ["--", "--json", "-x"],
    ["-"],
    ["--="],
    ["--=x"],
    ["--=="],
    ["--a==b"],
    ["--dns==b"],
    ["---x"],
    ["--no-json"],
    ["--toString"],
    ["--__proto__"],
    ["--constructor=1"],
    ["--flag", "--flag", "--flag=x"],
    ["--format", "value", "--format", "tinydns"],
    ["--dns", ""],
    ["--dns=a=b"],
    ["--\u00e9"],
    ["-\u00e9"],
  ];
  for (const args of cases) {
    for (const allow of [true, false]) same(args, allow);
  }
});

Deno.test("parseFlagArgs() gives what node:util parseArgs gives, for any arguments from the commands' vocabulary", () => {
  const word = fc.oneof(
    fc.constantFrom(
      "--dns",
      "--json",
      "--key",
      "--format",
      "--flag",
      "--q",
      "--s",
      "--bogus",
      "--",
      "-",
      "-q",
      "-s",
      "-x",
      "-qs",
      "-sq",
      "-qx",
      "--json=",
      "--dns=",
      "--key=v",
      "--no-json",
      "--=",
      "--==",
      "--dns==v",
      "--x=y",
      "value",
      "-value",
      "",
    ),
    fc.string({ maxLength: 6 }),
    fc.string({ maxLength: 5 }).map((s) => `-${s}`),
    fc.string({ maxLength: 5 }).map((s) => `--${s}`),
  );
  fc.assert(
    fc.property(fc.array(word, { maxLength: 7 }), fc.boolean(), same),
    { numRuns: 3000 },
  );
});
