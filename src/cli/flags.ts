import { parseArgs } from "node:util";
import { closest, InputError } from "../errors.js";

/**
 * One command-line flag: how it parses and how `--help` shows it. A command's flags are a table of
 * these ({@link Flags}), which drives parsing, the help text and the type of the parsed values, so
 * adding a flag is one line: `name: str("VALUE", "what it does")`.
 */
export interface Flag {
  readonly type: "string" | "boolean";
  readonly short?: string;
  /** Placeholder of the value in help, e.g. `NAME`. */
  readonly value?: string;
  /**
   * Help text; further lines continue under the first. Absent when another flag's row describes
   * this one (e.g. `--tokens-col` in the row of `--params-col`).
   */
  readonly help?: string;
  /** The row's label when it is not `--name VALUE`. */
  readonly label?: string;
  /** Help rows written out in full, for a flag whose values each get a row (`--approach`). */
  readonly rows?: string;
  /** May be given several times; the values come as a list. */
  readonly multiple?: boolean;
}

/** A table of flags by name (without the leading `--`). */
export type Flags = Readonly<Record<string, Flag>>;

/** A flag taking a value (numbers are read from strings with `numberFlag`, so sizes take suffixes). */
export function str(
  value: string,
  help?: string,
  more: Partial<Flag> = {},
): Flag & { readonly type: "string" } {
  return { ...more, type: "string", value, help };
}

/** A flag without a value. */
export function bool(help?: string, more: Partial<Flag> = {}): Flag & { readonly type: "boolean" } {
  return { ...more, type: "boolean", help };
}

/** The parsed values of a table: strings for value flags, booleans for the others. */
export type FlagValues<T extends Flags> = {
  -readonly [K in keyof T]?: T[K]["type"] extends "boolean"
    ? boolean
    : T[K] extends { multiple: true }
      ? string[]
      : string;
};

/** A value flag that may be repeated (`--merge A --merge B`); its values come as a list. */
export function strs(
  value: string,
  help?: string,
): Flag & { readonly type: "string"; readonly multiple: true } {
  return { type: "string", value, help, multiple: true };
}

/** Flags every command accepts. */
export const COMMON_FLAGS = {
  help: bool(undefined, { short: "h" }),
  debug: bool(),
} as const satisfies Flags;

/**
 * Help rows of a table, in its order: `  --name VALUE` padded to `width`, then the text; further
 * lines of the text are indented under it.
 */
export function flagHelp(flags: Flags, width = 20): string {
  const rows: string[] = [];
  for (const [name, f] of Object.entries(flags)) {
    if (f.rows !== undefined) rows.push(f.rows);
    if (f.help === undefined) continue;
    const label = f.label ?? `--${name}${f.value ? ` ${f.value}` : ""}`;
    const [first, ...rest] = f.help.split("\n");
    // An empty first line puts the whole text under a long label.
    if (first === "") rows.push(`  ${label}`);
    else rows.push(`  ${label.length < width ? label.padEnd(width) : `${label}  `}${first}`);
    for (const line of rest) rows.push(`${" ".repeat(width + 2)}${line}`);
  }
  return rows.join("\n");
}

/**
 * Parses a command's flags strictly: unknown flags and missing values become one-line usage errors
 * with the closest known flag as a hint.
 */
export function parseFlags<T extends Flags>(
  command: string,
  argv: string[],
  flags: T,
): { values: FlagValues<T & typeof COMMON_FLAGS>; positionals: string[] } {
  const all: Flags = { ...COMMON_FLAGS, ...flags };
  const options = Object.fromEntries(
    Object.entries(all).map(([k, f]) => [
      k,
      {
        type: f.type,
        ...(f.short ? { short: f.short } : {}),
        ...(f.multiple ? { multiple: true } : {}),
      },
    ]),
  );
  try {
    const r = parseArgs({
      args: argv,
      options,
      allowPositionals: true,
      strict: true,
      tokens: true,
    });
    repeatedFlag(r.tokens, all);
    return { values: r.values as FlagValues<T & typeof COMMON_FLAGS>, positionals: r.positionals };
  } catch (e) {
    if (e instanceof InputError) throw e;
    const msg = (e as Error).message;
    const flag = /'(-{1,2}[^' ]+)/.exec(msg)?.[1] ?? "";
    // A value that starts with "-" (a negative number) reads as another flag to parseArgs.
    if (/argument is ambiguous/.test(msg)) {
      throw new InputError(`${flag} is followed by a value starting with "-"`, {
        field: `scaleladder ${command}`,
        hint: `write ${flag}=VALUE, e.g. ${flag}=-1`,
      });
    }
    const near = flag ? closest(flag.replace(/^-+/, ""), Object.keys(all)) : undefined;
    throw new InputError(msg.split("\n")[0].replace(/\.$/, ""), {
      field: `scaleladder ${command}`,
      hint:
        near && `--${near}` !== flag
          ? `did you mean --${near}?`
          : `see scaleladder ${command} --help`,
    });
  }
}

/** A flag given twice would silently keep its last value: refuse it instead. */
function repeatedFlag(tokens: ReturnType<typeof parseArgs>["tokens"], flags: Flags): void {
  const seen = new Map<string, string | undefined>();
  for (const t of tokens ?? []) {
    if (t.kind !== "option" || flags[t.name]?.multiple) continue;
    if (seen.has(t.name)) {
      const values = [seen.get(t.name), t.value].filter((v) => v !== undefined);
      throw new InputError(
        `--${t.name} given twice${values.length === 2 ? ` ("${values[0]}" and "${values[1]}")` : ""}`,
        {
          field: `--${t.name}`,
          hint: "give it once (commands that take several values take a list: 7B,70B)",
        },
      );
    }
    seen.set(t.name, t.value);
  }
}
