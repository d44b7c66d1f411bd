import { InputError } from "../errors.js";
import { type Allocation, optimalAllocation } from "./allocation.js";
import { bisect, minimize1d } from "./minimize.js";
import { lossAt, type PlanModel } from "./model.js";

/** An allocation that also serves `inferenceTokens` tokens, with its total compute. */
export interface InferencePlan {
  /** Training-only optimum at the budget: the loss the inference-aware model must match. */
  readonly trainingOptimal: Allocation & { readonly totalFlops: number };
  /** Smallest training + inference compute reaching the same loss. */
  readonly inferenceAware: Allocation & { readonly totalFlops: number };
  readonly inferenceTokens: number;
  /** inferenceAware.params / trainingOptimal.params (< 1: a smaller model). */
  readonly paramsRatio: number;
  /** inferenceAware.tokens / trainingOptimal.tokens (> 1: trained longer). */
  readonly tokensRatio: number;
  /** 1 − inferenceAware.totalFlops / trainingOptimal.totalFlops. */
  readonly savings: number;
}

/**
 * Tokens D that bring a model of size N to loss `target` (the loss falls with D), by bisection on ln D;
 * NaN when no D in [1, 1e30] does.
 */
export function tokensForLoss(
  m: Pick<PlanModel, "law" | "theta">,
  params: number,
  target: number,
): number {
  const lnD = bisect((u) => lossAt(m, params, Math.exp(u)) - target, 0, Math.log(1e30), 1e-13);
  return Math.exp(lnD);
}

/**
 * Inference-aware allocation (Sardana et al. 2024, Beyond Chinchilla-Optimal, §2): minimise
 * 6·N·D_train + 2·N·T_inference subject to L(N, D_train) = ℓ, where ℓ is the loss of the
 * training-optimal allocation of `flops`. For each N the constraint fixes D_train(N); the total is
 * minimised over ln N between the size that reaches ℓ only with D → 1e30 tokens and 10⁴ × the
 * training-optimal size.
 * @throws InputError for negative inference tokens
 */
export function inferenceAwarePlan(
  m: PlanModel,
  flops: number,
  inferenceTokens: number,
): InferencePlan {
  if (!(inferenceTokens >= 0) || !Number.isFinite(inferenceTokens)) {
    throw new InputError(`inferenceTokens must be a non-negative number, got ${inferenceTokens}`, {
      field: "inferenceTokens",
    });
  }
  const base = optimalAllocation(m, flops);
  const target = base.loss;
  const total = (N: number, D: number) => 6 * N * D + 2 * N * inferenceTokens;
  // Smallest N that can reach the target at all: loss with (practically) unlimited data.
  const lnNmin = bisect(
    (u) => lossAt(m, Math.exp(u), 1e30) - target,
    0,
    Math.log(base.params),
    1e-13,
  );
  const lo = Number.isNaN(lnNmin) ? Math.log(base.params) - 10 : lnNmin + 1e-9;
  const hi = Math.log(base.params) + Math.log(1e4);
  const cost = (u: number) => {
    const N = Math.exp(u);
    const D = tokensForLoss(m, N, target);
    return Number.isFinite(D) ? Math.log(total(N, D)) : Infinity;
  };
  const r = minimize1d(cost, lo, hi, 241, 1e-12);
  const N = Math.exp(r.x);
  const D = tokensForLoss(m, N, target);
  const aware = {
    params: N,
    tokens: D,
    loss: lossAt(m, N, D),
    flops: 6 * N * D,
    tokensPerParam: D / N,
    method: "iso-flop" as const,
    totalFlops: total(N, D),
  };
  const trainingOptimal = { ...base, totalFlops: total(base.params, base.tokens) };
  return {
    trainingOptimal,
    inferenceAware: aware,
    inferenceTokens,
    paramsRatio: N / base.params,
    tokensRatio: D / base.tokens,
    savings: 1 - aware.totalFlops / trainingOptimal.totalFlops,
  };
}
