import type { FitData } from "../data/fitdata.js";
import { InputError } from "../errors.js";
import { fitWithUncertainty } from "../estimate/uncertainty.js";
import type { FitOptions } from "../fit/types.js";
import type { FitModel } from "./from-fit.js";

/** The fit settings `scaleladder fit --json` records that a refit must repeat. */
function recordedOptions(json: unknown, law: string): FitOptions {
  const o = (json ?? {}) as { settings?: Record<string, unknown> };
  const s = o.settings ?? {};
  const text = (v: unknown) => (typeof v === "string" ? v : undefined);
  const numbers = (v: unknown) =>
    v && typeof v === "object" ? (v as Record<string, number>) : ({} as Record<string, number>);
  const os = numbers(s.objectiveSettings);
  const starts = text(s.starts);
  return {
    law,
    objective: text(s.objective),
    delta: os.delta,
    overWeight: os.overWeight,
    fix: numbers(s.fixed),
    optimizer: text(s.optimizer),
    starts:
      starts === "vp-grid" || starts === "epoch-grid" || starts === "given" ? starts : undefined,
  };
}

/**
 * The bootstrap replicates of a fit whose JSON records its bootstrap settings but not the
 * replicates: refits `data` with the recorded settings and seed (the bootstrap is deterministic),
 * checks that the point fit agrees with the JSON's to 1e-6, and returns the replicates' parameters.
 * @param source names the runs in the message when they do not reproduce the fit
 * @throws InputError (field `runs`) when the refit differs: these are not the runs of the fit
 */
export async function replicatesByRefit(
  m: FitModel,
  json: unknown,
  data: FitData,
  o: { source: string; workers?: number },
): Promise<Float64Array[]> {
  const u = await fitWithUncertainty(data, recordedOptions(json, m.law.name), {
    resamples: m.bootstrap?.resamples,
    seed: m.bootstrap?.seed,
    level: m.bootstrap?.level,
    workers: o.workers,
  });
  m.law.params.forEach((p, j) => {
    if (Math.abs(u.fit.theta[j] - m.theta[j]) > 1e-6 * Math.abs(m.theta[j])) {
      throw new InputError(
        `refitting ${o.source} gives ${p.name} = ${u.fit.theta[j]}, not the fit's ${m.theta[j]}`,
        {
          field: "runs",
          hint: "give the runs the fit was made on, with the same column and filter options",
        },
      );
    }
  });
  return u.replicates.flatMap((r) => (r.theta ? [r.theta] : []));
}
