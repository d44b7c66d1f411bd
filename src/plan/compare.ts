import { type Allocation, optimalAllocation } from "./allocation.js";
import { lossAt, type PlanModel } from "./model.js";
import { KAPLAN_RULE } from "./presets.js";

/** One row of the Kaplan-vs-Chinchilla comparison. */
export interface ScalingRow {
  /** Budget multiple of the base budget (1, 10, 100, 1000). */
  readonly factor: number;
  readonly flops: number;
  /** Kaplan's rule: from the base allocation, N grows as k^0.73 and D as k^0.27. */
  readonly kaplan: Allocation;
  /** Chinchilla's rule: the compute-optimal allocation of the law (N and D grow alike, ≈ k^0.5). */
  readonly chinchilla: Allocation;
}

/**
 * Side-by-side prescriptions for budgets C·k: both start from the law's optimal allocation at the
 * base budget C; Kaplan's rule then scales N by k^0.73 and D by k^0.27 (Kaplan et al. 2020, §6.1,
 * Fig. 14), Chinchilla's takes the law's own optimum at C·k (Hoffmann et al. 2022, Table 2:
 * N and D both ∝ C^≈0.5). Both are scored with the model's loss, so the row shows what following
 * Kaplan's rule costs in loss.
 */
export function compareScalingRules(
  m: PlanModel,
  flops: number,
  factors: readonly number[] = [1, 10, 100, 1000],
): ScalingRow[] {
  const base = optimalAllocation(m, flops);
  return factors.map((k) => {
    const params = base.params * k ** KAPLAN_RULE.exponent;
    const tokens = base.tokens * k ** (1 - KAPLAN_RULE.exponent);
    const kaplan: Allocation = {
      params,
      tokens,
      loss: lossAt(m, params, tokens),
      flops: 6 * params * tokens,
      tokensPerParam: tokens / params,
      method: "rule",
    };
    return { factor: k, flops: flops * k, kaplan, chinchilla: optimalAllocation(m, flops * k) };
  });
}
