/**
 * f(x) with its gradient written into `grad`; returns Infinity where f is undefined. With `cutoff`
 * it may also return Infinity (and leave `grad` unspecified) once f is known to exceed the cutoff:
 * a trial step that cannot be accepted need not be evaluated in full.
 */
export type ValueGrad = (x: Float64Array, grad: Float64Array, cutoff?: number) => number;

/** A box-constrained minimisation problem. */
export interface BoxProblem {
  readonly valueGrad: ValueGrad;
  /** Optional Hessian (k×k) at x; returns gradient evaluations used. Newton differences the gradient otherwise. */
  readonly hessian?: (x: Float64Array, out: Float64Array) => number;
  readonly lower: Float64Array;
  readonly upper: Float64Array;
}

/** Stopping rules shared by the optimizers. */
export interface OptimizeOptions {
  /** Iteration cap; defaults differ per optimizer. */
  maxIterations?: number;
  /**
   * Relative objective tolerance: stop when the predicted or achieved decrease is below
   * ftol·max(|f|, 1e-300). Defaults to 1e-15 for Newton, 2.2e-9 for L-BFGS-B (scipy's factr 1e7).
   */
  ftol?: number;
  /** Projected-gradient tolerance (∞-norm); defaults to 1e-5 for L-BFGS-B as in scipy, 0 for Newton. */
  gtol?: number;
  /**
   * Absolute objective floor: an objective this small is an exact fit to working precision (its
   * relative tests are meaningless at f ≈ 0). Defaults to 0.
   */
  fatol?: number;
  /**
   * Called after each accepted iteration; returning true ends the run early with status
   * `converged` (used to stop a start that has entered the basin of an optimum already found).
   */
  stopEarly?: (x: Float64Array, f: number) => boolean;
}

/** The message of a run ended by `stopEarly`. */
export const JOINED_BASIN = "joined the basin of an optimum already found";

/** Why an optimizer stopped. */
export type OptimizeStatus = "converged" | "max-iterations" | "non-finite" | "stalled";

/** What an optimizer returns: never NaN; a failure is a status, not an exception. */
export interface OptimizeResult {
  readonly x: Float64Array;
  readonly f: number;
  readonly iterations: number;
  readonly evaluations: number;
  /** ∞-norm of the projected gradient at x. */
  readonly gradNorm: number;
  readonly status: OptimizeStatus;
  readonly message: string;
}

/** An optimizer: minimises from x0 inside the box. */
export interface Optimizer {
  readonly name: string;
  /** Stopping rules used when the options leave them out (recorded in every fit). */
  readonly defaults: {
    readonly maxIterations: number;
    readonly ftol: number;
    readonly gtol: number;
  };
  minimize(problem: BoxProblem, x0: Float64Array, options?: OptimizeOptions): OptimizeResult;
}

/** Clamps x into [lower, upper] in place. */
export function project(x: Float64Array, lower: Float64Array, upper: Float64Array): Float64Array {
  for (let i = 0; i < x.length; i++) x[i] = Math.min(upper[i], Math.max(lower[i], x[i]));
  return x;
}

/**
 * True when x_i sits on a bound and the gradient pushes it outward: the variable is held there
 * (active), since no feasible step along it can reduce f.
 */
export function heldAtBound(
  i: number,
  x: Float64Array,
  g: Float64Array,
  lower: Float64Array,
  upper: Float64Array,
): boolean {
  return (x[i] <= lower[i] && g[i] > 0) || (x[i] >= upper[i] && g[i] < 0);
}

/**
 * Projected gradient ∞-norm: components pushing out of an active bound do not count, since no
 * feasible step can reduce f along them.
 */
export function projectedGradNorm(
  x: Float64Array,
  g: Float64Array,
  lower: Float64Array,
  upper: Float64Array,
): number {
  let m = 0;
  for (let i = 0; i < x.length; i++) {
    if (heldAtBound(i, x, g, lower, upper)) continue;
    m = Math.max(m, Math.abs(g[i]));
  }
  return m;
}
