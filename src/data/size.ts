import { InputError } from "../errors.js";

/** Multipliers of the size suffixes accepted in cells and flags (`125M`, `1.3B`, `1.4T`). */
const SUFFIX: Record<string, number> = { K: 1e3, M: 1e6, B: 1e9, G: 1e9, T: 1e12, P: 1e15 };

/**
 * Parses a plain, scientific or suffixed number: `7e10`, `70B`, `1.4T`, `125m`. Returns NaN when the
 * text is not one, so callers can report where.
 * @example parseSize("1.4T") // → 1.4e12
 */
export function parseSize(text: string): number {
  const t = text.trim().replace(/_/g, "");
  if (t === "") return Number.NaN;
  const m = /^([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*([kKmMbBgGtTpP])?$/.exec(t);
  if (!m) return Number.NaN;
  const v = Number(m[1]);
  return m[2] ? v * SUFFIX[m[2].toUpperCase()] : v;
}

/** Bounds a number read by {@link checkedSize} must keep. */
export interface SizeRange {
  readonly min?: number;
  readonly max?: number;
  readonly integer?: boolean;
  readonly positive?: boolean;
}

/**
 * Reads a number given as a JSON number or as text {@link parseSize} accepts, and checks it against
 * `range`; `name` is how messages and the error's field call it (`--budget` on the command line,
 * `budget` on the page).
 * @throws InputError when it is not a number or breaks the range
 */
export function checkedSize(raw: unknown, name: string, range: SizeRange = {}): number {
  const v = typeof raw === "number" ? raw : parseSize(String(raw));
  const bad = (why: string) =>
    new InputError(`${name} ${why}, got "${String(raw)}"`, {
      field: name,
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
 * Writes a count with a size suffix and three significant digits, the inverse of {@link parseSize}
 * up to rounding.
 * @example formatSize(1.3e9) // → "1.3B"
 */
export function formatSize(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  for (const [s, m] of [
    ["P", 1e15],
    ["T", 1e12],
    ["B", 1e9],
    ["M", 1e6],
    ["K", 1e3],
  ] as const) {
    if (a >= m) return `${Number((v / m).toPrecision(3))}${s}`;
  }
  return String(Number(v.toPrecision(3)));
}
