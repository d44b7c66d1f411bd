import type { Columns, Law } from "../laws/types.js";
import { forwardHessian } from "./fd-hessian.js";
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
  /**
   * Objective and its gradient with respect to u. With `cutoff`, returns Infinity as soon as the
   * objective is known to exceed it (a sum of ρ ≥ 0 only grows), leaving `grad` unspecified.
   */
  valueGrad(u: Float64Array, grad: Float64Array, cutoff?: number): number;
  /**
   * Hessian (k×k, row-major) of the objective's smooth piece at u: exact when the law gives its
   * second derivatives, else forward differences of the analytic gradient with each residual held
   * on the piece of ρ it occupies at u.
   * @returns the number of gradient evaluations used
   */
  hessian(u: Float64Array, out: Float64Array): number;
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
  const r0 = new Float64Array(n);
  const hg0 = new Float64Array(k);

  // The buffers (theta, pred, jac, res, hg0) describe `lastU` while `fresh`: Newton asks for the
  // Hessian at the point whose gradient it has just evaluated, so that pass need not be repeated.
  const lastU = new Float64Array(k);
  let fresh = false;
  const load = (u: Float64Array): void => {
    fresh = false;
    for (let a = 0; a < k; a++) {
      const j = free[a];
      theta[j] = isLog[j] ? Math.exp(u[a]) : u[a];
    }
  };
  const res = new Float64Array(n);
  /** Σρ over the predictions now in `pred`, leaving residuals in `res`; Infinity when any is unusable. */
  const sumRho = (): number => {
    let f = 0;
    for (let i = 0; i < n; i++) {
      const q = pred[i];
      if (!Number.isFinite(q) || (logSpace && !(q > 0))) return Infinity;
      const r = (logSpace ? Math.log(q) : q) - target[i];
      res[i] = r;
      f += objective.rho(r);
    }
    return Number.isFinite(f) ? f : Infinity;
  };
  const value = (u: Float64Array): number => {
    load(u);
    law.predict(theta, x, pred);
    return sumRho();
  };

  const rows: Rows = { n, p, logSpace, objective, pred, target, res, jac, dtheta };
  /** Objective and gradient at u; with `piece`, ρ′ is taken on the piece each residual had there. */
  const gradient = (
    u: Float64Array,
    grad: Float64Array,
    piece: Float64Array | null,
    cutoff = Infinity,
  ): number => {
    load(u);
    law.jacobian(theta, x, jac, pred);
    const f = p === 5 ? rowSums5(rows, piece, cutoff) : rowSums(rows, piece, cutoff);
    if (!Number.isFinite(f)) {
      grad.fill(Number.NaN);
      return Infinity;
    }
    for (let a = 0; a < k; a++) {
      const j = free[a];
      grad[a] = isLog[j] ? dtheta[j] * theta[j] : dtheta[j];
    }
    if (!piece) {
      lastU.set(u);
      hg0.set(grad);
      fresh = true;
    }
    return f;
  };

  const c1 = new Float64Array(n);
  const lawH = new Float64Array(p * p);
  const hTheta = new Float64Array(p * p);
  /**
   * Exact Hessian of the current piece at the point last passed to `gradient` (its pred, jac and
   * res are still in the buffers): Σ c2_i·J_iJ_iᵀ + Σ c1_i·∇²L̂_i, with c1 = ρ′·T′(L̂) and
   * c2 = ρ″·T′² + ρ′·T″ (T = ln: T′ = 1/L̂, T″ = −1/L̂²), then the chain rule to log coordinates.
   */
  const exactHessian = (out: Float64Array): number => {
    if (p === 5) curvature5(rows, c1, hTheta);
    else curvature(rows, c1, hTheta);
    (law as Required<Pick<Law, "weightedHessian">>).weightedHessian(theta, x, c1, lawH, jac);
    for (let a = 0; a < k; a++) {
      const ja = free[a];
      for (let b = a; b < k; b++) {
        const jb = free[b];
        const lo = Math.min(ja, jb);
        const hi = Math.max(ja, jb);
        let v = hTheta[lo * p + hi] + lawH[ja * p + jb];
        if (isLog[ja]) v *= theta[ja];
        if (isLog[jb]) v *= theta[jb];
        // d²f/du² for θ = e^u adds θ·∂f/∂θ on the diagonal.
        if (a === b && isLog[ja]) v += hg0[a];
        out[a * k + b] = v;
        out[b * k + a] = v;
      }
    }
    return 1;
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
    valueGrad(u, grad, cutoff) {
      return gradient(u, grad, null, cutoff);
    },
    hessian(u, out) {
      let evals = 0;
      if (!(fresh && u.every((v, a) => v === lastU[a]))) {
        evals = 1;
        if (!Number.isFinite(gradient(u, hg0, null))) {
          out.fill(0);
          return evals;
        }
      }
      if (law.weightedHessian) return evals + exactHessian(out);
      // Record which piece of ρ each residual is on at u, then difference the piece's gradient.
      r0.set(res);
      return evals + forwardHessian((ut, g) => gradient(ut, g, r0), u, hg0, out);
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

/**
 * The curvature weights of the rows left in the buffers by the last gradient pass, c1 = ρ′·T′(L̂)
 * into `c1` and the upper triangle of Σ_i c2_i·J_iJ_iᵀ into `out` (p×p), c2 = ρ″·T′² + ρ′·T″.
 * Rows with c2 = 0 and products with a zero factor c2_i·J_ia are skipped.
 */
function curvature(w: Rows, c1: Float64Array, out: Float64Array): void {
  const { n, p, logSpace, objective, pred, res, jac } = w;
  out.fill(0);
  for (let i = 0; i < n; i++) {
    const q = pred[i];
    const r = res[i];
    const d1 = objective.drho(r);
    const d2 = objective.d2rho(r);
    const t1 = logSpace ? 1 / q : 1;
    const c2 = logSpace ? d2 * t1 * t1 - d1 * t1 * t1 : d2;
    c1[i] = d1 * t1;
    if (c2 === 0) continue;
    const o = i * p;
    for (let a = 0; a < p; a++) {
      const ja = c2 * jac[o + a];
      if (ja === 0) continue;
      for (let b = a; b < p; b++) out[a * p + b] += ja * jac[o + b];
    }
  }
}

/**
 * {@link curvature} for five parameters (the Chinchilla law, most fits' law), its 15 sums in locals
 * rather than memory: the same operations in the same order, so the same bits.
 */
function curvature5(w: Rows, c1: Float64Array, out: Float64Array): void {
  const { n, logSpace, objective, pred, res, jac } = w;
  let h00 = 0;
  let h01 = 0;
  let h02 = 0;
  let h03 = 0;
  let h04 = 0;
  let h11 = 0;
  let h12 = 0;
  let h13 = 0;
  let h14 = 0;
  let h22 = 0;
  let h23 = 0;
  let h24 = 0;
  let h33 = 0;
  let h34 = 0;
  let h44 = 0;
  for (let i = 0; i < n; i++) {
    const q = pred[i];
    const r = res[i];
    const d1 = objective.drho(r);
    const d2 = objective.d2rho(r);
    const t1 = logSpace ? 1 / q : 1;
    const ci = logSpace ? d2 * t1 * t1 - d1 * t1 * t1 : d2;
    c1[i] = d1 * t1;
    if (ci === 0) continue;
    const o = i * 5;
    const j0 = jac[o];
    const j1 = jac[o + 1];
    const j2 = jac[o + 2];
    const j3 = jac[o + 3];
    const j4 = jac[o + 4];
    const a0 = ci * j0;
    if (a0 !== 0) {
      h00 += a0 * j0;
      h01 += a0 * j1;
      h02 += a0 * j2;
      h03 += a0 * j3;
      h04 += a0 * j4;
    }
    const a1 = ci * j1;
    if (a1 !== 0) {
      h11 += a1 * j1;
      h12 += a1 * j2;
      h13 += a1 * j3;
      h14 += a1 * j4;
    }
    const a2 = ci * j2;
    if (a2 !== 0) {
      h22 += a2 * j2;
      h23 += a2 * j3;
      h24 += a2 * j4;
    }
    const a3 = ci * j3;
    if (a3 !== 0) {
      h33 += a3 * j3;
      h34 += a3 * j4;
    }
    const a4 = ci * j4;
    if (a4 !== 0) h44 += a4 * j4;
  }
  out.fill(0);
  out[0] = h00;
  out[1] = h01;
  out[2] = h02;
  out[3] = h03;
  out[4] = h04;
  out[6] = h11;
  out[7] = h12;
  out[8] = h13;
  out[9] = h14;
  out[12] = h22;
  out[13] = h23;
  out[14] = h24;
  out[18] = h33;
  out[19] = h34;
  out[24] = h44;
}

/** The buffers a gradient pass reads and fills. */
interface Rows {
  readonly n: number;
  readonly p: number;
  readonly logSpace: boolean;
  readonly objective: Objective;
  readonly pred: Float64Array;
  readonly target: Float64Array;
  /** Residuals, written. */
  readonly res: Float64Array;
  readonly jac: Float64Array;
  /** Σ_i ρ′_i·T′(L̂_i)·J_i, written. */
  readonly dtheta: Float64Array;
}

/**
 * Σρ over the predictions in `pred` (Infinity when any is unusable), with the residuals left in
 * `res` and the gradient in θ in `dtheta`, in one pass: each row's residual, ρ and ρ′ feed the sums
 * while they are in registers. With `piece`, ρ′ is taken on the piece each residual had there.
 * Infinity too once the partial sum passes `cutoff`: the terms are ≥ 0 and rounding is monotone, so
 * the whole sum would pass it as well (a rejected trial step need not be summed to the end).
 */
function rowSums(w: Rows, piece: Float64Array | null, cutoff: number): number {
  const { n, p, logSpace, objective, pred, target, res, jac, dtheta } = w;
  dtheta.fill(0);
  let f = 0;
  for (let i = 0; i < n; i++) {
    const q = pred[i];
    if (!Number.isFinite(q) || (logSpace && !(q > 0))) return Infinity;
    const r = (logSpace ? Math.log(q) : q) - target[i];
    res[i] = r;
    f += objective.rho(r);
    if (f > cutoff) return Infinity;
    const dr = piece ? objective.drhoPiece(r, piece[i]) : objective.drho(r);
    const d = logSpace ? dr / q : dr;
    if (d === 0) continue;
    const o = i * p;
    for (let j = 0; j < p; j++) dtheta[j] += d * jac[o + j];
  }
  return Number.isFinite(f) ? f : Infinity;
}

/** {@link rowSums} for five parameters, the gradient's sums in locals: the same bits, faster. */
function rowSums5(w: Rows, piece: Float64Array | null, cutoff: number): number {
  const { n, logSpace, objective, pred, target, res, jac, dtheta } = w;
  let g0 = 0;
  let g1 = 0;
  let g2 = 0;
  let g3 = 0;
  let g4 = 0;
  let f = 0;
  for (let i = 0; i < n; i++) {
    const q = pred[i];
    if (!Number.isFinite(q) || (logSpace && !(q > 0))) return Infinity;
    const r = (logSpace ? Math.log(q) : q) - target[i];
    res[i] = r;
    f += objective.rho(r);
    if (f > cutoff) return Infinity;
    const dr = piece ? objective.drhoPiece(r, piece[i]) : objective.drho(r);
    const d = logSpace ? dr / q : dr;
    if (d === 0) continue;
    const o = i * 5;
    g0 += d * jac[o];
    g1 += d * jac[o + 1];
    g2 += d * jac[o + 2];
    g3 += d * jac[o + 3];
    g4 += d * jac[o + 4];
  }
  dtheta[0] = g0;
  dtheta[1] = g1;
  dtheta[2] = g2;
  dtheta[3] = g3;
  dtheta[4] = g4;
  return Number.isFinite(f) ? f : Infinity;
}
