import type { Columns, Law } from "../laws/types.js";
import type { Objective } from "./objectives/types.js";

/**
 * A fit problem in the optimizer's coordinates: the free parameters only, each in its search
 * scale (ln for `log` parameters), with box bounds. Buffers are allocated once, so evaluating the
 * objective allocates nothing.
 */
export interface Problem {
  readonly law: Law;
  readonly objective: Objective;
  readonly x: Columns;
  readonly loss: Float64Array;
  /** Indices into law.params of the parameters being fitted. */
  readonly free: Int32Array;
  /** Full natural parameter vector; fixed entries hold their fixed values. */
  readonly base: Float64Array;
  readonly lower: Float64Array;
  readonly upper: Float64Array;
  /** Objective at internal point u (Infinity when the law is not finite or not positive). */
  value(u: Float64Array): number;
  /** Objective and its gradient with respect to u. */
  valueGrad(u: Float64Array, grad: Float64Array): number;
  /** Natural parameter vector (all parameters) for internal point u. */
  natural(u: Float64Array): Float64Array;
  /** Internal point for a natural parameter vector (all parameters). */
  internal(theta: ArrayLike<number>): Float64Array;
}

/** Builds the problem; `fixed[j]` is the value of parameter j or NaN when it is free. */
export function makeProblem(
  law: Law,
  objective: Objective,
  x: Columns,
  loss: Float64Array,
  fixed: Float64Array,
): Problem {
  const n = loss.length;
  const p = law.params.length;
  const freeList: number[] = [];
  for (let j = 0; j < p; j++) if (Number.isNaN(fixed[j])) freeList.push(j);
  const free = Int32Array.from(freeList);
  const k = free.length;
  const isLog = law.params.map((s) => s.scale === "log");
  const lower = new Float64Array(k);
  const upper = new Float64Array(k);
  free.forEach((j, a) => {
    const s = law.params[j];
    lower[a] = isLog[j] ? (s.lower > 0 ? Math.log(s.lower) : -Infinity) : s.lower;
    upper[a] = isLog[j] ? Math.log(s.upper) : s.upper;
  });
  const logSpace = objective.space === "log";
  const target = logSpace ? loss.map(Math.log) : loss;
  const theta = Float64Array.from(fixed, (v) => (Number.isNaN(v) ? 0 : v));
  const base = Float64Array.from(theta);
  const pred = new Float64Array(n);
  const jac = new Float64Array(n * p);
  const dtheta = new Float64Array(p);

  const load = (u: Float64Array): void => {
    for (let a = 0; a < k; a++) {
      const j = free[a];
      theta[j] = isLog[j] ? Math.exp(u[a]) : u[a];
    }
  };
  const value = (u: Float64Array): number => {
    load(u);
    law.predict(theta, x, pred);
    let f = 0;
    for (let i = 0; i < n; i++) {
      const q = pred[i];
      if (!(q > 0) || !Number.isFinite(q)) {
        if (logSpace || !Number.isFinite(q)) return Infinity;
      }
      f += objective.rho((logSpace ? Math.log(q) : q) - target[i]);
    }
    return Number.isFinite(f) ? f : Infinity;
  };

  return {
    law,
    objective,
    x,
    loss,
    free,
    base,
    lower,
    upper,
    value,
    valueGrad(u, grad) {
      const f = value(u);
      if (!Number.isFinite(f)) {
        grad.fill(Number.NaN);
        return Infinity;
      }
      law.jacobian(theta, x, jac);
      dtheta.fill(0);
      for (let i = 0; i < n; i++) {
        const q = pred[i];
        const d = logSpace
          ? objective.drho(Math.log(q) - target[i]) / q
          : objective.drho(q - target[i]);
        if (d === 0) continue;
        const o = i * p;
        for (let j = 0; j < p; j++) dtheta[j] += d * jac[o + j];
      }
      for (let a = 0; a < k; a++) {
        const j = free[a];
        grad[a] = isLog[j] ? dtheta[j] * theta[j] : dtheta[j];
      }
      return f;
    },
    natural(u) {
      load(u);
      return Float64Array.from(theta);
    },
    internal(t) {
      const u = new Float64Array(k);
      for (let a = 0; a < k; a++) {
        const j = free[a];
        u[a] = isLog[j] ? Math.log(Math.max(t[j], Number.MIN_VALUE)) : t[j];
      }
      return u;
    },
  };
}
