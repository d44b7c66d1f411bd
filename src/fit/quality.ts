import { predictLoss } from "./fit.js";
import type { FitData, FitResult } from "./types.js";

/** How well a fit describes the rows it was fitted on. */
export interface FitQuality {
  /** Mean and largest |L − L̂| / L over the rows, as fractions. */
  readonly meanAbsRelResidual: number;
  readonly maxAbsRelResidual: number;
  /** Root mean square of log L − log L̂ (the scale the default objective works on). */
  readonly rmseLog: number;
}

/** Per-row fitted values and relative residuals (L − L̂) / L, in the data's row order. */
export interface Residuals {
  readonly fitted: Float64Array;
  readonly residual: Float64Array;
}

/** Fitted values and relative residuals of `fit` on `data`. */
export function residuals(fit: Pick<FitResult, "law" | "theta">, data: FitData): Residuals {
  const fitted = predictLoss(fit, {
    params: data.params,
    tokens: data.tokens,
    flops: data.flops,
    uniqueTokens: data.uniqueTokens,
  });
  const residual = new Float64Array(fitted.length);
  for (let i = 0; i < fitted.length; i++) residual[i] = (data.loss[i] - fitted[i]) / data.loss[i];
  return { fitted, residual };
}

/** Summary of {@link residuals}: mean and max |relative residual|, RMSE of log loss. */
export function fitQuality(fit: Pick<FitResult, "law" | "theta">, data: FitData): FitQuality {
  const { fitted, residual } = residuals(fit, data);
  let sum = 0;
  let max = 0;
  let sq = 0;
  const n = fitted.length;
  for (let i = 0; i < n; i++) {
    const a = Math.abs(residual[i]);
    sum += a;
    max = Math.max(max, a);
    const d = Math.log(data.loss[i]) - Math.log(fitted[i]);
    sq += d * d;
  }
  return {
    meanAbsRelResidual: n > 0 ? sum / n : Number.NaN,
    maxAbsRelResidual: n > 0 ? max : Number.NaN,
    rmseLog: n > 0 ? Math.sqrt(sq / n) : Number.NaN,
  };
}
