import { availableParallelism } from "node:os";
import type { FitData, FitOptions } from "../fit/types.js";
import { watchedWorker } from "../math/workers.js";
import { bootstrapRange, type Replicate } from "./bootstrap.js";

/** Settings of a bootstrap; `workers` defaults to the machine's cores (at most 8). */
export interface BootstrapSettings {
  resamples: number;
  seed: number;
  workers?: number;
}

/**
 * Fits `resamples` bootstrap replicates across worker threads. Resample r always uses stream r of
 * the seed, and results are put back in index order, so the answer does not depend on `workers`.
 * The law must be given by name (options are sent to the workers as plain data).
 */
export async function bootstrapParallel(
  data: FitData,
  options: FitOptions,
  s: BootstrapSettings,
): Promise<Replicate[]> {
  const workers = Math.max(
    1,
    Math.min(s.workers ?? Math.min(availableParallelism(), 8), s.resamples),
  );
  const { now: _now, ...plain } = options;
  if (workers === 1 || s.resamples < 8) return bootstrapRange(data, plain, s.seed, 0, s.resamples);
  const chunk = Math.ceil(s.resamples / workers);
  const jobs: Promise<Replicate[]>[] = [];
  for (let w = 0; w < workers; w++) {
    const from = w * chunk;
    const to = Math.min(s.resamples, from + chunk);
    if (from >= to) break;
    let replicates: Replicate[] | undefined;
    const worker = watchedWorker(
      new URL("./bootstrap-worker.js", import.meta.url),
      { data, options: plain, seed: s.seed, from, to },
      (m) => {
        replicates = m as Replicate[];
      },
    );
    jobs.push(
      worker.done.then(() => {
        if (!replicates) throw new Error("bootstrap worker exited without its replicates");
        return replicates;
      }),
    );
  }
  return (await Promise.all(jobs)).flat();
}
