// biome-ignore-all assist/source/organizeImports: the public surface is grouped by folder, in layer order
/**
 * scaleladder: forecast a large model's loss from a ladder of small runs.
 * One explicit public surface, grouped by folder in layer order (see docs/ARCHITECTURE.md).
 */

// errors
export { InputError } from "./errors.js";

// math
export { percentileInterval } from "./math/percentile.js";
export { rng } from "./math/random.js";

// data
export type { FitData } from "./data/fitdata.js";
export { toFitData } from "./data/fitdata.js";
export { loadRuns } from "./data/load.js";
export { parseSize } from "./data/size.js";
export type { RunTable } from "./data/types.js";

// laws
export type { Columns, Law, ParamSpec, RawColumns } from "./laws/index.js";
export { builtinLaws, getLaw, lawNames, makeColumns } from "./laws/index.js";

// fit
export { fit, predictLoss } from "./fit/fit.js";
export type { Objective } from "./fit/objectives/index.js";
export { getObjective, objectiveNames } from "./fit/objectives/index.js";
export type { OptimizeResult, Optimizer } from "./fit/optimizers/index.js";
export { builtinOptimizers, getOptimizer } from "./fit/optimizers/index.js";
export type { FitChoices, FitInput, FitOptions, FitResult, FitStatus } from "./fit/types.js";

// estimate
export { baselines } from "./estimate/baselines.js";
export { resampleRuns } from "./estimate/bootstrap.js";
export { BORROW_PRESETS, borrowPreset } from "./estimate/borrow.js";
export type {
  DownstreamForecast,
  DownstreamPrediction,
  DownstreamSpec,
} from "./estimate/downstream.js";
export { forecastDownstream, predictDownstream } from "./estimate/downstream.js";
export type { Forecast, ForecastSpec } from "./estimate/forecast.js";
export { evaluateForecast, forecast } from "./estimate/forecast.js";
export type { NoiseModel, PointIntervals } from "./estimate/intervals.js";
export { intervalsAt, residualNoise, withSeedNoise } from "./estimate/intervals.js";
export type { LinkFit, LinkName } from "./estimate/link-fit.js";
export { fitLink, linkValue } from "./estimate/link-fit.js";
export { seedNoise } from "./estimate/noise.js";
export type { Prediction, Target } from "./estimate/predict.js";
export { predict } from "./estimate/predict.js";
export type { Rollout, RolloutCell, RolloutSpec } from "./estimate/rollout.js";
export { rollout } from "./estimate/rollout.js";
export type { Estimate, FitWithUncertainty, UncertaintyOptions } from "./estimate/uncertainty.js";
export { fitWithUncertainty, predictWithInterval } from "./estimate/uncertainty.js";

// plan
export type { Allocation, PlanModel } from "./plan/index.js";
export {
  ACCELERATORS,
  approach1,
  approach2,
  approach3,
  budgetFromHardware,
  chinchillaOptimal,
  compareScalingRules,
  computeForLoss,
  computeUnits,
  dataConstrainedPlan,
  detailedFlops,
  efficientFrontier,
  getPreset,
  inferenceAwarePlan,
  isoLossContours,
  optimalAllocation,
  PF_DAY,
  presetNames,
  trainingFlops,
} from "./plan/index.js";

// analysis
export type { CompareSpec, Comparison } from "./analysis/compare.js";
export { compareFamilies, computeMultiplier } from "./analysis/compare.js";
export type { CoverageCell, CoverageSummary } from "./analysis/coverage.js";
export { coverageCells, summarizeCoverage } from "./analysis/coverage.js";
export { summarizeAnalysis } from "./analysis/summary.js";
export { EXPERIMENTS } from "./analysis/types.js";

// report
export { fitJson, fitText } from "./report/fit.js";
export type { PlotInputs, PlotKind, Spec } from "./report/plots/index.js";
export { PLOT_KINDS, plotSpec } from "./report/plots/index.js";
export { type PngOptions, renderPng, renderSvg, toHtml } from "./report/render.js";
