/** Arithmetic mean, summed in order; NaN for no values. */
export function mean(xs: ArrayLike<number>): number {
  if (xs.length === 0) return Number.NaN;
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i];
  return s / xs.length;
}

/**
 * [min, max] of the values in one pass, as `Math.min`/`Math.max` give them ([NaN, NaN] if any is
 * NaN, [Infinity, -Infinity] for none) but for any length: spreading a column into `Math.min`
 * overflows the call stack beyond ~10^5 values, which a training log easily has.
 */
export function extent(xs: ArrayLike<number>): [number, number] {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i];
    if (Number.isNaN(x)) return [Number.NaN, Number.NaN];
    if (x < lo) lo = x;
    if (x > hi) hi = x;
  }
  return [lo, hi];
}

/** Items grouped by a key, groups and items in first-seen order. */
export function group<T>(xs: readonly T[], key: (x: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const x of xs) {
    const k = key(x);
    const list = m.get(k);
    if (list) list.push(x);
    else m.set(k, [x]);
  }
  return m;
}
