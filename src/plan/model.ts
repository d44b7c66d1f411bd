import type { Law } from "../laws/types.js";
import { makeColumns } from "../laws/types.js";

/**
 * A law with its parameters: what planning needs. `rule` marks a model whose allocation is a
 * published rule rather than the law's own optimum (Kaplan et al. 2020's N ∝ C^0.73).
 */
export interface PlanModel {
  readonly name: string;
  readonly law: Law;
  readonly theta: Float64Array;
  readonly reference: string;
  readonly rule?: AllocationRule;
  /** What a user of this law should know before trusting its allocation (printed by `plan`). */
  readonly note?: string;
}

/** A published power-law allocation N_opt = k · (C / unit)^exponent; D = C/(6N). */
export interface AllocationRule {
  readonly name: string;
  readonly coefficient: number;
  readonly exponent: number;
  /** FLOPs per unit of C in the rule (e.g. 8.64e19 for PF-days). */
  readonly unit: number;
  readonly reference: string;
}

/**
 * Predicted loss of one model at (N, D), optionally with U unique tokens (data-constrained laws);
 * C = 6·N·D.
 * @example lossAt(hoffmann, 70e9, 1.4e12) // ≈ 1.9366
 */
export function lossAt(
  m: Pick<PlanModel, "law" | "theta">,
  params: number,
  tokens: number,
  uniqueTokens?: number,
): number {
  const x = makeColumns(
    [params],
    [tokens],
    [6 * params * tokens],
    uniqueTokens === undefined ? undefined : [uniqueTokens],
  );
  const out = new Float64Array(1);
  m.law.predict(m.theta, x, out);
  return out[0];
}
