import type { BoxProblem, OptimizeOptions, OptimizeResult, Optimizer } from "./types.js";
import { heldAtBound, project, projectedGradNorm } from "./types.js";

/**
 * Bounded limited-memory BFGS: the two-loop recursion (Nocedal & Wright 2006, Alg. 7.4) on the
 * variables not held at a bound, with an Armijo backtracking search along the projected path
 * x(t) = P[x + t·d] (Bertsekas 1982). Stopping rules follow scipy's L-BFGS-B: relative decrease below
 * ftol (factr·eps) or projected gradient below gtol, so grid-start parity runs stop where scipy's do.
 */
export const lbfgsb: Optimizer = {
  name: "lbfgsb",
  defaults: { maxIterations: 15000, ftol: 2.220446049250313e-9, gtol: 1e-5 },
  minimize(problem: BoxProblem, x0: Float64Array, options: OptimizeOptions = {}): OptimizeResult {
    const { lower, upper, valueGrad } = problem;
    const maxIterations = options.maxIterations ?? lbfgsb.defaults.maxIterations;
    const ftol = options.ftol ?? lbfgsb.defaults.ftol;
    const gtol = options.gtol ?? lbfgsb.defaults.gtol;
    const memory = 10;
    const n = x0.length;
    let x = project(Float64Array.from(x0), lower, upper);
    let g = new Float64Array(n);
    let f = valueGrad(x, g);
    let evaluations = 1;
    const result = (
      iterations: number,
      status: OptimizeResult["status"],
      message: string,
    ): OptimizeResult => ({
      x,
      f,
      iterations,
      evaluations,
      gradNorm: Number.isFinite(f) ? projectedGradNorm(x, g, lower, upper) : Infinity,
      status,
      message,
    });
    if (!Number.isFinite(f)) return result(0, "non-finite", "objective is not finite at the start");

    const S: Float64Array[] = [];
    const Y: Float64Array[] = [];
    const rhoHist: number[] = [];
    const alpha = new Float64Array(memory);
    const d = new Float64Array(n);
    const xn = new Float64Array(n);
    const gn = new Float64Array(n);

    for (let it = 1; it <= maxIterations; it++) {
      if (projectedGradNorm(x, g, lower, upper) <= gtol)
        return result(it - 1, "converged", "projected gradient below gtol");
      const active = (i: number) => heldAtBound(i, x, g, lower, upper);
      // Two-loop recursion restricted to free variables.
      for (let i = 0; i < n; i++) d[i] = active(i) ? 0 : -g[i];
      for (let m = S.length - 1; m >= 0; m--) {
        alpha[m] = rhoHist[m] * dotFree(S[m], d, active, n);
        for (let i = 0; i < n; i++) if (!active(i)) d[i] -= alpha[m] * Y[m][i];
      }
      if (S.length > 0) {
        const last = S.length - 1;
        const gamma = dot(S[last], Y[last]) / dot(Y[last], Y[last]);
        for (let i = 0; i < n; i++) d[i] *= gamma;
      }
      for (let m = 0; m < S.length; m++) {
        const b = rhoHist[m] * dotFree(Y[m], d, active, n);
        for (let i = 0; i < n; i++) if (!active(i)) d[i] += S[m][i] * (alpha[m] - b);
      }
      let slope = dot(g, d);
      if (!(slope < 0)) {
        // Not a descent direction (stale curvature pairs): restart from steepest descent.
        S.length = 0;
        Y.length = 0;
        rhoHist.length = 0;
        for (let i = 0; i < n; i++) d[i] = active(i) ? 0 : -g[i];
        slope = dot(g, d);
      }
      let t = S.length === 0 ? Math.min(1, 1 / Math.max(norm(d), 1e-300)) : 1;
      let fn = Infinity;
      let ok = false;
      for (let ls = 0; ls < 60; ls++) {
        for (let i = 0; i < n; i++) xn[i] = x[i] + t * d[i];
        project(xn, lower, upper);
        fn = valueGrad(xn, gn);
        evaluations++;
        let dec = 0;
        for (let i = 0; i < n; i++) dec += g[i] * (xn[i] - x[i]);
        if (Number.isFinite(fn) && fn <= f + 1e-4 * dec) {
          ok = true;
          break;
        }
        t *= 0.5;
      }
      if (!ok) return result(it, "stalled", "line search found no decrease");
      const s = new Float64Array(n);
      const y = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        s[i] = xn[i] - x[i];
        y[i] = gn[i] - g[i];
      }
      const sy = dot(s, y);
      if (sy > 1e-10 * dot(y, y)) {
        if (S.length === memory) {
          S.shift();
          Y.shift();
          rhoHist.shift();
        }
        S.push(s);
        Y.push(y);
        rhoHist.push(1 / sy);
      }
      const fOld = f;
      x = Float64Array.from(xn);
      g = Float64Array.from(gn);
      f = fn;
      if ((fOld - f) / Math.max(Math.abs(fOld), Math.abs(f), 1) <= ftol) {
        return result(it, "converged", "relative reduction of f below ftol");
      }
    }
    return result(maxIterations, "max-iterations", `stopped after ${maxIterations} iterations`);
  },
};

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

function dotFree(
  a: Float64Array,
  b: Float64Array,
  active: (i: number) => boolean,
  n: number,
): number {
  let s = 0;
  for (let i = 0; i < n; i++) if (!active(i)) s += a[i] * b[i];
  return s;
}

function norm(a: Float64Array): number {
  return Math.sqrt(dot(a, a));
}
