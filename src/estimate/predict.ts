import type { FitData, FitOptions } from "../fit/types.js";
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
  return { ...predictWithInterval(u, target), at: target, fit: u };
}
