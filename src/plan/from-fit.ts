import { InputError } from "../errors.js";
import { getLaw } from "../laws/index.js";
import { percentileInterval } from "../math/percentile.js";
import { type Allocation, optimalAllocation } from "./allocation.js";
import type { PlanModel } from "./model.js";

/** A fit read back from `scaleladder fit --json`, plus bootstrap replicates when known. */
export interface FitModel extends PlanModel {
  /** Parameter vectors of the bootstrap replicates (empty when the JSON has none). */
  readonly replicates: readonly Float64Array[];
  /** Interval level of the fit's bootstrap (0.95 when absent). */
  readonly level: number;
  /** The fit's recorded bootstrap settings, or null. */
  readonly bootstrap: {
    readonly resamples: number;
    readonly seed: number;
    readonly level: number;
  } | null;
}

/**
 * A fitted law as a plan model (`fitted chinchilla`, fitted to `source`), and whether it can be
 * planned with: only a law of both N and D has a compute-optimal allocation.
 */
export function fittedPlanModel(
  fit: { readonly law: PlanModel["law"]; readonly theta: Float64Array },
  source: string,
): { model: PlanModel; planable: boolean } {
  return {
    model: {
      name: `fitted ${fit.law.name}`,
      law: fit.law,
      theta: fit.theta,
      reference: `fitted to ${source}`,
    },
    planable: fit.law.inputs.includes("params") && fit.law.inputs.includes("tokens"),
  };
}

/**
 * Reads the object that `scaleladder fit --json` prints (see report/fit.ts `fitJson`): `law`,
 * `params`, `settings.bootstrap`, and optionally `replicates` (arrays in the law's parameter order
 * or objects by name), into a plan model.
 * @throws InputError naming what is missing or unknown
 */
export function modelFromFitJson(json: unknown, file = "fit.json"): FitModel {
  const o = json as Record<string, unknown> | null;
  if (
    !o ||
    typeof o !== "object" ||
    typeof o.law !== "string" ||
    !o.params ||
    typeof o.params !== "object"
  ) {
    throw new InputError(
      "not a fit: expected the object of `scaleladder fit --json` with law and params",
      {
        file,
        hint: "write it with scaleladder fit runs.csv --json > fit.json",
      },
    );
  }
  const law = getLaw(o.law, { column: (o.settings as { column?: "params" } | undefined)?.column });
  const params = o.params as Record<string, unknown>;
  const theta = Float64Array.from(law.params, (p) => {
    const v = params[p.name];
    if (typeof v !== "number" || !Number.isFinite(v)) {
      throw new InputError(`fit has no finite value for parameter ${p.name} of law ${law.name}`, {
        file,
        field: p.name,
      });
    }
    return v;
  });
  const reps = Array.isArray(o.replicates) ? (o.replicates as unknown[]) : [];
  const replicates: Float64Array[] = [];
  for (const t of reps.map((r) => {
    const t = (r as { theta?: unknown })?.theta ?? r;
    if (Array.isArray(t)) return Float64Array.from(t as number[]);
    if (t && typeof t === "object")
      return Float64Array.from(law.params, (p) => Number((t as Record<string, unknown>)[p.name]));
    return null;
  })) {
    if (t && t.length === law.params.length && t.every(Number.isFinite)) replicates.push(t);
  }
  const b = (
    o.settings as
      | { bootstrap?: { resamples?: number; seed?: number; level?: number } | null }
      | undefined
  )?.bootstrap;
  const bootstrap =
    b && (b.resamples ?? 0) > 0
      ? { resamples: b.resamples ?? 0, seed: b.seed ?? 0, level: b.level ?? 0.95 }
      : null;
  return {
    name: `fit (${file})`,
    law,
    theta,
    reference: `fitted ${law.name} law from ${file}`,
    replicates,
    level: bootstrap?.level ?? 0.95,
    bootstrap,
  };
}

/** An allocation with percentile intervals over bootstrap replicates. */
export interface AllocationWithIntervals extends Allocation {
  readonly intervals: {
    readonly params: readonly [number, number];
    readonly tokens: readonly [number, number];
    readonly loss: readonly [number, number];
  } | null;
  readonly replicatesUsed: number;
}

/**
 * The optimal allocation of the point fit, and percentile intervals from re-allocating the budget
 * under every bootstrap replicate's parameters (Besiroglu et al. 2024 report intervals this way).
 */
export function allocationWithIntervals(
  m: PlanModel,
  replicates: readonly Float64Array[],
  flops: number,
  level = 0.95,
  uniqueTokens?: number,
): AllocationWithIntervals {
  const point = optimalAllocation(m, flops, uniqueTokens);
  if (replicates.length === 0) return { ...point, intervals: null, replicatesUsed: 0 };
  const rs = replicates.map((theta) => optimalAllocation({ ...m, theta }, flops, uniqueTokens));
  return {
    ...point,
    intervals: {
      params: percentileInterval(
        rs.map((r) => r.params),
        level,
      ),
      tokens: percentileInterval(
        rs.map((r) => r.tokens),
        level,
      ),
      loss: percentileInterval(
        rs.map((r) => r.loss),
        level,
      ),
    },
    replicatesUsed: rs.length,
  };
}
