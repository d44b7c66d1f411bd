/**
 * Ordinary least squares of y on x: slope, intercept and r² (slope NaN when x has no spread).
 * Kaplan's laws seed their fits with it; planning and the meta-analysis fit log-log lines with it.
 */
export function lineFit(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
): { slope: number; intercept: number; r2: number } {
  const n = x.length;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i];
    my += y[i];
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
    syy += (y[i] - my) ** 2;
  }
  const slope = sxx > 0 ? sxy / sxx : Number.NaN;
  return { slope, intercept: my - slope * mx, r2: (sxy * sxy) / (sxx * syy) };
}

/**
 * Least-squares parabola y = c0 + c1·x + c2·x² (normal equations on centred x, solved by Cramer's
 * rule); NaNs when fewer than three distinct x.
 */
export function parabolaFit(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
): { c0: number; c1: number; c2: number } {
  const n = x.length;
  let m = 0;
  for (let i = 0; i < n; i++) m += x[i];
  m /= n;
  // Centring keeps the 3×3 system well conditioned (ln N ≈ 20 otherwise).
  let s1 = 0,
    s2 = 0,
    s3 = 0,
    s4 = 0,
    t0 = 0,
    t1 = 0,
    t2 = 0;
  for (let i = 0; i < n; i++) {
    const u = x[i] - m;
    const u2 = u * u;
    s1 += u;
    s2 += u2;
    s3 += u2 * u;
    s4 += u2 * u2;
    t0 += y[i];
    t1 += u * y[i];
    t2 += u2 * y[i];
  }
  const M = [
    [n, s1, s2],
    [s1, s2, s3],
    [s2, s3, s4],
  ];
  const det3 = (a: number[][]) =>
    a[0][0] * (a[1][1] * a[2][2] - a[1][2] * a[2][1]) -
    a[0][1] * (a[1][0] * a[2][2] - a[1][2] * a[2][0]) +
    a[0][2] * (a[1][0] * a[2][1] - a[1][1] * a[2][0]);
  const det = det3(M);
  const rhs = [t0, t1, t2];
  const col = (k: number) => det3(M.map((row, i) => row.map((v, j) => (j === k ? rhs[i] : v))));
  if (!(Math.abs(det) > 0)) return { c0: Number.NaN, c1: Number.NaN, c2: Number.NaN };
  const [b0, b1, b2] = [col(0) / det, col(1) / det, col(2) / det];
  // Undo the centring: y = b0 + b1(x − m) + b2(x − m)².
  return { c0: b0 - b1 * m + b2 * m * m, c1: b1 - 2 * b2 * m, c2: b2 };
}
