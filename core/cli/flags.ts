/**
 * The commands' flag parser: `node:util`'s `parseArgs` in strict mode, for
 * the options dk's commands declare (long names, string or boolean, some
 * many times, defaults), with the same results and the same error
 * messages, written out so a command does not load Deno's Node layer for
 * it (measured: about 15 ms and 7 MB of every `dk verify`, with the other
 * Node module it loaded). Tested against `parseArgs` itself.
 *
 * @module
 */

/** One option: its type, whether it may come many times, its default. */
export interface FlagOption {
  type: "string" | "boolean";
  multiple?: boolean;
  default?: string | boolean | string[] | boolean[];
}

/** What to parse and how (always strict, as the commands ask). */
export interface FlagConfig {
  args: readonly string[];
  options: Readonly<Record<string, FlagOption>>;
  strict: true;
  allowPositionals: boolean;
}

type _One<O extends FlagOption> = O["type"] extends "string" ? string
  : boolean;
type _Value<O extends FlagOption> = O["multiple"] extends true ? _One<O>[]
  : _One<O>;

/** The values of `T`'s options: undefined when absent and no default. */
export type FlagValues<T extends FlagConfig> = {
  -readonly [K in keyof T["options"]]: T["options"][K] extends
    { default: unknown } ? _Value<T["options"][K]>
    : _Value<T["options"][K]> | undefined;
};

/** What {@link parseFlagArgs} gives: the values and the other arguments. */
export interface ParsedFlags<T extends FlagConfig> {
  values: FlagValues<T>;
  positionals: string[];
}

/** A refused command line; `message` as `parseArgs` words it. */
export class FlagError extends TypeError {
  /** `parseArgs`' error code. */
  readonly code: string;

  /** An error with `parseArgs`' code and message. */
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}

interface _Token {
  kind: "option" | "positional";
  name: string;
  rawName: string;
  value: string | undefined;
  inlineValue: boolean;
}

/**
 * Parses `config.args` as `parseArgs(config)` from `node:util` does (strict,
 * no short options declared); throws a {@link FlagError} with its message
 * where it would throw.
 */
export function parseFlagArgs<T extends FlagConfig>(
  config: T,
): ParsedFlags<T> {
  const { options, allowPositionals } = config;
  const typeOf = (name: string) =>
    Object.hasOwn(options, name) ? options[name].type : undefined;
  const tokens = _tokens([...config.args], typeOf);
  const values: Record<string, unknown> = Object.create(null);
  const positionals: string[] = [];
  for (const token of tokens) {
    if (token.kind === "positional") {
      if (!allowPositionals) {
        throw new FlagError(
          "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL",
          `Unexpected argument '${token.rawName}'. This command does not take positional arguments`,
        );
      }
      positionals.push(token.rawName);
      continue;
    }
    _check(token, typeOf(token.name), allowPositionals);
    const value = token.value ?? true;
    if (options[token.name].multiple) {
      ((values[token.name] ??= []) as unknown[]).push(value);
    } else {
      values[token.name] = value;
    }
  }
  for (const [name, option] of Object.entries(options)) {
    if (option.default !== undefined && values[name] === undefined) {
      values[name] = option.default;
    }
  }
  return { values: values as FlagValues<T>, positionals };
}

/** The arguments as `parseArgs` reads them, one token each. */
function _tokens(
  args: string[],
  typeOf: (name: string) => string | undefined,
): _Token[] {
  const tokens: _Token[] = [];
  const option = (
    name: string,
    rawName: string,
    value?: string,
    inlineValue = false,
  ) => tokens.push({ kind: "option", name, rawName, value, inlineValue });
  while (args.length) {
    const arg = args.shift()!;
    if (arg === "--") {
      for (const rest of args) {
        tokens.push({
          kind: "positional",
          name: "",
          rawName: rest,
          value: rest,
          inlineValue: false,
        });
      }
      break;
    }
    const isOption = arg.length > 1 && arg[0] === "-";
    if (isOption && arg[1] !== "-") {
      // Short options: none is declared, so each letter is its own name.
      const letter = arg[1];
      if (arg.length === 2) {
        const value = typeOf(letter) === "string" && args.length
          ? args.shift()
          : undefined;
        option(letter, arg, value);
      } else if (typeOf(letter) !== "string") {
        // A group: -abc is -a -b -c, up to a letter that takes a value.
        const expanded: string[] = [];
        for (let at = 1; at < arg.length; at++) {
          const short = arg[at];
          if (typeOf(short) !== "string" || at === arg.length - 1) {
            expanded.push(`-${short}`);
          } else {
            expanded.push(`-${arg.slice(at)}`);
            break;
          }
        }
        args.unshift(...expanded);
      } else {
        option(letter, `-${letter}`, arg.slice(2), true);
      }
      continue;
    }
    if (arg.length > 2 && arg.startsWith("--")) {
      // As parseArgs: a value when "=" follows the name's first character,
      // the name ending at the first "=".
      if (!arg.includes("=", 3)) {
        const name = arg.slice(2);
        const value = typeOf(name) === "string" && args.length
          ? args.shift()
          : undefined;
        option(name, arg, value);
      } else {
        const equals = arg.indexOf("=");
        option(
          arg.slice(2, equals),
          arg.slice(0, equals),
          arg.slice(equals + 1),
          true,
        );
      }
      continue;
    }
    tokens.push({
      kind: "positional",
      name: "",
      rawName: arg,
      value: arg,
      inlineValue: false,
    });
  }
  return tokens;
}

/** `parseArgs`' strict checks of one option, in its order. */
function _check(
  token: _Token,
  type: string | undefined,
  allowPositionals: boolean,
): void {
  if (type === undefined) {
    const hint = allowPositionals
      ? `. To specify a positional argument starting with a '-', place it at the end of the command after '--', as in '-- ${
        JSON.stringify(token.rawName)
      }`
      : "";
    throw new FlagError(
      "ERR_PARSE_ARGS_UNKNOWN_OPTION",
      `Unknown option '${token.rawName}'${hint}`,
    );
  }
  const invalid = (message: string) =>
    new FlagError("ERR_PARSE_ARGS_INVALID_OPTION_VALUE", message);
  if (type === "string" && typeof token.value !== "string") {
    throw invalid(`Option '--${token.name} <value>' argument missing`);
  }
  if (type === "boolean" && token.value !== undefined) {
    throw invalid(`Option '--${token.name}' does not take an argument`);
  }
  const value = token.value;
  if (
    !token.inlineValue && value !== undefined && value.length > 1 &&
    value[0] === "-"
  ) {
    const example = token.rawName.startsWith("--")
      ? `'${token.rawName}=-XYZ'`
      : `'--${token.name}=-XYZ' or '${token.rawName}-XYZ'`;
    throw invalid(
      `Option '${token.rawName}' argument is ambiguous.\n` +
        `Did you forget to specify the option argument for '${token.rawName}'?\n` +
        `To specify an option argument starting with a dash use ${example}.`,
    );
  }
}
