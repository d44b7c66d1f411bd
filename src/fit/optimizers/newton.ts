import { forwardHessian } from "../fd-hessian.js";
import { cholesky, choleskySolve } from "../linalg.js";
import { lbfgsb } from "./lbfgsb.js";
import type { BoxProblem, OptimizeOptions, OptimizeResult, Optimizer } from "./types.js";
import { heldAtBound, JOINED_BASIN, project, projectedGradNorm } from "./types.js";

/**
 * Bounded Newton: the Hessian is the problem's own (exact from the law's second derivatives, else
 * forward differences of the analytic gradient), or forward differences here when the problem
 * gives none. Where it is positive
 * definite the Newton step is taken with a backtracking line search; otherwise (or if that fails)
 * it is damped Levenberg–Marquardt style, (H + μ·diag(H)) s = −g, with μ adapted by the ratio of
 * actual to predicted decrease (Nielsen 1999). Variables on a bound whose gradient pushes outward are held
 * fixed (active set), the rest take the step and are projected back into the box.
 *
 * Why not only quasi-Newton: scaling-law objectives are badly conditioned (cond ≈ 1e11 for the raw
 * Chinchilla parameters) and a Newton step is invariant to linear rescaling of the parameters, so it
 * reaches the optimum to machine precision in a few dozen gradient evaluations where L-BFGS stalls.
 * Cost per iteration: one gradient pass with an exact Hessian, k + 1 gradient evaluations with a
 * differenced one, for k free parameters.
 */
