import { checkedSize, parseSize, type SizeRange } from "../data/size.js";
import { InputError } from "../errors.js";

/**
 * Reads a numeric flag: plain, scientific or suffixed (`70B`, `1.4T`).
 * @throws InputError when the value is not a number or breaks the given range
 */
export function numberFlag(
  values: Record<string, unknown>,
  name: string,
  range: SizeRange = {},
): number | undefined {
  const raw = values[name];
  return raw === undefined ? undefined : checkedSize(String(raw), `--${name}`, range);
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
