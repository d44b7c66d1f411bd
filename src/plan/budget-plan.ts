import { type Allocation, computeForLoss } from "./allocation.js";
import { compareScalingRules, type ScalingRow } from "./compare.js";
import { type DataConstrainedPlan, dataConstrainedPlan } from "./data-constrained.js";
import {
  type AllocationWithIntervals,
  allocationWithIntervals,
  type FitModel,
} from "./from-fit.js";
import { type InferencePlan, inferenceAwarePlan } from "./inference.js";
import type { PlanModel } from "./model.js";
import type { Hardware } from "./units.js";

/** What to plan for a law: any of a budget's allocation, a target loss, and the variations. */
export interface PlanRequest {
  /** Budget C in FLOPs. */
  readonly budget?: number;
  /** Hardware to express the budget in (accelerator-hours, days, cost). */
  readonly hardware?: Hardware;
  /** Currency symbol or code of costs (default `$`). */
  readonly currency?: string;
  /** The least compute reaching this loss. */
  readonly targetLoss?: number;
  /** Kaplan's vs Chinchilla's rule at ×1…×1000 the budget. */
  readonly compare?: boolean;
  /** Data-constrained plan with this many unique tokens. */
  readonly uniqueTokens?: number;
  /** Inference-aware plan for this many tokens served. */
  readonly inferenceTokens?: number;
}

/** A plan: the model, the request, and every answer asked for. */
export interface BudgetPlan {
  readonly model: PlanModel | FitModel;
  readonly request: PlanRequest;
  /** The budget's allocation, with bootstrap intervals when the model carries replicates. */
  readonly allocation?: AllocationWithIntervals;
  /** Interval level of the model's bootstrap. */
  readonly level: number;
  readonly warnings: readonly string[];
  readonly target?: Allocation;
  readonly compare?: readonly ScalingRow[];
  readonly dataConstrained?: DataConstrainedPlan;
  readonly inference?: InferencePlan;
}

/**
 * Plans with a law: the budget's compute-optimal allocation (closed form or iso-FLOP search), and,
 * as requested, the least compute for a target loss, the rule comparison, the data-constrained
 * and the inference-aware plans (those three need a budget).
 * @throws InputError from the planning functions for options they cannot take
 */
export function planBudget(model: PlanModel | FitModel, request: PlanRequest): BudgetPlan {
  const fm = model as Partial<FitModel>;
  const level = fm.level ?? 0.95;
  const { budget, uniqueTokens: U, inferenceTokens: T } = request;
  const warnings: string[] = [];
  let allocation: AllocationWithIntervals | undefined;
  if (budget !== undefined) {
    allocation = allocationWithIntervals(model, fm.replicates ?? [], budget, level, U);
    if (allocation.warning) warnings.push(allocation.warning);
  }
  return {
    model,
    request,
    allocation,
    level,
    warnings,
    ...(request.targetLoss !== undefined
      ? { target: computeForLoss(model, request.targetLoss) }
      : {}),
    ...(request.compare && budget !== undefined
      ? { compare: compareScalingRules(model, budget) }
      : {}),
    ...(U !== undefined && budget !== undefined
      ? { dataConstrained: dataConstrainedPlan(model, budget, U) }
      : {}),
    ...(T !== undefined && budget !== undefined
      ? { inference: inferenceAwarePlan(model, budget, T) }
      : {}),
  };
}
