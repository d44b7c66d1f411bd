// Planning: FLOPs, units, cost, and compute-optimal allocation. Pure functions; no I/O.

// Units, hardware and cost
export {
  ACCELERATORS,
  type Accelerator,
  acceleratorNames,
  getAccelerator,
} from "./accelerators.js";
// Allocation
export {
  type Allocation,
  chinchillaForLoss,
  chinchillaOptimal,
  computeForLoss,
  isoFlopOptimal,
  optimalAllocation,
} from "./allocation.js";
// Chinchilla approaches from data
export { type Approach1Result, approach1 } from "./approach1.js";
export { APPROACH2_BIAS_WARNING, type Approach2Result, approach2 } from "./approach2.js";
export { type Approach3Result, approach3 } from "./approach3.js";
export { type BudgetGroups, clusterFlops, groupByBudgetColumn, snapToBudgets } from "./budgets.js";
export { compareScalingRules, type ScalingRow } from "./compare.js";
export {
  efficientFrontier,
  type Frontier,
  type IsoLossContour,
  isoLossContours,
  logSpace,
} from "./contours.js";
export { type DataConstrainedPlan, dataConstrainedPlan } from "./data-constrained.js";
// FLOP counting
export {
  type DetailedFlops,
  detailedFlops,
  type TransformerShape,
  trainingFlops,
} from "./flops.js";
export { allocationWithIntervals, type FitModel, modelFromFitJson } from "./from-fit.js";
export { type InferencePlan, inferenceAwarePlan, tokensForLoss } from "./inference.js";
// Models and presets
export { type AllocationRule, lossAt, type PlanModel } from "./model.js";
export { getPreset, KAPLAN_RULE, PRESETS, presetNames } from "./presets.js";
export {
  budgetFromHardware,
  type ComputeUnits,
  checkBudget,
  computeUnits,
  flopsFromCost,
  flopsFromPfDays,
  type Hardware,
  PF_DAY,
} from "./units.js";
