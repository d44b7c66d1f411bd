import { toFitData } from "../data/fitdata.js";
import type { RunTable } from "../data/types.js";
import { InputError } from "../errors.js";
import { resampleRuns } from "../estimate/bootstrap.js";
import { DEFAULT_MIN_TOKENS } from "../estimate/forecast.js";
import { familyOf } from "../estimate/selection.js";
import { fit, predictLoss } from "../fit/fit.js";
import type { FitData, FitOptions, FitResult } from "../fit/types.js";
import { getLaw } from "../laws/index.js";
import type { Law } from "../laws/types.js";
import { percentileInterval } from "../math/percentile.js";
import { computeForLoss, optimalAllocation } from "../plan/allocation.js";

/** What to compare; every field but the two families has a default. */
export interface CompareSpec {
  readonly familyA: string;
  readonly familyB: string;
  readonly metric?: string;
  /** Target size and tokens; default: 10× the largest model of either family in N and in D. */
  readonly at?: { readonly params: number; readonly tokens: number };
  readonly minTokens?: number;
  /**
   * Fit options; the law must have nonlinear exponents (default chinchilla), the objective defaults
   * to `ls-log` (the criterion's Gaussian log residuals; another objective makes it approximate).
   */
  readonly fit?: FitOptions;
  /** `auto` (default): decide by the criterion of {@link compareFamilies}; `yes`/`no` force it. */
  readonly shared?: "auto" | "yes" | "no";
  /** Whole-run resamples (each family resampled on its own) for the multiplier's interval. */
  readonly resamples?: number;
  readonly seed?: number;
  readonly level?: number;
}

/** One family's fitted law. */
export interface FamilyFit {
  readonly family: string;
  readonly runs: number;
  readonly rows: number;
  readonly params: Readonly<Record<string, number>>;
  readonly status: string;
  /** Σ (ln L̂ − ln L)² over its rows. */
  readonly sseLog: number;
}

/** The comparison: fits, the exponent decision, the multiplier and the rankings. */
export interface Comparison {
  readonly law: string;
  readonly metric: string;
  readonly at: { readonly params: number; readonly tokens: number; readonly flops: number };
  readonly separate: readonly [FamilyFit, FamilyFit];
  readonly sharedFit: readonly [FamilyFit, FamilyFit];
  /** The exponents both families share in the shared fit. */
  readonly sharedExponents: Readonly<Record<string, number>>;
  /** Which fits the multiplier and rankings use, and why. */
  readonly exponents: {
    readonly shared: boolean;
    readonly forced: boolean;
    /** Effective sample size: runs of both families (checkpoints of a run are not independent). */
    readonly nEff: number;
    /** nEff·ln(SSE_shared/SSE_separate) − 2·(exponents freed): ≤ 0 means the data cannot tell them apart. */
    readonly deltaAic: number;
    readonly reason: string;
  };
  /**
   * Effective compute multiplier of B over A at the target compute C = 6ND: the compute A's
   * compute-optimal frontier needs to reach B's compute-optimal loss at C, over C. > 1: B is better.
   * Infinity when A cannot reach that loss at any compute.
   */
  readonly multiplier: number;
  readonly multiplierInterval: readonly [number, number] | null;
  readonly bootstrap: {
    readonly resamples: number;
    readonly succeeded: number;
    readonly seed: number;
    readonly level: number;
  } | null;
  /** Predicted loss of each family at the target (N, D) and at the largest trained size. */
  readonly atTarget: { readonly a: number; readonly b: number; readonly better: "A" | "B" | "tie" };
  readonly atLargest: {
    readonly params: number;
    readonly tokens: number;
    readonly a: number;
    readonly b: number;
    readonly better: "A" | "B" | "tie";
  };
  /** True when the better family at the target is not the better one at the largest trained size. */
  readonly rankingFlips: boolean;
}

/**
 * Compares two recipes (families). Both are fitted alone and with their exponents shared (each keeps
 * its own coefficients and irreducible loss; the shared exponents minimise the summed objective,
 * found by a grid then a shrinking pattern search over exponents with the rest refitted). The
 * shared fit is used when the data cannot tell the exponents apart: ΔAIC = n_eff·ln(SSE_shared /
 * SSE_separate) − 2q ≤ 0, with SSE the summed squared log residuals, q the number of exponents
 * freed by fitting separately, and n_eff the number of runs (a run's checkpoints are strongly
 * autocorrelated, so counting them as independent would always favour separate exponents).
 * @throws InputError for unknown families, a law without exponents, or too little data
 */
