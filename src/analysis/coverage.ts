import type { RunTable } from "../data/types.js";
import { InputError } from "../errors.js";
import { evaluateForecast, prepareForecast } from "../estimate/forecast.js";
import {
  intervalsAt,
  type NoiseModel,
  residualNoise,
  withBacktest,
  withSeedNoise,
} from "../estimate/intervals.js";
import { familyNames, familyOf } from "../estimate/selection.js";
import { fitWithUncertainty } from "../estimate/uncertainty.js";

/** Settings of the coverage experiment. */
export interface CoverageOptions {
  readonly families?: readonly string[];
  /** Metric to forecast; defaults to each family's most common one. */
  readonly metric?: string;
  /** Numbers of smallest training models per family (capped at the pool; at least 2). */
  readonly ks?: readonly number[];
  readonly resamples?: number;
  readonly seed?: number;
  readonly level?: number;
  /** Early cut; defaults to the forecast default (1e10 tokens). */
  readonly minTokens?: number;
  readonly workers?: number;
  /** Called after each cell, for progress. */
  readonly onCell?: (done: number, total: number) => void;
}

/** One forecast of the main grid and whether each interval held the target's final loss. */
export interface CoverageCell {
  readonly family: string;
  readonly target: string;
  /** Training sizes: every run of the k smallest sizes below the target. */
  readonly k: number;
  readonly scaleUp: number;
  readonly status: string;
  readonly predicted: number;
  readonly actual: number;
  readonly confidence: readonly [number, number] | null;
  readonly prediction: readonly [number, number] | null;
  /** The prediction interval with the backtest's extrapolation error added. */
  readonly backtest: readonly [number, number] | null;
  readonly inConfidence: boolean | null;
  readonly inPrediction: boolean | null;
  readonly inBacktest: boolean | null;
  /** Half the interval's width over the prediction. */
  readonly confidenceHalfWidth: number;
  readonly predictionHalfWidth: number;
  readonly backtestHalfWidth: number;
  readonly noise: NoiseModel | null;
}

/** Coverage of one group of cells (a family, or `all`). */
export interface CoverageSummary {
  readonly group: string;
  readonly cells: number;
  /** Cells with both intervals (a fit and a bootstrap). */
  readonly scored: number;
  readonly confidenceCoverage: number;
  readonly predictionCoverage: number;
  readonly backtestCoverage: number;
  readonly confidenceMedianHalfWidth: number;
  readonly predictionMedianHalfWidth: number;
  readonly backtestMedianHalfWidth: number;
}

/** The main grid's k values: the 2, 3 and 4 smallest sizes, and every smaller size. */
export const COVERAGE_KS: readonly number[] = [2, 3, 4, Number.POSITIVE_INFINITY];

/**
 * Calibration of forecast intervals over a corpus: for every family, the largest model is forecast
 * from every run of its k smallest sizes (k of {@link COVERAGE_KS}), with the whole-run bootstrap's confidence interval
 * (what `evaluate --bootstrap` printed before) and the prediction interval that adds run and
 * checkpoint noise (seeds where the family has them). A cell scores whether each interval holds
 * the target's final loss.
 * @throws InputError for an unknown family
 */
export async function coverageCells(
  table: RunTable,
  o: CoverageOptions = {},
): Promise<CoverageCell[]> {
  const families = o.families ?? familyNames(table);
  const plan: { family: string; k: number; models: string[] }[] = [];
  for (const name of families) {
    const fam = familyOf(table, name, o.metric);
    const target = fam.models[fam.models.length - 1];
    // Runs of the target's size never train (forecast.ts leaves them out).
    const pool = fam.models.filter((m) => m.params < target.params);
    // Windows count sizes, not runs: a sweep with several runs per size trains on all of them.
    const sizes = [...new Set(pool.map((m) => m.params))].sort((a, b) => a - b);
    const ks = [...new Set((o.ks ?? COVERAGE_KS).map((k) => Math.min(k, sizes.length)))].filter(
      (k) => k >= 2,
    );
    for (const k of ks)
      plan.push({
        family: name,
        k,
        models: pool.filter((m) => m.params <= sizes[k - 1]).map((m) => m.name),
      });
  }
  const out: CoverageCell[] = [];
  const level = o.level ?? 0.95;
  const resamples = o.resamples ?? 100;
  if (resamples < 20)
    throw new InputError(`coverage needs at least 20 resamples, got ${resamples}`, {
      field: "resamples",
      hint: "a percentile interval from fewer replicates is too coarse to score",
    });
  for (const { family, k, models } of plan) {
    out.push(await cell(table, family, k, models, { ...o, level, resamples }));
    o.onCell?.(out.length, plan.length);
  }
  return out;
}

