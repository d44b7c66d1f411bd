import { availableParallelism } from "node:os";
import type { FitData, FitOptions } from "../fit/types.js";
import { type WatchedWorker, watchedWorker } from "../math/workers.js";
import { bootstrapRange, type Replicate } from "./bootstrap.js";

/** Settings of a bootstrap; `workers` defaults to the machine's cores (at most 8). */
export interface BootstrapSettings {
  resamples: number;
  seed: number;
  workers?: number;
}

/** A bootstrap whose worker threads are already starting; run it once, or cancel it. */
export interface PreparedBootstrap {
  /**
   * Fits the replicates (see {@link bootstrapParallel}). The law must be given by name (options
   * are sent to the workers as plain data); `fallback` is passed to {@link bootstrapRange}.
   */
  run(data: FitData, options: FitOptions, fallback?: FitOptions): Promise<Replicate[]>;
  /** Ends the workers without running (e.g. when the full-data fit failed). */
  cancel(): Promise<void>;
}

/**
 * Starts the worker threads a bootstrap needs before its options are known, so that loading their
 * code (≈ 0.1 s each) overlaps the caller's full-data fit, whose optimum seeds the resamples.
 */
export function prepareBootstrap(s: BootstrapSettings): PreparedBootstrap {
  const workers = Math.max(
    1,
    Math.min(s.workers ?? Math.min(availableParallelism(), 8), s.resamples),
  );
  const sequential = workers === 1 || s.resamples < 8;
  const chunk = Math.ceil(s.resamples / workers);
  const ranges: [number, number][] = [];
  for (let from = 0; !sequential && from < s.resamples; from += chunk) {
    ranges.push([from, Math.min(s.resamples, from + chunk)]);
  }
  const results: (Replicate[] | undefined)[] = ranges.map(() => undefined);
  const started: WatchedWorker[] = ranges.map((_, w) =>
    watchedWorker(new URL("./bootstrap-worker.js", import.meta.url), undefined, (m) => {
      results[w] = m as Replicate[];
    }),
  );
  // A thread that dies before `run` is awaited must not be an unhandled rejection: `run` sees it.
  for (const w of started) w.done.catch(() => {});
  return {
    run: async (data, options, fallback) => {
      const { now: _now, ...plain } = options;
      const again = fallback && { ...fallback, now: undefined };
      if (sequential) return bootstrapRange(data, plain, s.seed, 0, s.resamples, again);
      started.forEach((worker, w) => {
        const [from, to] = ranges[w];
        worker.post({ data, options: plain, fallback: again, seed: s.seed, from, to });
      });
      await Promise.all(
        started.map((worker, w) =>
          worker.done.then(() => {
            if (!results[w]) throw new Error("bootstrap worker exited without its replicates");
          }),
        ),
      );
      return results.flatMap((r) => r ?? []);
    },
    cancel: async () => {
      await Promise.all(started.map((w) => w.stop()));
    },
  };
}

/**
 * Fits `resamples` bootstrap replicates across worker threads. Resample r always uses stream r of
 * the seed, and results are put back in index order, so the answer does not depend on `workers`.
 * The law must be given by name (options are sent to the workers as plain data); `fallback` is
 * passed to {@link bootstrapRange}.
 */
export function bootstrapParallel(
  data: FitData,
  options: FitOptions,
  s: BootstrapSettings,
  fallback?: FitOptions,
): Promise<Replicate[]> {
  return prepareBootstrap(s).run(data, options, fallback);
}