export function compareFamilies(table: RunTable, spec: CompareSpec): Comparison {
  const law = getLaw(String(spec.fit?.law ?? "chinchilla"), { column: spec.fit?.column });
  const expo = law.params.filter((p) => !p.linear).map((p) => p.name);
  if (expo.length === 0)
    throw new InputError(`law ${law.name} has no exponents to share`, { field: "law" });
  // Least squares on log loss by default: the AIC criterion below assumes Gaussian log residuals.
  const options: FitOptions = {
    ...spec.fit,
    law: law.name,
    objective: spec.fit?.objective ?? "ls-log",
  };
  const c = spec.minTokens ?? DEFAULT_MIN_TOKENS;
  const famA = familyOf(table, spec.familyA, spec.metric);
  const famB = familyOf(table, spec.familyB, spec.metric ?? famA.metric);
  const rowsOf = (f: typeof famA) =>
    f.models.flatMap((m) => m.rows.filter((r) => table.tokens[r] > c));
  const dataA = toFitData(table, rowsOf(famA));
  const dataB = toFitData(table, rowsOf(famB));
  // Default target: a decade beyond the largest model of either family, at its tokens per parameter.
  const largest = [...famA.models, ...famB.models].reduce((a, b) => (b.params > a.params ? b : a));
  const at = spec.at ?? { params: 10 * largest.params, tokens: 10 * largest.maxTokens };
  const flops = 6 * at.params * at.tokens;

  const sepA = fit(dataA, options);
  const sepB = fit(dataB, options);
  const joint = sharedFit(law, expo, dataA, dataB, options, [sepA, sepB]);
  const sse = (d: FitData, r: FitResult) => sseLog(d, r);
  const sseSep = sse(dataA, sepA) + sse(dataB, sepB);
  const sseSh = sse(dataA, joint.a) + sse(dataB, joint.b);
  const nEff = runs(dataA) + runs(dataB);
  const deltaAic = nEff * Math.log(sseSh / sseSep) - 2 * expo.length;
  const forced = spec.shared === "yes" || spec.shared === "no";
  const shared = spec.shared === "yes" || (spec.shared !== "no" && deltaAic <= 0);
  const reason = forced
    ? `${shared ? "shared" : "separate"} exponents, as asked`
    : shared
      ? `shared exponents: freeing them lowers the summed squared log residuals by ${(100 * (1 - sseSep / sseSh)).toFixed(2)}% only, not enough for ${expo.length} more parameters at ${nEff} runs (ΔAIC ${deltaAic.toFixed(2)} ≤ 0)`
      : `separate exponents: freeing them lowers the summed squared log residuals by ${(100 * (1 - sseSep / sseSh)).toFixed(2)}%, more than AIC charges for ${expo.length} more parameters at ${nEff} runs (ΔAIC ${deltaAic.toFixed(2)} > 0)`;
  const [fa, fb] = shared ? [joint.a, joint.b] : [sepA, sepB];
  const multiplier = computeMultiplier(law, fa.theta, fb.theta, flops);
  const lossAt = (r: FitResult, p: number, t: number) =>
    predictLoss(r, { params: [p], tokens: [t], flops: [6 * p * t] })[0];
  const smallerLargest = [famA, famB]
    .map((f) => f.models[f.models.length - 1])
    .reduce((a, b) => (6 * b.params * b.maxTokens < 6 * a.params * a.maxTokens ? b : a));
  const better = (a: number, b: number): "A" | "B" | "tie" => (a < b ? "A" : b < a ? "B" : "tie");
  const tA = lossAt(fa, at.params, at.tokens);
  const tB = lossAt(fb, at.params, at.tokens);
  const lA = lossAt(fa, smallerLargest.params, smallerLargest.maxTokens);
  const lB = lossAt(fb, smallerLargest.params, smallerLargest.maxTokens);

  const boot = bootstrapMultiplier(spec, law, expo, dataA, dataB, options, shared, [fa, fb], flops);
  const summary = (family: string, d: FitData, r: FitResult): FamilyFit => ({
    family,
    runs: runs(d),
    rows: d.loss.length,
    params: r.params,
    status: r.status,
    sseLog: sseLog(d, r),
  });
  return {
    law: law.name,
    metric: famA.metric,
    at: { ...at, flops },
    separate: [summary(famA.name, dataA, sepA), summary(famB.name, dataB, sepB)],
    sharedFit: [summary(famA.name, dataA, joint.a), summary(famB.name, dataB, joint.b)],
    sharedExponents: Object.fromEntries(expo.map((n) => [n, joint.a.params[n]])),
    exponents: { shared, forced, nEff, deltaAic, reason },
    multiplier,
    multiplierInterval: boot.interval,
    bootstrap: boot.summary,
    atTarget: { a: tA, b: tB, better: better(tA, tB) },
    atLargest: {
      params: smallerLargest.params,
      tokens: smallerLargest.maxTokens,
      a: lA,
      b: lB,
      better: better(lA, lB),
    },
    rankingFlips: better(tA, tB) !== better(lA, lB),
  };
}

/**
 * Effective compute multiplier of B over A at compute C: C_A / C, where C_A is the least compute
 * whose compute-optimal allocation under A reaches B's compute-optimal loss at C. Infinity when A
 * never reaches it (B's loss below A's reach in [1e6, 1e40] FLOPs); 0 when A reaches it below 1e6.
 */
