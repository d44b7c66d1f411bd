import { toFitData } from "../data/fitdata.js";
import type { RunTable } from "../data/types.js";
import { InputError } from "../errors.js";
import { fit, predictLoss } from "../fit/fit.js";
import type { FitData, FitOptions, FitResult, FitStatus } from "../fit/types.js";
import { meanRelativeError, meanSquaredError } from "./are.js";
import { type Baselines, baselines } from "./baselines.js";
import { PROTOCOLS, type ProtocolRules } from "./protocol.js";
import {
  chooseModels,
  chooseTarget,
  type Family,
  type FamilyModel,
  familyOf,
  sameSizeRuns,
  type TrainingModels,
} from "./selection.js";

/** The paper's recommended early cut: drop checkpoints with at most 10B tokens (Choshen et al. 2025, §6.1). */
export const DEFAULT_MIN_TOKENS = 1e10;
/** The test set starts at this fraction of the target's tokens: its last 30% (HITCHHIKER_SPEC §3.1). */
export const TEST_FROM = 0.7;

/** What to forecast and from what; every field but `family` has a default. */
export interface ForecastSpec {
  readonly family: string;
  /** Metric to fit; defaults to the family's most common one. */
  readonly metric?: string;
  /** Target model; defaults to the largest (the smallest with `scaleDown`). */
  readonly target?: string;
  /** Predict the smallest model from larger ones (App. C). */
  readonly scaleDown?: boolean;
  /** Training models; defaults to every model smaller (larger, with `scaleDown`) than the target. */
  readonly train?: TrainingModels;
  /** Fraction p of training kept: checkpoints with D < p·T; defaults to 1. */
  readonly fraction?: number;
  /** Lower end of the kept window as a fraction of T (end-of-training subsets); defaults to 0. */
  readonly fromFraction?: number;
  /** Early cut c: only checkpoints with D > c; defaults to 1e10. */
  readonly minTokens?: number;
  /** Also fit on the target's own checkpoints up to p of its run (§5.1). */
  readonly partialTarget?: boolean;
  /** Apply the early cut to the test set too (every experiment but the main grid). */
  readonly cutTest?: boolean;
  /** `default` or `paper` (see {@link PROTOCOLS}); defaults to `default`. */
  readonly protocol?: "default" | "paper";
  /** Fit options (law, objective, fix, …) over the protocol's. */
  readonly fit?: FitOptions;
}

/** A forecast's outcome: the fit, the test points, ARE, and the no-fit baselines. */
export interface Forecast {
  readonly family: string;
  readonly metric: string;
  readonly protocol: "default" | "paper";
  readonly target: { readonly model: string; readonly params: number; readonly maxTokens: number };
  readonly train: TrainSummary;
  readonly fraction: number;
  readonly minTokens: number;
  /** `no-data`: nothing left to fit after filtering; `no-test`: the target has no test points; `failed`: the fit refused the data. */
  readonly status: FitStatus | "no-data" | "no-test" | "failed";
  readonly error: string | null;
  readonly fit: FitResult | null;
  readonly test: {
    readonly tokens: number[];
    readonly actual: number[];
    readonly predicted: number[];
  };
  /** Prediction and truth at the target's final checkpoint. */
  readonly predicted: number;
  readonly actual: number;
  /** Mean |L − L̂|/L over the test set, as a fraction. */
  readonly are: number;
  readonly areFinal: number;
  readonly mse: number;
  readonly baselines: Baselines;
}

/** What the fit was trained on: the paper's cost and scale columns. */
export interface TrainSummary {
  readonly models: string[];
  readonly rows: number;
  /** Distinct sizes actually present after filtering (the paper's "#Train models"). */
  readonly sizes: number;
  readonly largest: string | null;
  readonly largestParams: number;
  /** N_target / N_largest-training-model. */
  readonly scaleUp: number;
  /** Σ flops over the training rows: the paper's cost proxy. */
  readonly flops: number;
  /** Runs of the target's size left out of training (an LR sweep, other seeds). */
  readonly excluded: string[];
  /** Training runs chosen but without a checkpoint past the early cut (or in the fraction kept). */
  readonly dropped: string[];
}

