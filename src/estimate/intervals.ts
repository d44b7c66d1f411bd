import type { RunTable } from "../data/types.js";
import { InputError } from "../errors.js";
import { fit, predictLoss } from "../fit/fit.js";
import type { FitData, FitOptions, FitResult } from "../fit/types.js";
import { percentileInterval } from "../math/percentile.js";
import { rng } from "../math/random.js";
import { seedNoise } from "./noise.js";
import { type FitWithUncertainty, onePoint, replicatePredictions } from "./uncertainty.js";

/**
 * The noise an observed loss carries around the law's expected loss, in log units (the fit works
 * on log residuals): a run-to-run part shared by every checkpoint of a run (seed, data order) and a
 * checkpoint part with lag-1 autocorrelation `rho` within a run.
 */
export interface NoiseModel {
  /** σ of the run effect (log units). */
  readonly runSd: number;
  /** σ of one checkpoint around its run's level (log units). */
  readonly checkpointSd: number;
  /** Lag-1 autocorrelation of checkpoint deviations within a run. */
  readonly rho: number;
  /** `residuals`: from the fit's residuals; `seeds`: the run part from runs that differ only in seed. */
  readonly source: "residuals" | "seeds";
  /**
   * σ of the law's own extrapolation error at the target (log units), from a backtest (see
   * {@link withBacktest}); 0 when not measured.
   */
  readonly extrapolationSd?: number;
  readonly runs: number;
  readonly points: number;
}

/**
 * Estimates the noise model from a fit's log residuals r = ln L − ln L̂, grouped by run. Within each
 * run (sorted by tokens) the deviations from the run's mean give the checkpoint variance and the
 * lag-1 autocorrelation ρ; an AR(1) series of n points has Var(mean) = σ²·c(n, ρ)/n with
 * c = 1 + 2Σ_{k<n}(1 − k/n)ρ^k, and its deviations from the mean keep σ²(1 − c/n) on average, which
 * corrects both estimates. The run variance is what the run means vary beyond that
 * (method of moments, floored at 0). Pure.
 */
export function residualNoise(data: FitData, result: Pick<FitResult, "law" | "theta">): NoiseModel {
  const pred = predictLoss(result, data);
  const run = data.run ?? Int32Array.from(data.loss, (_, i) => i);
  const byRun = new Map<number, number[]>();
  for (let i = 0; i < data.loss.length; i++) {
    const r = Math.log(data.loss[i]) - Math.log(pred[i]);
    if (!Number.isFinite(r)) continue;
    byRun.set(run[i], [...(byRun.get(run[i]) ?? []), i]);
  }
  const resid = (i: number) => Math.log(data.loss[i]) - Math.log(pred[i]);
  let ss = 0;
  let dof = 0;
  let lag0 = 0;
  let lag1 = 0;
  const means: number[] = [];
  const sizes: number[] = [];
  for (const rows of byRun.values()) {
    rows.sort((a, b) => data.tokens[a] - data.tokens[b]);
    const m = rows.reduce((s, i) => s + resid(i), 0) / rows.length;
    means.push(m);
    sizes.push(rows.length);
    const d = rows.map((i) => resid(i) - m);
    for (let t = 0; t < d.length; t++) {
      ss += d[t] * d[t];
      lag0 += d[t] * d[t];
      if (t + 1 < d.length) lag1 += d[t] * d[t + 1];
    }
    dof += rows.length - 1;
  }
  // Lag-1 autocorrelation of demeaned series of length n is biased by about −(1 + 3ρ)/n (Kendall
  // 1954); solving ρ = ρ̂ + (1 + 3ρ)/n at the runs' mean length removes it.
  const raw = lag0 > 0 ? lag1 / lag0 : 0;
  const nBar = sizes.length ? sizes.reduce((s, n) => s + n, 0) / sizes.length : 0;
  const rho = Math.max(-0.99, Math.min(0.99, nBar > 5 ? (nBar * raw + 1) / (nBar - 3) : raw));
  const shareOfMean = (n: number) => {
    let c = 1;
    for (let k = 1; k < n; k++) c += 2 * (1 - k / n) * rho ** k;
    return Math.min(1, c / n);
  };
  const meanShare = sizes.length ? sizes.reduce((s, n) => s + shareOfMean(n), 0) / sizes.length : 1;
  const within = dof > 0 ? ss / dof : 0;
  const checkpointVar = meanShare < 1 ? within / (1 - meanShare) : within;
  let runVar = 0;
  if (means.length > 1) {
    const mu = means.reduce((s, v) => s + v, 0) / means.length;
    const between = means.reduce((s, v) => s + (v - mu) ** 2, 0) / (means.length - 1);
    runVar = Math.max(0, between - checkpointVar * meanShare);
  }
  return {
    runSd: Math.sqrt(runVar),
    checkpointSd: Math.sqrt(checkpointVar),
    rho,
    source: "residuals",
    runs: means.length,
    points: data.loss.length,
  };
}

/**
 * Replaces the run part of a noise model by the seed-to-seed spread of a family when it has runs
 * that differ only in seed: for two seeds, E|L₁ − L₂|/L ≈ E|ln L₁ − ln L₂| = 2σ/√π for normal run
 * effects of σ, so σ = meanAre·√π/2. Unchanged when the family has no seed pairs.
 */