export function computeMultiplier(
  law: Law,
  thetaA: Float64Array,
  thetaB: Float64Array,
  flops: number,
): number {
  const model = (theta: Float64Array, name: string) => ({ name, law, theta, reference: "fit" });
  const lossB = optimalAllocation(model(thetaB, "B"), flops).loss;
  try {
    return computeForLoss(model(thetaA, "A"), lossB).flops / flops;
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    return optimalAllocation(model(thetaA, "A"), 1e6).loss <= lossB ? 0 : Number.POSITIVE_INFINITY;
  }
}

/**
 * The shared-exponent fit: the exponents minimise objective_A + objective_B with each family's
 * other parameters refitted at fixed exponents. A 5-point grid per exponent between (and beyond)
 * the two separate fits' values, then a pattern search halving its step to 1e-4.
 */
function sharedFit(
  law: Law,
  expo: readonly string[],
  a: FitData,
  b: FitData,
  options: FitOptions,
  separate: readonly [FitResult, FitResult],
  start?: Readonly<Record<string, number>>,
): { a: FitResult; b: FitResult } {
  const at = (e: number[]) => {
    const fix = { ...(options.fix ?? {}), ...Object.fromEntries(expo.map((n, i) => [n, e[i]])) };
    const fa = fit(a, { ...options, fix, now: undefined, refine: 2 });
    const fb = fit(b, { ...options, fix, now: undefined, refine: 2 });
    return { a: fa, b: fb, f: fa.objective.value + fb.objective.value };
  };
  const bounds = expo.map((n) => {
    const p = law.params.find((q) => q.name === n) as Law["params"][number];
    return [Math.max(p.lower, 1e-4), Math.min(p.upper, 5)] as const;
  });
  const clamp = (v: number, i: number) => Math.min(bounds[i][1], Math.max(bounds[i][0], v));
  let best: { e: number[]; r: ReturnType<typeof at> };
  if (start) {
    const e = expo.map((n, i) => clamp(start[n], i));
    best = { e, r: at(e) };
  } else {
    const lo = expo.map((n) => Math.min(separate[0].params[n], separate[1].params[n]));
    const hi = expo.map((n) => Math.max(separate[0].params[n], separate[1].params[n]));
    const axes = expo.map((_, i) => {
      const w = Math.max(hi[i] - lo[i], 0.02);
      return [-0.25, 0, 0.5, 1, 1.25].map((t) => clamp(lo[i] + t * w, i));
    });
    const grid = axes.reduce<number[][]>(
      (acc, axis) => acc.flatMap((p) => axis.map((v) => [...p, v])),
      [[]],
    );
    best = { e: grid[0], r: at(grid[0]) };
    for (const e of grid.slice(1)) {
      const r = at(e);
      if (r.f < best.r.f) best = { e, r };
    }
  }
  let step = 0.02;
  while (step >= 1e-4) {
    let moved = false;
    for (let i = 0; i < expo.length; i++)
      for (const s of [step, -step]) {
        const e = best.e.map((v, j) => (j === i ? clamp(v + s, j) : v));
        const r = at(e);
        if (r.f < best.r.f) {
          best = { e, r };
          moved = true;
        }
      }
    if (!moved) step /= 2;
  }
  return { a: best.r.a, b: best.r.b };
}

function bootstrapMultiplier(
  spec: CompareSpec,
  law: Law,
  expo: readonly string[],
  a: FitData,
  b: FitData,
  options: FitOptions,
  shared: boolean,
  full: readonly [FitResult, FitResult],
  flops: number,
): { interval: readonly [number, number] | null; summary: Comparison["bootstrap"] } {
  const resamples = spec.resamples ?? 0;
  if (resamples <= 0) return { interval: null, summary: null };
  const seed = spec.seed ?? 0;
  const level = spec.level ?? 0.95;
  const values: number[] = [];
  for (let r = 0; r < resamples; r++) {
    const ra = resampleRuns(a, seed, 2 * r);
    const rb = resampleRuns(b, seed, 2 * r + 1);
    try {
      const warm = { ...options, now: undefined, refine: 2 };
      let ta: Float64Array;
      let tb: Float64Array;
      if (shared) {
        const j = sharedFit(law, expo, ra, rb, warm, full, full[0].params);
        ta = j.a.theta;
        tb = j.b.theta;
      } else {
        ta = fit(ra, { ...warm, extraStarts: [full[0].theta] }).theta;
        tb = fit(rb, { ...warm, extraStarts: [full[1].theta] }).theta;
      }
      const m = computeMultiplier(law, ta, tb, flops);
      if (!Number.isNaN(m)) values.push(m);
    } catch (e) {
      if (!(e instanceof InputError) || e.field !== "data") throw e;
    }
  }
  return {
    interval: values.length ? percentileInterval(values, level) : null,
    summary: { resamples, succeeded: values.length, seed, level },
  };
}

function runs(d: FitData): number {
  return new Set(d.run ?? []).size;
}

function sseLog(d: FitData, r: FitResult): number {
  const p = predictLoss(r, d);
  let s = 0;
  for (let i = 0; i < d.loss.length; i++) s += (Math.log(p[i]) - Math.log(d.loss[i])) ** 2;
  return s;
}
