import type { RunTable } from "../data/types.js";
import { InputError } from "../errors.js";
import type { FitOptions } from "../fit/types.js";
import { evaluateForecast, type ForecastSpec, prepareForecast } from "./forecast.js";
import { intervalsAt, residualNoise, withSeedNoise } from "./intervals.js";
import { familyOf } from "./selection.js";
import { type FitWithUncertainty, fitWithUncertainty } from "./uncertainty.js";

/** What to roll out; every field but `family` has a default. */
export interface RolloutSpec {
  readonly family: string;
  readonly metric?: string;
  /** Smallest window; defaults to 2 (a law with N needs two sizes). */
  readonly minModels?: number;
  readonly minTokens?: number;
  readonly protocol?: "default" | "paper";
  readonly fit?: FitOptions;
  /** Whole-run resamples per window for interval coverage; 0 (default) skips intervals. */
  readonly resamples?: number;
  readonly seed?: number;
  readonly level?: number;
  readonly workers?: number;
}

/** One forecast of the rollout: every run of the k smallest sizes predicts a larger one. */
export interface RolloutCell {
  readonly k: number;
  readonly trainLargest: string;
  readonly target: string;
  /** N_target / N_largest-training-model. */
  readonly scaleUp: number;
  readonly status: string;
  readonly predicted: number;
  readonly actual: number;
  readonly are: number;
  readonly areFinal: number;
  /** Mean (L̂ − L)/L over the test checkpoints: > 0 over-predicts the loss. */
  readonly bias: number;
  readonly confidence: readonly [number, number] | null;
  readonly prediction: readonly [number, number] | null;
  readonly inConfidence: boolean | null;
  readonly inPrediction: boolean | null;
}

/** Rollout results pooled by extrapolation distance (log10 of the scale-up). */
export interface RolloutBin {
  /** Lower edge of the bin in log10(scale-up): bins are [0, 0.5), [0.5, 1), … */
  readonly from: number;
  readonly to: number;
  readonly cells: number;
  readonly meanAre: number;
  readonly meanBias: number;
  readonly confidenceCoverage: number;
  readonly predictionCoverage: number;
}

/** A rollout: every cell and the by-distance summary. */
export interface Rollout {
  readonly family: string;
  readonly metric: string;
  readonly cells: readonly RolloutCell[];
  readonly bins: readonly RolloutBin[];
}

/**
 * Expanding-window evaluation (the OLMo-core ladder analysis): for k = 2, 3, …, fit the law on
 * every run of the k smallest sizes of the family and forecast every larger model's last 30% of tokens, scoring
 * ARE, signed bias and (with resamples) whether the confidence and prediction intervals hold the
 * final loss. One fit per window serves all its targets.
 * @throws InputError for an unknown family or metric, or a family with too few models
 */
export async function rollout(table: RunTable, spec: RolloutSpec): Promise<Rollout> {
  const family = familyOf(table, spec.family, spec.metric);
  const models = family.models;
  const minK = spec.minModels ?? 2;
  // Windows count sizes: a sweep with several runs per size trains on all runs of its k smallest.
  const sizes = [...new Set(models.map((m) => m.params))].sort((a, b) => a - b);
  if (sizes.length < minK + 1)
    throw new InputError(
      `family ${family.name} has ${sizes.length} sizes; a rollout needs at least ${minK + 1}`,
      { field: "family", hint: "pick a family with more sizes" },
    );
  const cells: RolloutCell[] = [];
  for (let k = minK; k < sizes.length; k++) {
    const top = sizes[k - 1];
    const train = models.filter((m) => m.params <= top).map((m) => m.name);
    const largestTrain = models.filter((m) => m.params <= top).pop() as (typeof models)[number];
    const base: ForecastSpec = {
      family: family.name,
      metric: family.metric,
      train: { kind: "list", models: train },
      minTokens: spec.minTokens,
      protocol: spec.protocol,
      fit: spec.fit,
    };
    let fitted: FitWithUncertainty | null = null;
    let error: string | null = null;
    const firstTarget = models.find((m) => m.params > top);
    if (!firstTarget) continue;
    const first = prepareForecast(table, { ...base, target: firstTarget.name }, family);
    if (first.trainRows.length > 0) {
      try {
        fitted = await fitWithUncertainty(first.data, first.fitOptions, {
          resamples: spec.resamples ?? 0,
          seed: spec.seed ?? 0,
          level: spec.level ?? 0.95,
          workers: spec.workers,
        });
      } catch (e) {
        if (!(e instanceof InputError) || e.field !== "data") throw e;
        error = e.reason;
      }
    }
    const noise =
      fitted?.bootstrap && fitted.fit.status !== "non-finite"
        ? withSeedNoise(residualNoise(first.data, fitted.fit), table, family.name, family.metric)
        : null;
    for (let j = 0; j < models.length; j++) {
      if (models[j].params <= top) continue;
      const prep = prepareForecast(table, { ...base, target: models[j].name }, family);
      const f = evaluateForecast(table, prep, fitted?.fit ?? null, error);
      const last = prep.testRows[prep.testRows.length - 1];
      const iv =
        fitted && noise && last !== undefined
          ? intervalsAt(
              fitted,
              { params: table.params[last], tokens: table.tokens[last], flops: table.flops[last] },
              noise,
              spec.seed ?? 0,
            )
          : null;
      const inside = (i: readonly [number, number] | null | undefined) =>
        i ? f.actual >= i[0] && f.actual <= i[1] : null;
      let bias = 0;
      for (let i = 0; i < f.test.actual.length; i++)
        bias += (f.test.predicted[i] - f.test.actual[i]) / f.test.actual[i];
      cells.push({
        k,
        trainLargest: largestTrain.name,
        target: models[j].name,
        scaleUp: models[j].params / top,
        status: f.status,
        predicted: f.predicted,
        actual: f.actual,
        are: f.are,
        areFinal: f.areFinal,
        bias: f.test.actual.length ? bias / f.test.actual.length : Number.NaN,
        confidence: iv?.confidence ?? null,
        prediction: iv?.prediction ?? null,
        inConfidence: inside(iv?.confidence),
        inPrediction: inside(iv?.prediction),
      });
    }
  }
  return { family: family.name, metric: family.metric, cells, bins: binByDistance(cells) };
}

/** Pools cells into half-decade bins of log10(scale-up). */
export function binByDistance(cells: readonly RolloutCell[], width = 0.5): RolloutBin[] {
  const bins = new Map<number, RolloutCell[]>();
  for (const c of cells) {
    if (!Number.isFinite(c.are) || !(c.scaleUp > 0)) continue;
    const b = Math.max(0, Math.floor(Math.log10(c.scaleUp) / width));
    bins.set(b, [...(bins.get(b) ?? []), c]);
  }
  const mean = (v: number[]) => (v.length ? v.reduce((s, x) => s + x, 0) / v.length : Number.NaN);
  const rate = (v: (boolean | null)[]) => {
    const known = v.filter((x): x is boolean => x !== null);
    return known.length ? known.filter(Boolean).length / known.length : Number.NaN;
  };
  return [...bins.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([b, cs]) => ({
      from: b * width,
      to: (b + 1) * width,
      cells: cs.length,
      meanAre: mean(cs.map((c) => c.are)),
      meanBias: mean(cs.map((c) => c.bias)),
      confidenceCoverage: rate(cs.map((c) => c.inConfidence)),
      predictionCoverage: rate(cs.map((c) => c.inPrediction)),
    }));
}
