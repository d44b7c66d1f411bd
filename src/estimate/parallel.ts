import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import type { FitData, FitOptions } from "../fit/types.js";
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
    jobs.push(
      new Promise((resolve, reject) => {
        const worker = new Worker(new URL("./bootstrap-worker.js", import.meta.url), {
          workerData: { data, options: plain, seed: s.seed, from, to },
        });
        worker.once("message", (m: Replicate[]) => resolve(m));
        worker.once("error", reject);
        worker.once("exit", (code) => {
          if (code !== 0) reject(new Error(`bootstrap worker exited with code ${code}`));
        });
      }),
    );
  }
  return (await Promise.all(jobs)).flat();
}