/** A forecast resolved to rows, before fitting; {@link evaluateForecast} scores a fit on it. */
export interface PreparedForecast {
  readonly spec: ForecastSpec;
  readonly rules: ProtocolRules;
  readonly family: Family;
  readonly target: FamilyModel;
  readonly models: FamilyModel[];
  readonly trainRows: number[];
  readonly testRows: number[];
  readonly data: FitData & { runNames: string[] };
  readonly fitOptions: FitOptions;
}

/**
 * Resolves a forecast: family, target, training models and the rows each contributes.
 * @throws InputError for an unknown family, target or model, or a bad fraction
 */
export function prepareForecast(
  table: RunTable,
  spec: ForecastSpec,
  family = familyOf(table, spec.family, spec.metric),
): PreparedForecast {
  const p = spec.fraction ?? 1;
  if (!(p > 0 && p <= 1))
    throw new InputError(`fraction must be in (0, 1], got ${p}`, { field: "fraction" });
  const rules = PROTOCOLS[spec.protocol ?? "default"];
  const target = chooseTarget(family, spec.target, spec.scaleDown);
  const train = spec.train ?? { kind: spec.scaleDown ? "largest" : "smallest" };
  const models =
    train.kind === "list" && train.models.length === 0 ? [] : chooseModels(family, target, train);
  const c = spec.minTokens ?? DEFAULT_MIN_TOKENS;
  const lo = spec.fromFraction ?? 0;
  const jointT = Math.max(0, ...models.map((m) => m.maxTokens));
  const keep = (D: number, T: number) =>
    D > c && D >= lo * T && (rules.strict ? D < p * T : D <= p * T);
  const trainRows: number[] = [];
  for (const m of models) {
    const T = rules.jointT ? jointT : m.maxTokens;
    for (const r of m.rows) if (keep(table.tokens[r], T)) trainRows.push(r);
  }
  if (spec.partialTarget)
    for (const r of target.rows) if (keep(table.tokens[r], target.maxTokens)) trainRows.push(r);
  const testRows = target.rows.filter(
    (r) =>
      table.tokens[r] >= TEST_FROM * target.maxTokens && (!spec.cutTest || table.tokens[r] > c),
  );
  // Built when first read: a scheduler that only asks which rows a forecast fits never needs it.
  let data: PreparedForecast["data"] | undefined;
  return {
    spec,
    rules,
    family,
    target,
    models,
    trainRows,
    testRows,
    get data() {
      data ??= toFitData(table, trainRows);
      return data;
    },
    fitOptions: { ...rules.fit, ...defined(spec.fit ?? {}) },
  };
}

/**
 * Forecasts the target's loss from the training models and scores it: fits the law on the training
 * rows, predicts the target's last 30% of tokens, and reports ARE and the no-fit baselines. Never
 * throws on data the fit cannot use: the status says so.
 * @throws InputError for an unknown family, target, model or option
 * @example forecast(table, { family: "OPT", train: { kind: "smallest", k: 5 }, protocol: "paper" }).are // ≈ 0.05
 */
export function forecast(table: RunTable, spec: ForecastSpec, family?: Family): Forecast {
  return forecastPrepared(table, prepareForecast(table, spec, family));
}

/**
 * Fits a law to a prepared forecast's rows under its options: {@link fit}, or a stand-in that returns
 * the same result (a memo, which may never read `prep.data`).
 */
export type Fitter = (prep: PreparedForecast) => FitResult;

/**
 * {@link forecast} on a forecast already resolved to rows. `fitter` lets the meta-analysis reuse
 * the fit of an identical training set (the same rows and options give the same fit).
 */
export function forecastPrepared(
  table: RunTable,
  prep: PreparedForecast,
  fitter: Fitter = (p) => fit(p.data, p.fitOptions),
): Forecast {
  if (!needsFit(prep)) return evaluateForecast(table, prep, null);
  let result: FitResult | null = null;
  let error: string | null = null;
  try {
    result = fitter(prep);
  } catch (e) {
    // Too few points for the free parameters is a property of the cell, not a user error here.
    if (!(e instanceof InputError) || e.field !== "data") throw e;
    error = e.reason;
  }
  return evaluateForecast(table, prep, result, error);
}

