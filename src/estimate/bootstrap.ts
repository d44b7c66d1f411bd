import { InputError } from "../errors.js";
import { fit } from "../fit/fit.js";
import type { FitData, FitOptions, FitStatus } from "../fit/types.js";
import { rng } from "../math/random.js";

/**
 * How a replicate ended: its fit's status, or `too-few-runs` when the resample drew too few
 * distinct runs for the free parameters (the fit refused it).
 */
export type ReplicateStatus = FitStatus | "too-few-runs";

/** One bootstrap replicate: its parameters, or a failure recorded on its own. */
export interface Replicate {
  readonly index: number;
  readonly theta: Float64Array | null;
  readonly status: ReplicateStatus;
  /** Why a replicate without parameters failed. */
  readonly error?: string;
}

/** Rows of each run, grouped once so every resample only copies. */
interface RunRows {
  readonly nRuns: number;
  /** Rows of run k are order[start[k] .. start[k + 1]), in their original order. */
  readonly start: Int32Array;
  readonly order: Int32Array;
}

function groupRuns(data: FitData): RunRows {
  const n = data.loss.length;
  const run = data.run;
  let nRuns = 0;
  if (!run) nRuns = n;
  else for (let i = 0; i < n; i++) nRuns = Math.max(nRuns, run[i] + 1);
  const start = new Int32Array(nRuns + 1);
  for (let i = 0; i < n; i++) start[(run ? run[i] : i) + 1]++;
  for (let k = 0; k < nRuns; k++) start[k + 1] += start[k];
  const fill = start.slice(0, nRuns);
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[fill[run ? run[i] : i]++] = i;
  return { nRuns, start, order };
}

function drawRuns(data: FitData, runs: RunRows, seed: number, r: number): FitData {
  const { nRuns, start, order } = runs;
  const next = rng(seed, r + 1);
  const picks = new Int32Array(nRuns);
  let m = 0;
  for (let k = 0; k < nRuns; k++) {
    const pick = Math.floor(next() * nRuns);
    picks[k] = pick;
    m += start[pick + 1] - start[pick];
  }
  const rows = new Int32Array(m);
  const newRun = new Int32Array(m);
  for (let k = 0, at = 0; k < nRuns; k++) {
    for (let q = start[picks[k]]; q < start[picks[k] + 1]; q++, at++) {
      rows[at] = order[q];
      newRun[at] = k;
    }
  }
  const take = (a: Float64Array) => {
    const out = new Float64Array(m);
    for (let i = 0; i < m; i++) out[i] = a[rows[i]];
    return out;
  };
  return {
    params: take(data.params),
    tokens: take(data.tokens),
    flops: take(data.flops),
    loss: take(data.loss),
    ...(data.uniqueTokens ? { uniqueTokens: take(data.uniqueTokens) } : {}),
    run: newRun,
  };
}

/**
 * Resample r of the data: draws as many runs as there are, with replacement, and keeps every row of
 * each drawn run (checkpoints of a run are not independent, so they travel together).
 */
export function resampleRuns(data: FitData, seed: number, r: number): FitData {
  return drawRuns(data, groupRuns(data), seed, r);
}

/**
 * Newton iterations within which a quick fit (from the full-data optimum alone) is trusted. Over
 * 2,160 synthetic resamples (4 laws; ladders of 6, 30 and 100 runs; 0.5–5% noise) every quick fit
 * that ended in a worse optimum than the grid search needed 9 or more (bench/README.md, issue 11);
 * Epoch's resamples need 4–9 (mean 5.7).
 */
export const QUICK_ITERATIONS = 8;

/**
 * Fits resamples [from, to) sequentially. Pure: the same data, options and seed give the same
 * replicates whichever process runs which range. With `fallback`, `options` is a quick search: a
 * replicate whose quick fit did not end `converged` within {@link QUICK_ITERATIONS} iterations (its
 * optimum far from the start, where another basin may be better) is fitted again with `fallback`
 * and keeps the lower objective.
 */
export function bootstrapRange(
  data: FitData,
  options: FitOptions,
  seed: number,
  from: number,
  to: number,
  fallback?: FitOptions,
): Replicate[] {
  const out: Replicate[] = [];
  const runs = groupRuns(data);
  for (let r = from; r < to; r++) {
    const sample = drawRuns(data, runs, seed, r);
    try {
      let res = fit(sample, { ...options, now: undefined });
      if (fallback && (res.status !== "converged" || res.iterations > QUICK_ITERATIONS)) {
        const again = fit(sample, { ...fallback, now: undefined });
        if (!(res.objective.value <= again.objective.value)) res = again;
      }
      const ok = res.status === "converged" || res.status === "bound-hit";
      out.push(
        ok
          ? { index: r, theta: res.theta, status: res.status }
          : { index: r, theta: null, status: res.status, error: res.statusMessage },
      );
    } catch (e) {
      // A resample can be degenerate (too few distinct runs for the free parameters): a failed
      // replicate, counted. Anything else is a bug and must not hide as a failed resample.
      if (!(e instanceof InputError) || e.field !== "data") throw e;
      out.push({ index: r, theta: null, status: "too-few-runs", error: e.message });
    }
  }
  return out;
}
