/**
 * Share trimmed from each end for the trimmed mean: 10% of the values below and 10% above (a 20%
 * trimmed mean overall), rounded down, so a single extreme value among 10 or more is never used.
 */
export const TRIM = 0.1;

/** Median, mean and the {@link TRIM}-trimmed mean of a sample, with its size. */
export interface RobustStats {
  readonly median: number;
  readonly mean: number;
  readonly trimmedMean: number;
  readonly n: number;
}

/** The median (average of the two middle values for an even count); NaN for no values. */
export function median(xs: readonly number[]): number {
  return quantile(xs, 0.5);
}

/**
 * The q-quantile with linear interpolation between order statistics (R's type 7, numpy's default);
 * NaN for no values.
 */
export function quantile(xs: readonly number[], q: number): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const h = (s.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, s.length - 1);
  return s[lo] + (h - lo) * (s[hi] - s[lo]);
}

/**
 * Mean after dropping ⌊trim·n⌋ values from each end (scipy.stats.trim_mean's convention); NaN for
 * no values.
 */
export function trimmedMean(xs: readonly number[], trim = TRIM): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const cut = Math.floor(trim * s.length);
  const kept = s.slice(cut, s.length - cut);
  return kept.reduce((a, v) => a + v, 0) / kept.length;
}

/** Median, mean and trimmed mean of `xs`. */
export function robustStats(xs: readonly number[]): RobustStats {
  return {
    median: median(xs),
    mean: xs.length ? xs.reduce((a, v) => a + v, 0) / xs.length : Number.NaN,
    trimmedMean: trimmedMean(xs),
    n: xs.length,
  };
}
