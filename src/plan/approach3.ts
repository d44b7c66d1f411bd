import { fit } from "../fit/fit.js";
import type { FitData, FitOptions, FitResult } from "../fit/types.js";
import { chinchilla } from "../laws/chinchilla.js";
import type { PlanModel } from "./model.js";

/** The result of Chinchilla's Approach 3 on data. */
export interface Approach3Result {
  readonly fit: FitResult;
  readonly model: PlanModel;
  /** a = β/(α+β) in N_opt ∝ C^a (Hoffmann et al. 2022: 0.46; Besiroglu et al. 2024: 0.51). */
  readonly exponentN: number;
  /** b = α/(α+β) in D_opt ∝ C^b. */
  readonly exponentD: number;
}

/**
 * Chinchilla Approach 3 (Hoffmann et al. 2022, §3.3): fit L = E + A·N^-α + B·D^-β with the project's
 * fitter (default settings: Huber δ = 1e-3 on ln L, variable-projection starts), then allocate with
 * the closed form; the exponents are a = β/(α+β), b = α/(α+β).
 */
export function approach3(data: FitData, options: Omit<FitOptions, "law"> = {}): Approach3Result {
  const r = fit(data, { ...options, law: chinchilla });
  const { alpha, beta } = r.params;
  return {
    fit: r,
    model: {
      name: "approach 3",
      law: chinchilla,
      theta: r.theta,
      reference: "fitted: Hoffmann et al. 2022, Approach 3",
    },
    exponentN: beta / (alpha + beta),
    exponentD: alpha / (alpha + beta),
  };
}
