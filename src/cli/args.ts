import { type ParseArgsConfig, parseArgs } from "node:util";
import { parseSize } from "../data/size.js";
import { closest, InputError } from "../errors.js";

type Options = NonNullable<ParseArgsConfig["options"]>;

/** Flags every command accepts. */
export const COMMON_OPTIONS = {
  help: { type: "boolean", short: "h" },
  debug: { type: "boolean" },
} as const satisfies Options;

/**
 * Parses a command's flags strictly: unknown flags and missing values become one-line usage errors
 * with the closest known flag as a hint.
 */
export function parseFlags<T extends Options>(
  command: string,
  argv: string[],
  options: T,
): { values: Record<string, string | boolean | string[] | undefined>; positionals: string[] } {
  const all = { ...COMMON_OPTIONS, ...options };
  try {
    const r = parseArgs({
      args: argv,
      options: all,
      allowPositionals: true,
      strict: true,
      tokens: true,
    });
    repeatedFlag(r.tokens, all);
    return {
      values: r.values as Record<string, string | boolean | string[] | undefined>,
      positionals: r.positionals,
    };
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
function repeatedFlag(tokens: ReturnType<typeof parseArgs>["tokens"], options: Options): void {
  const seen = new Map<string, string | undefined>();
  for (const t of tokens ?? []) {
    if (t.kind !== "option" || options[t.name]?.multiple) continue;
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

/**
 * Reads a numeric flag: plain, scientific or suffixed (`70B`, `1.4T`).
 * @throws InputError when the value is not a number or breaks the given range
 */
export function numberFlag(
  values: Record<string, unknown>,
  name: string,
  range: { min?: number; max?: number; integer?: boolean; positive?: boolean } = {},
): number | undefined {
  const raw = values[name];
  if (raw === undefined) return undefined;
  const v = parseSize(String(raw));
  const bad = (why: string) =>
    new InputError(`--${name} ${why}, got "${raw}"`, {
      field: `--${name}`,
      hint: "e.g. 1e21, 70B or 1.4T",
    });
  if (!Number.isFinite(v)) throw bad("must be a number");
  if (range.positive && !(v > 0)) throw bad("must be positive");
  if (range.integer && !Number.isInteger(v)) throw bad("must be a whole number");
  if (range.min !== undefined && v < range.min) throw bad(`must be at least ${range.min}`);
  if (range.max !== undefined && v > range.max) throw bad(`must be at most ${range.max}`);
  return v;
}

/**
 * Parses `--fix alpha=0.34,beta=0.28` into `{ alpha: 0.34, beta: 0.28 }`.
 * @throws InputError for a malformed pair
 */
export function parseAssignments(text: string | undefined, flag = "--fix"): Record<string, number> {
  const out: Record<string, number> = {};
  if (!text) return out;
  for (const part of text.split(",")) {
    const m = /^\s*([A-Za-z_][\w]*)\s*=\s*(\S+)\s*$/.exec(part);
    const v = m ? parseSize(m[2]) : Number.NaN;
    if (!m || !Number.isFinite(v)) {
      throw new InputError(`cannot read "${part}" as name=value`, {
        field: flag,
        hint: `write ${flag} alpha=0.34,beta=0.28`,
      });
    }
    out[m[1]] = v;
  }
  return out;
}
