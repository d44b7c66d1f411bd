import { cholesky, choleskySolve } from "./linalg.js";

/**
 * Non-negative weighted least squares for a handful of unknowns:
 * min_c Σ_i w_i (Σ_k c_k·X_ik − z_i)² subject to c ≥ 0.
 * With m ≤ 4 columns, trying every active set (2^m small solves) is exact and cheaper than an
 * iterative method. Columns are scaled to unit weighted norm first, because basis columns such as
 * 1, N^-α and D^-β differ by many orders of magnitude.
 *
 * @param x n×m row-major design matrix
 * @returns the coefficients and the weighted residual sum of squares; null when no subset solves
 */
export function nnlsSmall(
  x: Float64Array,
  n: number,
  m: number,
  z: Float64Array,
  w: Float64Array,
): { coef: Float64Array; rss: number } | null {
  // One pass builds the unscaled Gram matrix XᵀWX and XᵀWz; scaling to unit diagonal afterwards
  // is the same as scaling the columns first.
  const g = new Float64Array(m * m);
  const r = new Float64Array(m);
  let zz = 0;
  for (let i = 0; i < n; i++) {
    const wi = w[i];
    const zi = z[i];
    const o = i * m;
    zz += wi * zi * zi;
    for (let a = 0; a < m; a++) {
      const xa = wi * x[o + a];
      r[a] += xa * zi;
      for (let b = a; b < m; b++) g[a * m + b] += xa * x[o + b];
    }
  }
  return nnlsGram(g, r, zz, m);
}

/**
 * The same problem given by its normal equations: the Gram matrix G = XᵀWX (upper triangle read,
 * row-major m×m, not modified), r = XᵀWz and zz = zᵀWz. Lets callers reuse Gram entries across many
 * problems that share columns, as the variable-projection grid does.
 */
export function nnlsGram(
  gIn: Float64Array,
  rIn: Float64Array,
  zz: number,
  m: number,
): { coef: Float64Array; rss: number } | null {
  // Scratch reused across calls (the grid solves hundreds of these per fit): only the answer is new.
  if (!scratch || scratch.m !== m) scratch = makeScratch(m);
  const { g, r, scale, idx, gs, sol, bestCoef } = scratch;
  for (let k = 0; k < m; k++) {
    const d = gIn[k * m + k];
    scale[k] = d > 0 && Number.isFinite(d) ? 1 / Math.sqrt(d) : 0;
  }
  for (let a = 0; a < m; a++) {
    r[a] = rIn[a] * scale[a];
    for (let b = a; b < m; b++) {
      g[a * m + b] = gIn[a * m + b] * scale[a] * scale[b];
      g[b * m + a] = g[a * m + b];
    }
  }

  let found = false;
  let bestRss = Infinity;
  for (let mask = 1; mask < 1 << m; mask++) {
    let s = 0;
    for (let k = 0; k < m; k++) if (mask & (1 << k) && scale[k] > 0) idx[s++] = k;
    if (s === 0) continue;
    for (let a = 0; a < s; a++) {
      sol[a] = r[idx[a]];
      for (let b = 0; b < s; b++) gs[a * s + b] = g[idx[a] * m + idx[b]];
    }
    if (!cholesky(gs, s)) continue;
    choleskySolve(gs, s, sol);
    let feasible = true;
    // rss = zᵀWz − 2cᵀr + cᵀGc = zᵀWz − cᵀr at the least-squares solution of the subset.
    let rss = zz;
    for (let a = 0; a < s; a++) {
      if (sol[a] < 0) feasible = false;
      rss -= sol[a] * r[idx[a]];
    }
    if (feasible && rss < bestRss) {
      bestRss = rss;
      found = true;
      bestCoef.fill(0);
      for (let a = 0; a < s; a++) bestCoef[idx[a]] = sol[a] * scale[idx[a]];
    }
  }
  return found ? { coef: Float64Array.from(bestCoef), rss: Math.max(bestRss, 0) } : null;
}

let scratch: ReturnType<typeof makeScratch> | undefined;

function makeScratch(m: number) {
  return {
    m,
    g: new Float64Array(m * m),
    r: new Float64Array(m),
    scale: new Float64Array(m),
    idx: new Int32Array(m),
    gs: new Float64Array(m * m),
    sol: new Float64Array(m),
    bestCoef: new Float64Array(m),
  };
}
