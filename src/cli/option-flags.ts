import { InputError, InputErrors } from "../errors.js";

/**
 * The flag that sets each library option. The library validates its options and names them in
 * its errors (`budget`, `overWeight`); only the CLI speaks of `--flags`, so it renames them here.
 */
export const OPTION_FLAGS: Readonly<Record<string, string>> = {
  law: "--law",
  column: "--x",
  objective: "--objective",
  delta: "--delta",
  overWeight: "--over-weight",
  fix: "--fix",
  optimizer: "--optimizer",
  starts: "--starts",
  refine: "--refine",
  resamples: "--bootstrap",
  seed: "--seed",
  level: "--level",
  workers: "--workers",
  budget: "--budget",
  gpus: "--gpus",
  days: "--days",
  gpu: "--gpu",
  peakFlops: "--peak-flops",
  mfu: "--mfu",
  pricePerGpuHour: "--price-per-gpu-hour",
  layers: "--layers",
  dModel: "--d-model",
  context: "--context",
  dFF: "--d-ff",
  heads: "--heads",
  vocab: "--vocab",
  preset: "--preset",
  // The plan model that cannot allocate came from a fit (presets all can).
  model: "--fit",
  runs: "--runs",
  targetLoss: "--target-loss",
  uniqueTokens: "--unique-tokens",
  inferenceTokens: "--inference-tokens",
  family: "--family",
  metric: "--metric",
  target: "--target",
  train: "--models",
  fraction: "--fraction",
  borrow: "--borrow",
  borrowPreset: "--borrow-preset",
  where: "--where",
  format: "--format",
  manifest: "--manifest",
  repeats: "--repeats",
  targetParams: "--target-params",
  targetTokens: "--target-tokens",
};

/**
 * The flags of the options the library marks in backquotes inside its messages (``map it with
 * `params` "N"``); the CLI writes the flag instead. These are the data-loading options
 * (`LoadOptions`, whose column options carry the canonical field's name: `params` is the column of
 * sizes), so `family` here is `--family-col`, not {@link OPTION_FLAGS}' `--family`.
 */
export const LOAD_OPTION_FLAGS: Readonly<Record<string, string>> = {
  params: "--params-col",
  tokens: "--tokens-col",
  flops: "--flops-col",
  loss: "--loss-col",
  family: "--family-col",
  model: "--model-col",
  seed: "--seed-col",
  step: "--step-col",
  metricCol: "--metric-col",
  valueCol: "--value-col",
  tokensPerStep: "--tokens-per-step",
  metric: "--metric",
  uniqueTokens: "--unique-tokens-col",
  where: "--where",
  strict: "--strict",
  repeats: "--repeats",
  format: "--format",
  // Not a load option: the downstream forecast's task-loss metric.
  via: "--via",
};

/** A message with each backquoted load option (`` `params` ``) written as its flag. */
export function inFlagText(
  message: string,
  flags: Readonly<Record<string, string>> = LOAD_OPTION_FLAGS,
): string {
  return message.replace(/`([A-Za-z]+)`/g, (m, name: string) => flags[name] ?? m);
}

/**
 * The same error speaking of flags: its field, and the option's name where the reason starts with
 * it, become the flag (`budget must be …` → `--budget: --budget must be …`). Errors about a place
 * in a file, or about no option, pass unchanged.
 */
export function inFlagTerms(
  e: InputError,
  flags: Readonly<Record<string, string>> = OPTION_FLAGS,
): InputError {
  const option = e.field;
  const flag = option !== undefined ? flags[option] : undefined;
  if (!option || !flag || e instanceof InputErrors || e.file !== undefined) return e;
  const reason = e.reason.startsWith(`${option} `)
    ? `${flag}${e.reason.slice(option.length)}`
    : e.reason;
  return new InputError(reason, { field: flag, hint: e.hint });
}
