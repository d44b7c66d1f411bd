import { fit, predictLoss } from "../fit/fit.js";
import type { FitData, FitOptions, FitResult } from "../fit/types.js";
import { percentileInterval } from "../math/percentile.js";
import type { Replicate, ReplicateStatus } from "./bootstrap.js";

/** How to bootstrap; `resamples: 0` skips it. */
export interface UncertaintyOptions {
  /** Number of whole-run resamples; defaults to 0 (no intervals). */
  resamples?: number;
  /** Seed of the resampling; defaults to 0. */
  seed?: number;
  /** Interval level in (0, 1); defaults to 0.95. */
  level?: number;
  /** Worker threads; defaults to the machine's cores. */
  workers?: number;
  /**
   * Grid points refined per resample besides the full-data optimum. By default none: Newton from
   * the full-data optimum alone, with the fit's full search where that run ends far away.
   */
  refine?: number;
}

/** A point estimate with its bootstrap interval (null without bootstrap). */
export interface Estimate {
  readonly value: number;
  readonly interval: readonly [number, number] | null;
}

/** A fit plus percentile intervals from resampling whole runs. */
export interface FitWithUncertainty {
  readonly fit: FitResult;
  /** Per-parameter percentile intervals; empty without bootstrap. */
  readonly intervals: Readonly<Record<string, readonly [number, number]>>;
  readonly bootstrap: {
    readonly resamples: number;
    readonly seed: number;
    readonly level: number;
    readonly succeeded: number;
    readonly failed: number;
    /** Failed replicates by status (e.g. `too-few-runs`, `non-finite`); each replicate has its error. */
    readonly failures: Readonly<Partial<Record<ReplicateStatus, number>>>;
    /** Grid points refined per resample, besides the full-data optimum (0: that optimum alone). */
    readonly refine: number;
    /** Resampling unit: whole runs. */
    readonly unit: "run";
  } | null;
  readonly replicates: readonly Replicate[];
}

/**
 * Fits once on all data, then (optionally) on `resamples` resamples of whole runs, each refit
 * warm-started from the full fit (and, with `refine`, from its own grid).
 */
export async function fitWithUncertainty(
  data: FitData,
  options: FitOptions,
  u: UncertaintyOptions = {},
): Promise<FitWithUncertainty> {
  const resamples = u.resamples ?? 0;
  const level = u.level ?? 0.95;
  const seed = u.seed ?? 0;
  // The workers load their code while the full-data fit, whose optimum seeds them, runs here.
  // Workers (and their modules) are loaded only when there is a bootstrap to run.
  const pool =
    resamples > 0
      ? (await import("./parallel.js")).prepareBootstrap({ resamples, seed, workers: u.workers })
      : null;
  let main: FitResult;
  try {
    main = fit(data, options);
  } catch (e) {
    await pool?.cancel();
    throw e;
  }
  if (!pool) return { fit: main, intervals: {}, bootstrap: null, replicates: [] };
  const { now: _n, ...plain } = options;
  const law = typeof plain.law === "object" ? plain.law.name : plain.law;
  const seeds = main.status === "non-finite" ? [] : [Array.from(main.theta)];
  // Each resample starts from the full-data optimum plus its own best grid points: on the Epoch
  // data two reach the same optimum as refining eight (to 1e-14 relative, 200 resamples checked).
  const gridRefine = u.refine ?? Math.min(plain.refine ?? 2, 2);
  const grid = { ...plain, law, refine: gridRefine, extraStarts: seeds };
  // A resample is the full data with some runs drawn twice and some not at all: its optimum is
  // usually in the basin of the full-data optimum, so by default Newton starts there alone (~6
  // iterations) instead of the 256-point grid and three local runs. A resample whose run ends far
  // from that start (see bootstrapRange) gets the full search too and keeps the better optimum.
  // Checked against the full search (bench/README.md, issue 11): Epoch, 2 × 1,000 resamples, none
  // differs; synthetic ladders, no quick fit kept in a worse optimum.
  const quick =
    seeds.length > 0 && u.refine === undefined && (plain.starts ?? "vp-grid") === "vp-grid";
  // The fallback is the fit's own full search (5 grid points by default) plus that optimum.
  const full = { ...plain, law, extraStarts: seeds };
  const replicates = await pool.run(
    data,
    quick ? { ...full, starts: "given" } : grid,
    quick ? full : undefined,
  );
  const refine = quick ? 0 : gridRefine;
  const ok = replicates.filter((r) => r.theta);
  const intervals: Record<string, [number, number]> = {};
  main.law.params.forEach((p, j) => {
    intervals[p.name] = percentileInterval(
      ok.map((r) => (r.theta as Float64Array)[j]),
      level,
    );
  });
  return {
    fit: main,
    intervals,
    bootstrap: {
      resamples,
      seed,
      level,
      succeeded: ok.length,
      failed: replicates.length - ok.length,
      failures: countFailures(replicates),
      refine,
      unit: "run",
    },
    replicates,
  };
}

/**
 * Predicted loss at one point, with the percentile interval over bootstrap replicates.
 * @example predictWithInterval(u, { params: 7e10, tokens: 1.4e12 }) // → { value: 1.94, interval: [1.91, 1.98] }
 */
export function predictWithInterval(
  u: FitWithUncertainty,
  at: { params?: number; tokens?: number; flops?: number },
): Estimate {
  const value = predictLoss(u.fit, onePoint(at))[0];
  if (!u.bootstrap) return { value, interval: null };
  return { value, interval: percentileInterval(replicatePredictions(u, at), u.bootstrap.level) };
}

/** One point as the one-row columns {@link predictLoss} reads. */
export function onePoint(at: { params?: number; tokens?: number; flops?: number }): {
  params?: number[];
  tokens?: number[];
  flops?: number[];
} {
  return {
    params: at.params === undefined ? undefined : [at.params],
    tokens: at.tokens === undefined ? undefined : [at.tokens],
    flops: at.flops === undefined ? undefined : [at.flops],
  };
}

/** Each successful bootstrap replicate's prediction at one point. */
export function replicatePredictions(
  u: FitWithUncertainty,
  at: { params?: number; tokens?: number; flops?: number },
): number[] {
  const point = onePoint(at);
  return u.replicates
    .filter((r) => r.theta)
    .map((r) => predictLoss({ law: u.fit.law, theta: r.theta as Float64Array }, point)[0]);
}

function countFailures(replicates: readonly Replicate[]): Partial<Record<ReplicateStatus, number>> {
  const out: Partial<Record<ReplicateStatus, number>> = {};
  for (const r of replicates) if (!r.theta) out[r.status] = (out[r.status] ?? 0) + 1;
  return out;
}
