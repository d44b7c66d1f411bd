import type { FitData, FitOptions } from "../fit/types.js";
import { fewRunsWarning, intervalsAt, type NoiseModel, residualNoise } from "./intervals.js";
import {
  type Estimate,
  type FitWithUncertainty,
  fitWithUncertainty,
  predictWithInterval,
  type UncertaintyOptions,
} from "./uncertainty.js";

/** Where to predict: a model size and token count (and compute, for compute laws; defaults to 6·N·D). */
export interface Target {
  params?: number;
  tokens?: number;
  flops?: number;
}

/** A forecast of one target's loss, with the fit behind it. */
export interface Prediction extends Estimate {
  readonly at: Target;
  readonly fit: FitWithUncertainty;
  /** Prediction interval of an observed loss (confidence interval plus run and checkpoint noise); null without bootstrap. */
  readonly prediction: readonly [number, number] | null;
  readonly noise: NoiseModel | null;
  /** Why the intervals should not be trusted (fewer than 3 runs to resample), or null. */
  readonly intervalWarning: string | null;
}

/**
 * Fits a law to the ladder and forecasts the target's loss, with a percentile interval from
 * resampling whole runs when `uncertainty.resamples` > 0.
 *
 * @example
 * const p = await predict(data, { params: 70e9, tokens: 1.4e12 }, {}, { resamples: 1000, seed: 0 });
 * p.value    // point forecast
 * p.interval // [lo, hi], 95% by default
 */
export async function predict(
  data: FitData,
  at: Target,
  options: FitOptions = {},
  uncertainty: UncertaintyOptions = {},
): Promise<Prediction> {
  const flops =
    at.flops ??
    (at.params !== undefined && at.tokens !== undefined ? 6 * at.params * at.tokens : undefined);
  const target = { ...at, flops };
  const u = await fitWithUncertainty(data, options, uncertainty);
  const est = predictWithInterval(u, target);
  if (!u.bootstrap || u.fit.status === "non-finite")
    return { ...est, at: target, fit: u, prediction: null, noise: null, intervalWarning: null };
  const noise = residualNoise(data, u.fit);
  const prediction = intervalsAt(u, target, noise, u.bootstrap.seed).prediction;
  const runs = data.run ? new Set(data.run).size : data.loss.length;
  const intervalWarning = fewRunsWarning(runs);
  return { ...est, at: target, fit: u, prediction, noise, intervalWarning };
}
