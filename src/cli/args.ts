import { parseSize } from "../data/size.js";
import { InputError } from "../errors.js";

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
