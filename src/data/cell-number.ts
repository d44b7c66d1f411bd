/*
 * Cells to numbers and numbers to text exactly as DuckDB does, for the JavaScript reader.
 */

/** Exact powers of ten, 10^0 … 10^22 (every one a double). */
export const POW10 = Array.from({ length: 23 }, (_, k) => 10 ** k);
const MULTIPLIER: Record<number, number> = {
  75: 1e3,
  77: 1e6,
  66: 1e9,
  71: 1e9,
  84: 1e12,
  80: 1e15,
};

/**
 * A cell as the SQL macro `sl_num` reads it: plain or scientific notation, or a size suffix (`125M`),
 * finite. Narrower than the macro on purpose (no `1.`, no space before a suffix, no `_`): whatever
 * this accepts, DuckDB reads to the same double; `undefined` sends the rest to DuckDB. Up to 15
 * digits and |10-exponent| ≤ 22, one exact IEEE operation gives the correctly rounded value
 * (Clinger's fast path), as DuckDB's parser does; longer numbers go through `Number`.
 */
export function parseNumber(buf: Buffer, s: number, e: number): number | undefined {
  return readNumber(buf, s, e, SCRATCH, 0) ? SCRATCH[0] : undefined;
}

const SCRATCH = new Float64Array(1);

/**
 * {@link parseNumber} into `out[k]`, true when the cell was read: the reader's hot path, which
 * passes no double through a call (a returned double is a heap number, one per cell).
 */
export function readNumber(
  buf: Buffer,
  s: number,
  e: number,
  out: Float64Array,
  k: number,
): boolean {
  let i = s;
  let neg = false;
  if (buf[i] === 45 || buf[i] === 43) neg = buf[i++] === 45;
  let mant = 0;
  let digits = 0;
  let scale = 0;
  const intStart = i;
  while (i < e && buf[i] >= 48 && buf[i] <= 57) {
    mant = mant * 10 + (buf[i++] - 48);
    digits++;
  }
  const intDigits = i - intStart;
  if (i < e && buf[i] === 46) {
    i++;
    const fracStart = i;
    while (i < e && buf[i] >= 48 && buf[i] <= 57) {
      mant = mant * 10 + (buf[i++] - 48);
      digits++;
    }
    if (i === fracStart) return false;
    scale = fracStart - i;
  }
  if (intDigits === 0 && scale === 0) return false;
  let exp = 0;
  if (i < e && (buf[i] === 101 || buf[i] === 69)) {
    i++;
    let eneg = false;
    if (i < e && (buf[i] === 45 || buf[i] === 43)) eneg = buf[i++] === 45;
    const expStart = i;
    while (i < e && buf[i] >= 48 && buf[i] <= 57 && i - expStart < 6)
      exp = exp * 10 + (buf[i++] - 48);
    if (i === expStart) return false;
    if (eneg) exp = -exp;
  }
  const numEnd = i;
  let mult = 1;
  if (i < e) {
    const m = MULTIPLIER[buf[i] & 0xdf];
    if (m === undefined || i + 1 !== e) return false;
    mult = m;
  }
  const p10 = exp + scale;
  let v: number;
  if (digits <= 15 && p10 >= -22 && p10 <= 22) {
    v = p10 < 0 ? mant / POW10[-p10] : mant * POW10[p10];
    if (neg) v = -v;
  } else v = Number(buf.toString("latin1", s, numEnd));
  v *= mult;
  out[k] = v;
  return Number.isFinite(v);
}

/**
 * A positive double as DuckDB's `CAST(x AS VARCHAR)` writes it (run names such as `N=1.3e9`):
 * the shortest round-trip digits, fixed notation with at least one decimal for exponents −4 … 15,
 * else `d.ddde+XX`.
 * @example duckDouble(1e8) // → "100000000.0"; duckDouble(1e16) // → "1e+16"
 */
export function duckDouble(v: number): string {
  const [mant, exp] = v.toExponential().split("e");
  const e = Number(exp);
  const digits = mant.replace(".", "");
  if (e < -4 || e >= 16)
    return `${mant}e${e < 0 ? "-" : "+"}${String(Math.abs(e)).padStart(2, "0")}`;
  if (e < 0) return `0.${"0".repeat(-e - 1)}${digits}`;
  const int = digits.slice(0, e + 1).padEnd(e + 1, "0");
  return `${int}.${digits.slice(e + 1) || "0"}`;
}
