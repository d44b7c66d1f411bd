import type { FitData } from "../data/fitdata.js";
import type { Law, RawColumns } from "../laws/types.js";

export type { FitData };

/**
 * What {@link fit} accepts: any array-like columns (`number[]`, `Float64Array`). Only the law's
 * inputs and `loss` are required; `flops` defaults to 6·N·D when `params` and `tokens` are given.
 */
export interface FitInput {
  readonly params?: ArrayLike<number>;
  readonly tokens?: ArrayLike<number>;
  readonly flops?: ArrayLike<number>;
  readonly loss: ArrayLike<number>;
  readonly uniqueTokens?: ArrayLike<number>;
  readonly run?: ArrayLike<number>;
}

/** How starting points are chosen. */
/** `given`: only `extraStarts` (one-start protocols such as the Hitchhiker paper's curve_fit). */
export type StartsName = "vp-grid" | "epoch-grid" | "given";

/** Options of {@link fit}; every field has a default. */
export interface FitOptions {
  /** Law name or object; defaults to `chinchilla`. */
  law?: string | Law;
  /** Column for the `power` law; defaults to `params`. */
  column?: keyof RawColumns;
  /** Objective name; defaults to `huber-log`. */
  objective?: string;
  /** Huber δ on log residuals; defaults to 1e-3. */
  delta?: number;
  /** Over-estimate weight of `asymmetric-log`; defaults to 4. */
  overWeight?: number;
  /** Parameters held at given values (natural units), e.g. `{ alpha: 0.34 }`. */
  fix?: Readonly<Record<string, number>>;
  /** Local optimizer run from each start; defaults to `newton` (`lbfgsb` with the Epoch grid). */
  optimizer?: string;
  /** Start strategy; defaults to `vp-grid`. */
  starts?: StartsName;
  /** How many of the best grid points are refined; defaults to 5 (every point for `epoch-grid`). */
  refine?: number;
  /** Extra starting points (natural units, all parameters), e.g. a previous optimum. */
  extraStarts?: readonly ArrayLike<number>[];
  /**
   * Rows above which the start search (and the runs from each start) use an evenly spaced subset of
   * 20,000 rows, and only the optima found there are refined on all rows; defaults to 100,000.
   * `Infinity` searches on all rows.
   */
  searchRows?: number;
  /**
   * Rows of that subset: every k-th row, k = ⌈n / subsetRows⌉; defaults to 20,000. With
   * `searchRows: 1000, subsetRows: 350` medium tables (GPT-3's 1–12k rows) search on ~350 rows: over
   * `analyze`'s 3,086 fits the same objective to 1e-14 for 11–18% less CPU, but an unidentified fit
   * (a flat valley) stops elsewhere on its valley, so forecasts made from it change; hence not the
   * default (bench/README.md, "What a faster optimizer would buy analyze").
   */
  subsetRows?: number;
  /** Polish the best point with Newton so it reaches the optimum to machine precision; defaults to true. */
  polish?: boolean;
  /** Iteration cap per local run. */
  maxIterations?: number;
  /** Relative objective tolerance of the local runs. */
  ftol?: number;
  /** Projected-gradient tolerance of the local runs. */
  gtol?: number;
  /** Clock for `timing`; the numeric core reads no clock of its own. */
  now?: () => number;
}

/** Why a fit stopped. `bound-hit`: converged, but a parameter sits on a bound (see the message). */
export type FitStatus = "converged" | "max-iterations" | "bound-hit" | "non-finite" | "stalled";

/** Everything needed to reproduce a fit. */
export interface FitChoices {
  readonly law: string;
  readonly formula: string;
  readonly objective: string;
  readonly objectiveSettings: Readonly<Record<string, number>>;
  readonly space: "log" | "loss";
  readonly optimizer: string;
  readonly starts: StartsName;
  readonly startsTried: number;
  readonly startsRefined: number;
  readonly polish: boolean;
  readonly tolerances: {
    readonly maxIterations: number;
    readonly ftol: number;
    readonly gtol: number;
  };
  readonly fixed: Readonly<Record<string, number>>;
  readonly bounds: Readonly<Record<string, readonly [number, number]>>;
  /** Rows of the evenly spaced subset the starts were searched on (large tables only). */
  readonly searchSubset?: number;
}

/** The outcome of a fit: a status, never an exception or a NaN. */
export interface FitResult {
  readonly law: Law;
  /** Fitted (and fixed) parameters by name, natural units. */
  readonly params: Readonly<Record<string, number>>;
  /** The same, in the law's parameter order. */
  readonly theta: Float64Array;
  readonly objective: { readonly name: string; readonly value: number };
  readonly status: FitStatus;
  readonly statusMessage: string;
  readonly iterations: number;
  readonly evaluations: number;
  /** ∞-norm of the projected gradient in search coordinates at the returned point. */
  readonly gradNorm: number;
  /** Number of observations fitted. */
  readonly n: number;
  readonly choices: FitChoices;
  /**
   * How well the data pin the free parameters down at the optimum: the condition number of the
   * Hessian scaled to unit diagonal (Infinity when singular), and the parameters that move together
   * along its flattest direction. Null when there was no optimum to examine.
   */
  readonly identifiability: {
    readonly condition: number;
    readonly weakest: readonly string[];
  } | null;
  /** Things a reader should know that the status does not say (e.g. unidentified parameters). */
  readonly warnings: readonly string[];
  readonly timing?: { readonly fitMs: number };
}
