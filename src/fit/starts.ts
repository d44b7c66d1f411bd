import { InputError } from "../errors.js";
import { mean } from "../math/stats.js";
import { makeGramCache } from "./grid-cache.js";
import { nnlsGram, nnlsSmall } from "./nnls.js";
import type { Problem } from "./problem.js";

/** A candidate start: natural parameters and the objective there. */
export interface Start {
  readonly theta: Float64Array;
  readonly value: number;
}

/**
 * Variable-projection grid: for every combination of grid values of the free nonlinear parameters,
 * the free linear coefficients are solved exactly by non-negative least squares on relative
 * residuals (≈ log residuals), then the true objective is evaluated there. This seeds every basin of
 * the exponents at the cost of a few hundred tiny linear solves.
 */
export function vpGridStarts(prob: Problem, screen = 24): { starts: Start[]; tried: number } {
  const { law, x, loss, base } = prob;
  const n = loss.length;
  const params = law.params;
  const isFree = new Uint8Array(params.length);
  for (const j of prob.free) isFree[j] = 1;
  const linIdx = params.flatMap((s, j) => (s.linear ? [j] : []));
  const nonlinFree = params.flatMap((s, j) => (!s.linear && isFree[j] ? [j] : []));
  if (!law.basis) {
    const seeds = law.starts ? law.starts(x, loss) : [];
    const starts = seeds.map((s) => startAt(s, prob));
    return { starts, tried: starts.length };
  }
  const axes = nonlinFree.map((j) => params[j].grid ?? [params[j].lower]);
  const m = linIdx.length;
  const freeLin = linIdx.filter((j) => isFree[j]);
  const mf = freeLin.length;
  const phi = new Float64Array(n * m);
  const design = mf < m ? new Float64Array(n * mf) : phi;
  const z = mf < m ? new Float64Array(n) : loss;
  const w = Float64Array.from(loss, (y) => (prob.objective.space === "log" ? 1 / (y * y) : 1));
  // Rank grid points by the least-squares residual (cheap), then score only the best few with the
  // true objective: the two orders agree near the top, and the true objective costs more per point.
  // Grid points' parameters side by side in one array (hundreds of points per fit).
  const ranked: { at: number; rss: number }[] = [];
  const meanLoss = mean(loss);
  const theta = Float64Array.from(base);
  const total = axes.reduce((a, ax) => a * ax.length, 1);
  const thetas = new Float64Array(total * theta.length);
  const index = new Int32Array(nonlinFree.length);
  const cache = makeGramCache(prob, nonlinFree, axes, w);
  const g = new Float64Array(m * m);
  const r = new Float64Array(m);
  for (let c = 0; c < total; c++) {
    let rem = c;
    for (let a = 0; a < nonlinFree.length; a++) {
      const ax = axes[a];
      index[a] = rem % ax.length;
      theta[nonlinFree[a]] = ax[index[a]];
      rem = Math.floor(rem / ax.length);
    }
    let sol: { coef: Float64Array; rss: number } | null = null;
    let colMean: (k: number) => number;
    if (cache) {
      const zz = cache.assemble(index, theta, g, r);
      sol = nnlsGram(g, r, zz, m);
      colMean = cache.columnMean;
    } else {
      law.basis(theta, x, phi);
      if (mf < m) {
        // Fixed linear parameters move to the right-hand side.
        for (let i = 0; i < n; i++) {
          let offset = 0;
          for (let k = 0, f = 0; k < m; k++) {
            const v = phi[i * m + k];
            if (isFree[linIdx[k]]) design[i * mf + f++] = v;
            else offset += base[linIdx[k]] * v;
          }
          z[i] = loss[i] - offset;
        }
      }
      if (mf > 0) sol = nnlsSmall(design, n, mf, z, w);
      else {
        let rss = 0;
        for (let i = 0; i < n; i++) rss += w[i] * z[i] * z[i];
        sol = { coef: new Float64Array(0), rss };
      }
      colMean = (k) => columnMean(phi, n, m, k);
    }
    if (!sol) continue;
    for (let f = 0; f < mf; f++) {
      const j = freeLin[f];
      let v = sol.coef[f];
      // A log-scaled coefficient cannot start at 0: give its term a small share of the loss.
      if (params[j].scale === "log" && !(v > 0))
        v = (1e-3 * meanLoss) / Math.max(colMean(linIdx.indexOf(j)), 1e-300);
      theta[j] = v;
    }
    const at = ranked.length * theta.length;
    thetas.set(theta, at);
    ranked.push({ at, rss: sol.rss });
  }
  ranked.sort((a, b) => a.rss - b.rss);
  const out: Start[] = [];
  for (const { at } of ranked.slice(0, screen)) {
    const t = thetas.slice(at, at + theta.length);
    const value = prob.value(prob.internal(t));
    if (Number.isFinite(value)) out.push({ theta: t, value });
  }
  return { starts: out, tried: total };
}

/**
 * The 4,500-start grid of Besiroglu et al. 2024 (after Hoffmann et al. 2022, Appendix D.2):
 * α, β ∈ {0, 0.5, …, 2}, e = ln E ∈ {−1, −0.5, …, 1}, a = ln A and b = ln B ∈ {0, 5, …, 25}.
 * @throws InputError for any law but chinchilla
 */
export function epochGridStarts(prob: Problem): { starts: Start[]; tried: number } {
  if (prob.law.name !== "chinchilla") {
    throw new InputError(
      `the Epoch grid is defined for the chinchilla law only, not "${prob.law.name}"`,
      {
        field: "starts",
        hint: "use the vp-grid starts",
      },
    );
  }
  const axes: Record<string, number[]> = {
    E: [-1, -0.5, 0, 0.5, 1].map(Math.exp),
    A: [0, 5, 10, 15, 20, 25].map(Math.exp),
    B: [0, 5, 10, 15, 20, 25].map(Math.exp),
    alpha: [0, 0.5, 1, 1.5, 2],
    beta: [0, 0.5, 1, 1.5, 2],
  };
  const names = prob.law.params.map((p) => p.name);
  const freeNames = Array.from(prob.free, (j) => names[j]);
  const out: Start[] = [];
  const total = freeNames.reduce((a, nm) => a * axes[nm].length, 1);
  for (let c = 0; c < total; c++) {
    const theta = Float64Array.from(prob.base);
    let rem = c;
    for (const nm of freeNames) {
      const ax = axes[nm];
      theta[names.indexOf(nm)] = ax[rem % ax.length];
      rem = Math.floor(rem / ax.length);
    }
    out.push({ theta, value: prob.value(prob.internal(theta)) });
  }
  return { starts: out, tried: total };
}

/** A start at the given parameters (all of them, natural units), fixed values put back, scored. */
export function startAt(s: ArrayLike<number>, prob: Problem): Start {
  const theta = Float64Array.from(prob.base);
  for (const j of prob.free) theta[j] = s[j];
  return { theta, value: prob.value(prob.internal(theta)) };
}

/** The `count` best starts by objective value, best first. */
export function bestStarts(starts: Start[], count: number): Start[] {
  return starts
    .filter((s) => Number.isFinite(s.value))
    .sort((a, b) => a.value - b.value)
    .slice(0, count);
}

function columnMean(a: Float64Array, n: number, m: number, k: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += a[i * m + k];
  return s / n;
}
