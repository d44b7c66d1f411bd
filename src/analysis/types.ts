import type { Forecast, ForecastSpec } from "../estimate/forecast.js";

/** The experiments of HITCHHIKER_SPEC §3.2–3.4, by their `--experiment` names. */
export const EXPERIMENTS = [
  "grid",
  "window",
  "number-vs-size",
  "no-cut",
  "end-of-training",
  "borrow",
  "baselines",
  "scale-down",
  "bad-model",
  "params",
  "self-prediction",
] as const;
export type ExperimentName = (typeof EXPERIMENTS)[number];

export type ProtocolName = "default" | "paper";

/** One forecast to make: plain data, so it can be sent to a worker thread. */
export interface Cell {
  readonly experiment: ExperimentName;
  readonly protocol: ProtocolName;
  /** The forecast; its `fit` holds only cloneable options (no clock). */
  readonly spec: ForecastSpec;
  /** Requested number of training models (grid rows), or null. */
  readonly k: number | null;
  /** `baselines`: score the no-fit baselines instead of fitting. */
  readonly noFit?: boolean;
  /** `bad-model`: the smaller model left out, whose own last 30% is also predicted. */
  readonly heldOut?: string;
  /** `end-of-training`: m, the window's lower end as a fraction of 0.7·T. */
  readonly m?: number;
}

/** A unit of work and of resumption: every cell of one experiment × family × protocol. */
export interface Chunk {
  /** File-safe id, `grid__OPT__paper`. */
  readonly id: string;
  readonly experiment: ExperimentName;
  readonly family: string;
  readonly protocol: ProtocolName;
  readonly cells: readonly Cell[];
}

/**
 * What became of one row: the forecast's status (a fit status, or `no-data`, `no-test`, `failed`),
 * `baseline` for a no-fit baseline, `invalid` for a cell the family cannot take.
 */
export type ResultStatus = Forecast["status"] | "baseline" | "invalid";

/** One tidy result row: a fit (or baseline) with its settings, cost, parameters, status and ARE. */
export interface ResultRow {
  experiment: ExperimentName;
  protocol: ProtocolName;
  family: string;
  target: string;
  targetParams: number;
  k: number | null;
  fraction: number;
  minTokens: number;
  m: number | null;
  heldOut: string | null;
  baseline: string | null;
  /** Distinct sizes in the training rows: the paper's "#Train models". */
  trainModels: number;
  models: string;
  rows: number;
  largest: string | null;
  largestParams: number;
  scaleUp: number;
  flops: number;
  status: ResultStatus;
  error: string | null;
  are: number;
  areFinal: number;
  predicted: number;
  actual: number;
  /** `bad-model`: ARE on the held-out model's own last 30%. */
  heldOutAre: number | null;
  E: number;
  A: number;
  B: number;
  alpha: number;
  beta: number;
  objective: number;
  fitMs: number | null;
}

/** Columns of {@link ResultRow} in table order. */
export const RESULT_COLUMNS: readonly (keyof ResultRow)[] = [
  "experiment",
  "protocol",
  "family",
  "target",
  "targetParams",
  "k",
  "fraction",
  "minTokens",
  "m",
  "heldOut",
  "baseline",
  "trainModels",
  "models",
  "rows",
  "largest",
  "largestParams",
  "scaleUp",
  "flops",
  "status",
  "error",
  "are",
  "areFinal",
  "predicted",
  "actual",
  "heldOutAre",
  "E",
  "A",
  "B",
  "alpha",
  "beta",
  "objective",
  "fitMs",
];

/** Progress of a long analysis, for a bar or log lines. */
export interface Progress {
  readonly doneCells: number;
  readonly totalCells: number;
  readonly doneChunks: number;
  readonly totalChunks: number;
  /** The chunk that just finished. */
  readonly chunk: string;
}
