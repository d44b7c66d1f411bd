import { InputError } from "../errors.js";
/**
 * The observations a law reads, one entry per row. Every column is filled:
 * loaders derive `tokens` or `flops` when a file lacks them.
 */
export interface Columns {
  /** Model size N (parameters). */
  readonly params: Float64Array;
  /** Tokens seen D at this checkpoint. */
  readonly tokens: Float64Array;
  /** Training compute C in FLOPs (6·N·D unless the data says otherwise). */
  readonly flops: Float64Array;
  /**
   * Unique tokens U available for training (D/U is the number of epochs). Optional: only
   * data-constrained laws read it, and they take U = D (no repetition) when it is absent.
   */
  readonly uniqueTokens?: Float64Array;
  /** ln of each column, computed once: every law works in logs and a fit calls it thousands of times. */
  readonly ln: {
    readonly params: Float64Array;
    readonly tokens: Float64Array;
    readonly flops: Float64Array;
  };
}

/**
 * The raw columns a caller supplies; {@link makeColumns} adds the logs. Its keys are the columns
 * every table has (a law's `inputs`, `power --x`); the optional `uniqueTokens` rides beside them.
 */
export type RawColumns = Pick<Columns, "params" | "tokens" | "flops">;

/**
 * Builds law input columns; `flops` defaults to 6·N·D (Kaplan et al. 2020, §2.1). `uniqueTokens`
 * is kept only when given.
 */
export function makeColumns(
  params: ArrayLike<number>,
  tokens: ArrayLike<number>,
  flops?: ArrayLike<number>,
  uniqueTokens?: ArrayLike<number>,
): Columns {
  const p = Float64Array.from(params);
  const t = Float64Array.from(tokens);
  const f = flops ? Float64Array.from(flops) : p.map((v, i) => 6 * v * t[i]);
  const ln = { params: p.map(Math.log), tokens: t.map(Math.log), flops: f.map(Math.log) };
  return uniqueTokens
    ? { params: p, tokens: t, flops: f, uniqueTokens: Float64Array.from(uniqueTokens), ln }
    : { params: p, tokens: t, flops: f, ln };
}

/**
 * How the optimizer sees a parameter. `log` parameters are searched as ln(value), which makes
 * coefficients spanning many orders of magnitude (A ≈ 500, B ≈ 2000) well scaled.
 */
export type Scale = "log" | "linear";

/** One parameter of a law. */
export interface ParamSpec {
  /** Name as printed and as accepted by `--fix` (e.g. `alpha`). */
  readonly name: string;
  /** Lower bound in natural units (inclusive). */
  readonly lower: number;
  /** Upper bound in natural units (inclusive). */
  readonly upper: number;
  /** Search coordinate: `log` requires lower > 0 or lower = 0 treated as open. */
  readonly scale: Scale;
  /** True when the prediction is linear in this parameter (a variable-projection coefficient). */
  readonly linear: boolean;
  /**
   * For a linear parameter: the nonlinear parameters its basis column depends on (e.g. A·N^-α
   * depends on alpha only). Lets the grid reuse columns and Gram entries across grid points; when
   * absent the column is assumed to depend on every nonlinear parameter.
   */
  readonly basisDependsOn?: readonly string[];
  /** Values tried for a nonlinear parameter in the variable-projection grid. */
  readonly grid?: readonly number[];
  /** One-line meaning, shown in summaries. */
  readonly doc: string;
}

/**
 * A scaling law L(N, D, C; θ). Implementations are pure and allocation-free in `predict` and
 * `jacobian`, so the fitter can call them thousands of times per fit.
 */
export interface Law {
  /** Registry name, e.g. `chinchilla`. */
  readonly name: string;
  /** The formula in plain text. */
  readonly formula: string;
  /** Where the form comes from. */
  readonly reference: string;
  /** Parameters in the order of θ. */
  readonly params: readonly ParamSpec[];
  /** Which column(s) the law reads, for summaries and validation. */
  readonly inputs: readonly (keyof RawColumns)[];
  /** out[i] = L̂(x_i; θ). */
  predict(theta: Float64Array, x: Columns, out: Float64Array): void;
  /**
   * out[i·p + j] = ∂L̂(x_i)/∂θ_j, with p = params.length. When `pred` is given, also writes L̂(x_i)
   * there: the terms are shared, and the fitter always needs both.
   */
  jacobian(theta: Float64Array, x: Columns, out: Float64Array, pred?: Float64Array): void;
  /**
   * Optional: out (p×p) = Σ_i w_i ∇²L̂(x_i; θ), the weighted sum of the rows' second derivatives.
   * With it the fitter builds the exact Hessian in one pass instead of p extra gradients. `jac`,
   * when given, is this law's `jacobian` at the same θ, for terms the two share.
   */
  weightedHessian?(
    theta: Float64Array,
    x: Columns,
    w: Float64Array,
    out: Float64Array,
    jac?: Float64Array,
  ): void;
  /**
   * For laws with linear parameters: out[i·m + k] = φ_k(x_i; θ), the basis multiplying the k-th
   * linear parameter (in `params` order), so that L̂ = Σ_k θ_lin(k) · φ_k. Only the nonlinear
   * entries of θ are read.
   */
  basis?(theta: Float64Array, x: Columns, out: Float64Array): void;
  /**
   * Starting points (natural units) for laws that a variable-projection grid cannot seed, e.g.
   * Kaplan's forms, computed from the data by closed-form regressions.
   */
  starts?(x: Columns, loss: Float64Array): Float64Array[];
}

/**
 * A law's parameter vector, checked: `count` finite numbers in the law's order. Functions that
 * take θ call this so that passing a whole fit result (an object with `theta` and `params`) is
 * refused with the call to make instead of silently computing NaN.
 * @param caller the function's name, for the message
 * @throws InputError for a fit result, a wrong length or a non-finite entry
 */
export function lawParameters(theta: unknown, count: number, caller: string): Float64Array {
  if (theta && typeof theta === "object" && "theta" in theta && "law" in theta) {
    throw new InputError(`${caller} takes the law's parameter vector, not a whole fit result`, {
      field: "theta",
      hint: `pass result.theta, e.g. ${caller}(result.theta, …)`,
    });
  }
  const v =
    theta && typeof theta === "object" && typeof (theta as ArrayLike<number>).length === "number"
      ? Float64Array.from(theta as ArrayLike<number>)
      : undefined;
  if (!v || v.length !== count || !v.every(Number.isFinite)) {
    throw new InputError(`${caller} takes ${count} finite parameters in the law's order`, {
      field: "theta",
      hint: "e.g. [E, A, B, alpha, beta] for the chinchilla law",
    });
  }
  return v;
}
