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
 * The flags of the names the library marks in backquotes inside its messages, warnings and
 * checks (``map it with `params` "N"``); the CLI writes the flag instead. Most are data-loading
 * options (`LoadOptions`, whose column options carry the canonical field's name: `params` is the
 * column of sizes), so `family` here is `--family-col`, and the import's family is `setFamily`.
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
  setFamily: "--family",
  // Not load options: the store's path, the corpus folder and mirror (function arguments in the
  // library), the guide's early cut and fixed parameters, analyze's aggregation and the
  // downstream forecast's task-loss metric.
  db: "--db",
  root: "--from",
  origin: "--origin",
  minTokens: "--min-tokens",
  fix: "--fix",
  includeFailed: "--include-failed",
  via: "--via",
};

/** A message with each backquoted name of {@link LOAD_OPTION_FLAGS} (`` `params` ``) written as its flag. */
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

/** A library warning as the CLI prints it: one line, its backquoted names written as flags. */
export function warningLine(warning: string): string {
  return `scaleladder: warning: ${inFlagText(warning)}\n`;
}

/** The same verdict (or anything with warnings) with each warning's backquoted names as flags. */
export function withFlagWarnings<T extends { readonly warnings: readonly string[] }>(v: T): T {
  return { ...v, warnings: v.warnings.map((w) => inFlagText(w)) };
}
