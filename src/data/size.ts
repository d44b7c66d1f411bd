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