async function cell(
  table: RunTable,
  family: string,
  k: number,
  models: string[],
  o: CoverageOptions & { level: number; resamples: number },
): Promise<CoverageCell> {
  const prep = prepareForecast(table, {
    family,
    metric: o.metric,
    train: { kind: "list", models },
    minTokens: o.minTokens,
  });
  const empty = (status: string, predicted = Number.NaN, actual = Number.NaN): CoverageCell => ({
    family,
    target: prep.target.name,
    k,
    scaleUp: Number.NaN,
    status,
    predicted,
    actual,
    confidence: null,
    prediction: null,
    backtest: null,
    inConfidence: null,
    inPrediction: null,
    inBacktest: null,
    confidenceHalfWidth: Number.NaN,
    predictionHalfWidth: Number.NaN,
    backtestHalfWidth: Number.NaN,
    noise: null,
  });
  if (prep.trainRows.length === 0 || prep.testRows.length === 0) return empty("no-data");
  let u: Awaited<ReturnType<typeof fitWithUncertainty>>;
  try {
    u = await fitWithUncertainty(prep.data, prep.fitOptions, {
      resamples: o.resamples,
      seed: o.seed ?? 0,
      level: o.level,
      workers: o.workers,
    });
  } catch (e) {
    if (!(e instanceof InputError) || e.field !== "data") throw e;
    return empty("failed");
  }
  const f = evaluateForecast(table, prep, u.fit);
  if (u.fit.status === "non-finite") return empty("non-finite");
  const last = prep.testRows[prep.testRows.length - 1];
  const noise = withSeedNoise(residualNoise(prep.data, u.fit), table, family, o.metric);
  const at = { params: table.params[last], tokens: table.tokens[last], flops: table.flops[last] };
  const iv = intervalsAt(u, at, noise, o.seed ?? 0);
  const calibrated = withBacktest(noise, prep.data, prep.fitOptions, table.params[last]);
  const ivc = intervalsAt(u, at, calibrated, o.seed ?? 0);
  const inside = (i: readonly [number, number] | null) =>
    i ? f.actual >= i[0] && f.actual <= i[1] : null;
  const half = (i: readonly [number, number] | null) =>
    i ? (i[1] - i[0]) / 2 / f.predicted : Number.NaN;
  return {
    family,
    target: prep.target.name,
    k,
    scaleUp: f.train.scaleUp,
    status: f.status,
    predicted: f.predicted,
    actual: f.actual,
    confidence: iv.confidence,
    prediction: iv.prediction,
    backtest: ivc.prediction,
    inConfidence: inside(iv.confidence),
    inPrediction: inside(iv.prediction),
    inBacktest: inside(ivc.prediction),
    confidenceHalfWidth: half(iv.confidence),
    predictionHalfWidth: half(iv.prediction),
    backtestHalfWidth: half(ivc.prediction),
    noise: calibrated,
  };
}

/** Coverage and median relative half-width over all cells (`all`), over cells with 3+ training models, and per family. */
export function summarizeCoverage(cells: readonly CoverageCell[]): CoverageSummary[] {
  // Two training runs give the whole-run bootstrap only three distinct resamples, one of them a
  // single size: its intervals are degenerate, so cells with 3+ training models are pooled apart.
  const groups = new Map<string, CoverageCell[]>([
    ["all", [...cells]],
    ["all, k ≥ 3", cells.filter((c) => c.k >= 3)],
  ]);
  for (const c of cells) groups.set(c.family, [...(groups.get(c.family) ?? []), c]);
  return [...groups.entries()].map(([group, cs]) => {
    const scored = cs.filter((c) => c.inConfidence !== null && c.inPrediction !== null);
    const rate = (get: (c: CoverageCell) => boolean | null) =>
      scored.length ? scored.filter(get).length / scored.length : Number.NaN;
    return {
      group,
      cells: cs.length,
      scored: scored.length,
      confidenceCoverage: rate((c) => c.inConfidence),
      predictionCoverage: rate((c) => c.inPrediction),
      backtestCoverage: rate((c) => c.inBacktest),
      confidenceMedianHalfWidth: median(scored.map((c) => c.confidenceHalfWidth)),
      predictionMedianHalfWidth: median(scored.map((c) => c.predictionHalfWidth)),
      backtestMedianHalfWidth: median(scored.map((c) => c.backtestHalfWidth)),
    };
  });
}

function median(v: number[]): number {
  const s = v.filter(Number.isFinite).sort((a, b) => a - b);
  if (s.length === 0) return Number.NaN;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