export const newton: Optimizer = {
  name: "newton",
  defaults: { maxIterations: 200, ftol: 1e-15, gtol: 0 },
  minimize(problem: BoxProblem, x0: Float64Array, options: OptimizeOptions = {}): OptimizeResult {
    const { lower, upper, valueGrad } = problem;
    const maxIterations = options.maxIterations ?? newton.defaults.maxIterations;
    const ftol = options.ftol ?? newton.defaults.ftol;
    const gtol = options.gtol ?? newton.defaults.gtol;
    const fatol = options.fatol ?? 0;
    const k = x0.length;
    const x = project(Float64Array.from(x0), lower, upper);
    const g = new Float64Array(k);
    let f = valueGrad(x, g);
    let evaluations = 1;
    if (!Number.isFinite(f))
      return done(x, f, g, 0, evaluations, "non-finite", "objective is not finite at the start");

    // Every buffer is allocated once per run (a fit runs hundreds of iterations on small k, where
    // allocating typed arrays cost more than the linear algebra); matrices use the leading m×m.
    const h = new Float64Array(k * k);
    const xn = new Float64Array(k);
    const gn = new Float64Array(k);
    const freeIdx = new Int32Array(k);
    const hf = new Float64Array(k * k);
    const fac = new Float64Array(k * k);
    const diag = new Float64Array(k);
    const step = new Float64Array(k);
    let mu = 1e-6;
    let nu = 2;
    let flat = 0;
    let rescues = 0;

    for (let it = 1; it <= maxIterations; it++) {
      // Free set: drop variables held at a bound by their gradient.
      let m = 0;
      for (let i = 0; i < k; i++) {
        if (heldAtBound(i, x, g, lower, upper)) continue;
        freeIdx[m++] = i;
      }
      const gnorm = projectedGradNorm(x, g, lower, upper);
      if (m === 0 || gnorm <= gtol) {
        return done(x, f, g, it - 1, evaluations, "converged", "projected gradient is zero");
      }
      evaluations += problem.hessian ? problem.hessian(x, h) : forwardHessian(valueGrad, x, g, h);
      for (let a = 0; a < m; a++)
        for (let b = 0; b < m; b++) hf[a * m + b] = h[freeIdx[a] * k + freeIdx[b]];
      let dmax = 0;
      for (let a = 0; a < m; a++) dmax = Math.max(dmax, Math.abs(hf[a * m + a]));
      for (let a = 0; a < m; a++) diag[a] = Math.max(Math.abs(hf[a * m + a]), 1e-12 * dmax, 1e-300);

      // Newton decrement at μ = 0 when H is positive definite: the exact-Newton prediction of how
      // much f can still fall. Below ftol·|f| nothing measurable is left.
      let accepted = false;
      fac.set(hf);
      if (cholesky(fac, m)) {
        const s0 = step;
        for (let a = 0; a < m; a++) s0[a] = -g[freeIdx[a]];
        choleskySolve(fac, m, s0);
        let dec = 0;
        for (let a = 0; a < m; a++) dec -= g[freeIdx[a]] * s0[a];
        if (dec * 0.5 <= ftol * Math.abs(f) + fatol) {
          return done(
            x,
            f,
            g,
            it - 1,
            evaluations,
            "converged",
            "Newton decrement below tolerance",
          );
        }
        // Pure Newton with backtracking first. The Huber objective is piecewise quadratic: a full
        // step that crosses a residual's ±δ kink disagrees with the model, which would make a trust
        // region shrink for good; a line search only shortens this one step.
        for (let t = 1; t > 1e-6 && !accepted; t *= 0.5) {
          xn.set(x);
          for (let a = 0; a < m; a++) xn[freeIdx[a]] += t * s0[a];
          project(xn, lower, upper);
          let lin = 0;
          for (let a = 0; a < m; a++) lin += g[freeIdx[a]] * (xn[freeIdx[a]] - x[freeIdx[a]]);
          // Above the Armijo bound the step is rejected whatever f is there exactly.
          const fn = valueGrad(xn, gn, f + 1e-4 * lin);
          evaluations++;
          if (Number.isFinite(fn) && lin < 0 && fn <= f + 1e-4 * lin) {
            accepted = true;
            flat = f - fn <= ftol * Math.abs(f) ? flat + 1 : 0;
            x.set(xn);
            f = fn;
            g.set(gn);
          }
        }
      }

      for (let tries = 0; tries < 30 && !accepted; tries++) {
        // Not positive definite, or Newton's direction failed: Levenberg–Marquardt damping.
        const a2 = fac;
        a2.set(hf);
        for (let a = 0; a < m; a++) a2[a * m + a] += mu * diag[a];
        if (!cholesky(a2, m)) {
          mu = Math.max(mu * nu, 1e-8);
          nu *= 2;
          continue;
        }
        const s = step;
        for (let a = 0; a < m; a++) s[a] = -g[freeIdx[a]];
        choleskySolve(a2, m, s);
        xn.set(x);
        for (let a = 0; a < m; a++) xn[freeIdx[a]] += s[a];
        project(xn, lower, upper);
        // Predicted decrease of the quadratic model along the projected step.
        let lin = 0;
        let quad = 0;
        for (let a = 0; a < m; a++) {
          const da = xn[freeIdx[a]] - x[freeIdx[a]];
          lin += g[freeIdx[a]] * da;
          for (let b = 0; b < m; b++) quad += da * hf[a * m + b] * (xn[freeIdx[b]] - x[freeIdx[b]]);
        }
        const predicted = -(lin + 0.5 * quad);
        // Above f the step is rejected and proves nothing, whatever f is there exactly.
        const fn = valueGrad(xn, gn, f);
        evaluations++;
        const actual = f - fn;
        if (Number.isFinite(fn) && predicted > 0 && actual >= 1e-4 * predicted) {
          const rho = actual / predicted;
          mu *= Math.max(1 / 3, 1 - (2 * rho - 1) ** 3);
          mu = Math.max(mu, 1e-15);
          nu = 2;
          accepted = true;
          flat = actual <= ftol * Math.abs(f) ? flat + 1 : 0;
          x.set(xn);
          f = fn;
          g.set(gn);
        } else if (
          Number.isFinite(fn) &&
          fn <= f &&
          mu <= 1e-6 &&
          predicted <= ftol * Math.abs(f)
        ) {
          // A nearly undamped model predicts nothing left to gain and f did not rise: we are at the
          // optimum to the precision the arithmetic allows. (A heavily damped step predicts little
          // whatever the gradient, so it proves nothing.)
          return done(x, f, g, it, evaluations, "converged", "no further decrease is predicted");
        } else {
          mu = Math.max(mu * nu, 1e-12);
          nu *= 2;
        }
      }
      if (!accepted && rescues < 20) {
        // Where the objective is piecewise linear (every Huber residual beyond ±δ and a law linear
        // in its search coordinates) the Hessian is zero and Newton has no step: a few
        // quasi-Newton iterations cross to a curved piece, then Newton resumes.
        rescues++;
        const r = lbfgsb.minimize(problem, x, { maxIterations: 100, ftol: 1e-12, gtol: 0 });
        evaluations += r.evaluations;
        if (r.f < f) {
          x.set(r.x);
          f = valueGrad(x, g);
          evaluations++;
          mu = 1e-6;
          nu = 2;
          accepted = true;
        }
      }
      if (!accepted) {
        // Newton, damped Newton and quasi-Newton steps all fail to decrease f: the remaining
        // decrease is below the arithmetic's resolution. Call it an optimum if first-order
        // optimality holds too: moving any search coordinate by ε changes f by at most
        // ε·1e-4·|f| to first order (flat directions of an unidentifiable law land here as well).
        const kappa = relativeGradient(x, g, lower, upper, f);
        return kappa <= 1e-4 || f <= fatol
          ? done(
              x,
              f,
              g,
              it,
              evaluations,
              "converged",
              `no step decreases the objective; relative gradient ${kappa.toExponential(1)}`,
            )
          : done(
              x,
              f,
              g,
              it,
              evaluations,
              "stalled",
              `no step decreased the objective; relative gradient ${kappa.toExponential(1)}`,
            );
      }
      if (options.stopEarly?.(x, f)) {
        return done(x, f, g, it, evaluations, "converged", JOINED_BASIN);
      }
      if (flat >= 3)
        return done(x, f, g, it, evaluations, "converged", "objective stopped decreasing");
    }
    return done(
      x,
      f,
      g,
      maxIterations,
      evaluations,
      "max-iterations",
      `stopped after ${maxIterations} iterations`,
    );

    function done(
      xf: Float64Array,
      ff: number,
      gf: Float64Array,
      iterations: number,
      evals: number,
      status: OptimizeResult["status"],
      message: string,
    ): OptimizeResult {
      return {
        x: xf,
        f: ff,
        iterations,
        evaluations: evals,
        gradNorm: Number.isFinite(ff) ? projectedGradNorm(xf, gf, lower, upper) : Infinity,
        status,
        message,
      };
    }
  },
};

/** max_j |g_j|·max(1, |x_j|) / |f| over components not held at a bound. */
function relativeGradient(
  x: Float64Array,
  g: Float64Array,
  lower: Float64Array,
  upper: Float64Array,
  f: number,
): number {
  let m = 0;
  for (let i = 0; i < x.length; i++) {
    if (heldAtBound(i, x, g, lower, upper)) continue;
    m = Math.max(m, Math.abs(g[i]) * Math.max(1, Math.abs(x[i])));
  }
  return f === 0 ? (m === 0 ? 0 : Infinity) : m / Math.abs(f);
}