/** Whether {@link forecastPrepared} fits a law: there are rows to train on and the target to test. */
export function needsFit(prep: PreparedForecast): boolean {
  return prep.trainRows.length > 0 && prep.testRows.length > 0;
}

/** Scores a fit (or its absence) on a prepared forecast. */
export function evaluateForecast(
  table: RunTable,
  prep: PreparedForecast,
  result: FitResult | null,
  error: string | null = null,
): Forecast {
  const { target, testRows, trainRows } = prep;
  const tokens = testRows.map((r) => table.tokens[r]);
  const actual = testRows.map((r) => table.value[r]);
  const usable = result !== null && result.status !== "non-finite";
  const predicted = usable
    ? Array.from(
        predictLoss(result, {
          params: testRows.map((r) => table.params[r]),
          tokens,
          flops: testRows.map((r) => table.flops[r]),
        }),
      )
    : actual.map(() => Number.NaN);
  const status: Forecast["status"] =
    trainRows.length === 0
      ? "no-data"
      : testRows.length === 0
        ? "no-test"
        : result
          ? result.status
          : "failed";
  const last = actual.length - 1;
  return {
    family: prep.family.name,
    metric: prep.family.metric,
    protocol: prep.rules.name,
    target: { model: target.name, params: target.params, maxTokens: target.maxTokens },
    train: summarizeTraining(table, prep),
    fraction: prep.spec.fraction ?? 1,
    minTokens: prep.spec.minTokens ?? DEFAULT_MIN_TOKENS,
    status,
    error:
      error ??
      (status === "no-data"
        ? "no training checkpoint passes the cuts"
        : status === "no-test"
          ? "the target has no test checkpoint"
          : null),
    fit: result,
    test: { tokens, actual, predicted },
    predicted: last >= 0 ? predicted[last] : Number.NaN,
    actual: last >= 0 ? actual[last] : Number.NaN,
    are: usable ? meanRelativeError(actual, predicted) : Number.NaN,
    areFinal:
      usable && last >= 0 ? Math.abs(actual[last] - predicted[last]) / actual[last] : Number.NaN,
    mse: usable ? meanSquaredError(actual, predicted) : Number.NaN,
    baselines: baselines(table, trainRows, actual, prep.rules.mostTrained),
  };
}

/** Drops undefined fields, so an unset flag does not erase a protocol's choice. */
function defined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function summarizeTraining(table: RunTable, prep: PreparedForecast): TrainSummary {
  const sizes = new Set<number>();
  let flops = 0;
  let largestRow = -1;
  // A byte per table row rather than a Set of the kept rows: the meta-analysis summarises
  // thousands of training sets of up to 10k rows (GPT-3), and filling that Set was the largest
  // self time of its scoring in a profile.
  const kept = new Uint8Array(table.length);
  for (const r of prep.trainRows) {
    // N rounded to 1e6, as the paper counts sizes (HITCHHIKER_SPEC §3.2).
    sizes.add(Math.round(table.params[r] / 1e6));
    flops += table.flops[r];
    if (largestRow < 0 || table.params[r] > table.params[largestRow]) largestRow = r;
    kept[r] = 1;
  }
  const candidates = prep.spec.partialTarget ? [...prep.models, prep.target] : prep.models;
  const used = candidates.filter((m) => m.rows.some((r) => kept[r] === 1));
  const largestParams = largestRow >= 0 ? table.params[largestRow] : Number.NaN;
  return {
    models: used.map((m) => m.name),
    rows: prep.trainRows.length,
    sizes: sizes.size,
    largest: used.find((m) => m.rows.includes(largestRow))?.name ?? null,
    largestParams,
    scaleUp: prep.target.params / largestParams,
    flops,
    dropped: prep.models.filter((m) => !used.includes(m)).map((m) => m.name),
    excluded: sameSizeRuns(prep.family, prep.target)
      .filter((m) => !used.includes(m))
      .map((m) => m.name)
      .sort(),
  };
}
