import type { RunTable } from "../data/types.js";
import { InputError } from "../errors.js";
import { evaluateForecast, type Forecast, type ForecastSpec, prepareForecast } from "./forecast.js";
import {
  fewRunsWarning,
  intervalsAt,
  type NoiseModel,
  residualNoise,
  withSeedNoise,
} from "./intervals.js";
import {
  type FitWithUncertainty,
  fitWithUncertainty,
  predictWithInterval,
  type UncertaintyOptions,
} from "./uncertainty.js";

/** A forecast with a bootstrap interval on its prediction at the target's final checkpoint. */
export interface ForecastWithInterval {
  readonly forecast: Forecast;
  /** Confidence interval of the expected loss: percentile interval over resamples of whole training runs; null without bootstrap. */
  readonly interval: readonly [number, number] | null;
  /** Prediction interval of an observed loss: the replicates plus run and checkpoint noise (docs/downstream.md). */
  readonly prediction?: readonly [number, number] | null;
  readonly noise?: NoiseModel | null;
  /** Why the intervals should not be trusted (too few training runs to resample), or null. */
  readonly intervalWarning?: string | null;
  readonly uncertainty: FitWithUncertainty | null;
}

/**
 * {@link forecast} plus a bootstrap interval: refits on resamples of whole training runs (worker
 * threads) and takes the percentile interval of their predictions at the target's last checkpoint.
 * @throws InputError as {@link prepareForecast}, or when the fit refuses the data
 */
export async function forecastWithInterval(
  table: RunTable,
  spec: ForecastSpec,
  u: UncertaintyOptions = {},
): Promise<ForecastWithInterval> {
  const prep = prepareForecast(table, spec);
  if (prep.trainRows.length === 0 || prep.testRows.length === 0) {
    return { forecast: evaluateForecast(table, prep, null), interval: null, uncertainty: null };
  }
  let fitted: FitWithUncertainty;
  try {
    fitted = await fitWithUncertainty(prep.data, prep.fitOptions, u);
  } catch (e) {
    if (!(e instanceof InputError) || e.field !== "data") throw e;
    return {
      forecast: evaluateForecast(table, prep, null, e.reason),
      interval: null,
      uncertainty: null,
    };
  }
  const f = evaluateForecast(table, prep, fitted.fit);
  const last = prep.testRows[prep.testRows.length - 1];
  const at = { params: table.params[last], tokens: table.tokens[last], flops: table.flops[last] };
  const interval = fitted.bootstrap ? predictWithInterval(fitted, at).interval : null;
  if (!fitted.bootstrap || fitted.fit.status === "non-finite")
    return { forecast: f, interval, uncertainty: fitted, prediction: null, noise: null };
  const noise = withSeedNoise(
    residualNoise(prep.data, fitted.fit),
    table,
    spec.family,
    spec.metric,
  );
  const prediction = intervalsAt(fitted, at, noise, fitted.bootstrap.seed).prediction;
  const runs = new Set(prep.data.run).size;
  const intervalWarning = fewRunsWarning(runs);
  return { forecast: f, interval, uncertainty: fitted, prediction, noise, intervalWarning };
}
