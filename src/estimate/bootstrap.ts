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

/**
 * Resample r of the data: draws as many runs as there are, with replacement, and keeps every row of
 * each drawn run (checkpoints of a run are not independent, so they travel together).
 */
export function resampleRuns(data: FitData, seed: number, r: number): FitData {
  const run = data.run ?? Int32Array.from({ length: data.loss.length }, (_, i) => i);
  let nRuns = 0;
  for (let i = 0; i < run.length; i++) nRuns = Math.max(nRuns, run[i] + 1);
  const rowsOf: number[][] = Array.from({ length: nRuns }, () => []);
  for (let i = 0; i < run.length; i++) rowsOf[run[i]].push(i);
  const next = rng(seed, r + 1);
  const rows: number[] = [];
  const newRun: number[] = [];
  for (let k = 0; k < nRuns; k++) {
    const pick = Math.floor(next() * nRuns);
    for (const i of rowsOf[pick]) {
      rows.push(i);
      newRun.push(k);
    }
  }
  const take = (a: Float64Array) => Float64Array.from(rows, (i) => a[i]);
  return {
    params: take(data.params),
    tokens: take(data.tokens),
    flops: take(data.flops),
    loss: take(data.loss),
    ...(data.uniqueTokens ? { uniqueTokens: take(data.uniqueTokens) } : {}),
    run: Int32Array.from(newRun),
  };
}

/**
 * Fits resamples [from, to) sequentially. Pure: the same data, options and seed give the same
 * replicates whichever process runs which range.
 */
export function bootstrapRange(
  data: FitData,
  options: FitOptions,
  seed: number,
  from: number,
  to: number,
): Replicate[] {
  const out: Replicate[] = [];
  for (let r = from; r < to; r++) {
    const sample = resampleRuns(data, seed, r);
    try {
      const res = fit(sample, { ...options, now: undefined });
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
