/** Percentile interval [(1−level)/2, (1+level)/2] of finite values, by linear interpolation (type 7). */
export function percentileInterval(values: ArrayLike<number>, level = 0.95): [number, number] {
  const v = Array.from(values)
    .filter(Number.isFinite)
    .sort((a, b) => a - b);
  if (v.length === 0) return [Number.NaN, Number.NaN];
  const q = (p: number) => {
    const h = (v.length - 1) * p;
    const lo = Math.floor(h);
    return v[lo] + (h - lo) * ((v[Math.min(lo + 1, v.length - 1)] ?? v[lo]) - v[lo]);
  };
  return [q((1 - level) / 2), q((1 + level) / 2)];
}