export function withSeedNoise(
  noise: NoiseModel,
  table: RunTable,
  family: string,
  metric?: string,
): NoiseModel {
  const s = seedNoise(table, family, metric);
  if (s.pairs.length === 0 || !Number.isFinite(s.meanAre)) return noise;
  return { ...noise, runSd: (s.meanAre * Math.sqrt(Math.PI)) / 2, source: "seeds" };
}

/** Both intervals at one point. */
export interface PointIntervals {
  readonly value: number;
  /** Of the expected loss: percentile interval of the bootstrap replicates' predictions. */
  readonly confidence: readonly [number, number] | null;
  /** Of an observed loss: the replicates' predictions with run and checkpoint noise added. */
  readonly prediction: readonly [number, number] | null;
}

/** Noise draws per bootstrap replicate when building a prediction interval. */
const DRAWS = 40;

/**
 * Confidence and prediction intervals at one point. The prediction interval adds to each
 * replicate's ln L̂ independent normal draws of the run effect and the checkpoint deviation (40 per
 * replicate, seeded), then takes the percentile interval: it keeps the bootstrap's asymmetry
 * instead of assuming a normal parameter error.
 */
export function intervalsAt(
  u: FitWithUncertainty,
  at: { params?: number; tokens?: number; flops?: number },
  noise: NoiseModel,
  seed = 0,
): PointIntervals {
  const value = predictLoss(u.fit, onePoint(at))[0];
  if (!u.bootstrap) return { value, confidence: null, prediction: null };
  const level = u.bootstrap.level;
  const preds = replicatePredictions(u, at).filter((v) => v > 0 && Number.isFinite(v));
  if (preds.length === 0) return { value, confidence: null, prediction: null };
  const sd = Math.sqrt(
    noise.runSd ** 2 + noise.checkpointSd ** 2 + (noise.extrapolationSd ?? 0) ** 2,
  );
  const next = rng(seed, 0x51ed);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
  const observed: number[] = [];
  for (const p of preds) for (let k = 0; k < DRAWS; k++) observed.push(p * Math.exp(sd * gauss()));
  return {
    value,
    confidence: percentileInterval(preds, level),
    prediction: percentileInterval(observed, level),
  };
}

/**
 * Adds the law's extrapolation error, measured by a backtest on the training data itself: refit
 * without the largest training size and forecast that size's last checkpoint. Its log error e is
 * one draw of the error of extrapolating ln(N₁/N₂) (largest over second-largest size); scaled
 * linearly to the target's distance ln(N_target/N₁) and turned into a σ by E|e| = σ·√(2/π), it
 * joins the noise model. One draw is a rough estimate of a variance, and linear growth with log
 * distance an assumption: docs/downstream.md measures what this buys in coverage. Needs three
 * sizes; otherwise the model is returned unchanged.
 */
export function withBacktest(
  noise: NoiseModel,
  data: FitData,
  options: FitOptions,
  targetParams: number,
): NoiseModel {
  const sizes = [...new Set(data.params)].sort((a, b) => a - b);
  if (sizes.length < 3) return noise;
  const n1 = sizes[sizes.length - 1];
  const n2 = sizes[sizes.length - 2];
  const keep: number[] = [];
  let last = -1;
  for (let i = 0; i < data.loss.length; i++) {
    if (data.params[i] < n1) keep.push(i);
    else if (last < 0 || data.tokens[i] > data.tokens[last]) last = i;
  }
  const pick = (a: Float64Array) => Float64Array.from(keep, (i) => a[i]);
  const rest: FitData = {
    params: pick(data.params),
    tokens: pick(data.tokens),
    flops: pick(data.flops),
    loss: pick(data.loss),
    ...(data.uniqueTokens ? { uniqueTokens: pick(data.uniqueTokens) } : {}),
    ...(data.run ? { run: Int32Array.from(keep, (i) => (data.run as Int32Array)[i]) } : {}),
  };
  let result: FitResult;
  try {
    result = fit(rest, { ...options, now: undefined });
  } catch (e) {
    if (e instanceof InputError && e.field === "data") return noise;
    throw e;
  }
  if (result.status === "non-finite") return noise;
  const pred = predictLoss(result, {
    params: [data.params[last]],
    tokens: [data.tokens[last]],
    flops: [data.flops[last]],
    ...(data.uniqueTokens ? { uniqueTokens: [data.uniqueTokens[last]] } : {}),
  })[0];
  const e = Math.log(data.loss[last] / pred);
  if (!Number.isFinite(e)) return noise;
  const scale = Math.max(0, Math.log(targetParams / n1)) / Math.log(n1 / n2);
  return { ...noise, extrapolationSd: Math.abs(e) * scale * Math.sqrt(Math.PI / 2) };
}

/**
 * A warning for intervals bootstrapped from fewer than three runs, or null: two runs give three
 * distinct resamples, two of them a single size (docs/downstream.md: over the Hitchhiker corpus the
 * prediction interval from two training models held the truth in 10 of 21 cells, against every
 * cell with three or more sizes).
 */
export function fewRunsWarning(runs: number): string | null {
  return runs < 3
    ? `${runs} training run${runs === 1 ? "" : "s"}: a whole-run bootstrap of so few runs is degenerate; do not trust these intervals`
    : null;
}
