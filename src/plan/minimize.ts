/** The minimum of a function of one variable on an interval. */
export interface Minimum1d {
  readonly x: number;
  readonly f: number;
  /** True when the minimum sits at an end of the interval (the true optimum may lie beyond). */
  readonly atEdge: boolean;
}

const INV_PHI = (Math.sqrt(5) - 1) / 2;

/**
 * Minimises f on [lo, hi]: a scan of `points` equally spaced values finds the best cell, then
 * golden-section search (Kiefer 1953) narrows it to |Δx| ≤ tol. Robust for the unimodal profiles
 * of planning (loss along an iso-FLOP line); a multimodal f gets its best scanned basin.
 * Cost: points + ~log(width/tol)/0.21 evaluations.
 */
export function minimize1d(
  f: (x: number) => number,
  lo: number,
  hi: number,
  points = 241,
  tol = 1e-10,
): Minimum1d {
  let best = 0;
  let bestF = Infinity;
  const step = (hi - lo) / (points - 1);
  for (let k = 0; k < points; k++) {
    const v = f(lo + k * step);
    if (v < bestF) {
      bestF = v;
      best = k;
    }
  }
  let a = lo + Math.max(0, best - 1) * step;
  let b = lo + Math.min(points - 1, best + 1) * step;
  let c = b - INV_PHI * (b - a);
  let d = a + INV_PHI * (b - a);
  let fc = f(c);
  let fd = f(d);
  while (b - a > tol * Math.max(1, Math.abs(a))) {
    if (fc < fd) {
      b = d;
      d = c;
      fd = fc;
      c = b - INV_PHI * (b - a);
      fc = f(c);
    } else {
      a = c;
      c = d;
      fc = fd;
      d = a + INV_PHI * (b - a);
      fd = f(d);
    }
  }
  const x = (a + b) / 2;
  const fx = f(x);
  const [xb, fb] = fx <= bestF ? [x, fx] : [lo + best * step, bestF];
  const edge =
    (best === 0 || best === points - 1) &&
    (Math.abs(xb - lo) < 1e-6 * (hi - lo) || Math.abs(xb - hi) < 1e-6 * (hi - lo));
  return { x: xb, f: fb, atEdge: edge };
}

/**
 * The root of a monotone function on [lo, hi] by bisection, to |Δx| ≤ tol; NaN when f(lo) and
 * f(hi) have the same sign.
 */
export function bisect(f: (x: number) => number, lo: number, hi: number, tol = 1e-12): number {
  let flo = f(lo);
  const fhi = f(hi);
  if (flo === 0) return lo;
  if (fhi === 0) return hi;
  if (Math.sign(flo) === Math.sign(fhi) || Number.isNaN(flo) || Number.isNaN(fhi))
    return Number.NaN;
  for (let i = 0; i < 400 && hi - lo > tol * Math.max(1, Math.abs(lo)); i++) {
    const mid = (lo + hi) / 2;
    const fm = f(mid);
    if (Math.sign(fm) === Math.sign(flo)) {
      lo = mid;
      flo = fm;
    } else hi = mid;
  }
  return (lo + hi) / 2;
}
