import type { Verdict } from "../analysis/verdict.js";
import { formatSize } from "../data/size.js";
import { count } from "../errors.js";
import type { ForecastWithInterval } from "../estimate/forecast-interval.js";
import type { FitWithUncertainty } from "../estimate/uncertainty.js";
import { type DataRecord, fitJson, fitText, fmt } from "./fit.js";

/** Extra facts the caller knows about a forecast (borrowed parameters, the data's label). */
export interface ForecastContext {
  readonly data: DataRecord;
  /** Where fixed parameters came from, e.g. `preset hitchhiker` or `family gpt3`. */
  readonly borrowed?: {
    readonly from: string;
    readonly params: Readonly<Record<string, number>>;
  } | null;
  /** `simulated` for the built-in ladder, so no output can pass for real data. */
  readonly label?: string;
  /** The evidence model's verdict (analysis/verdict.ts). */
  readonly verdict?: Verdict;
}

/**
 * The `evaluate --json` object: `{target, predicted, actual, are, areFinal, interval, baselines,
 * train, test, settings, fit}`, ARE as a fraction (0.0383 means 3.83%).
 */
export function forecastJson(
  fw: ForecastWithInterval,
  ctx: ForecastContext,
  timing = true,
): Record<string, unknown> {
  const f = fw.forecast;
  return {
    ...(ctx.label ? { label: ctx.label } : {}),
    family: f.family,
    metric: f.metric,
    target: f.target.model,
    targetParams: f.target.params,
    targetTokens: f.target.maxTokens,
    predicted: f.predicted,
    actual: f.actual,
    are: f.are,
    areFinal: f.areFinal,
    interval: fw.interval,
    intervalLevel: fw.uncertainty?.bootstrap?.level ?? null,
    intervalKind: fw.interval ? "confidence" : null,
    predictionInterval: fw.prediction ?? null,
    intervalWarning: fw.intervalWarning ?? null,
    noise: fw.noise ?? null,
    status: f.status,
    error: f.error,
    ...(ctx.verdict ? verdictJson(ctx.verdict) : {}),
    baselines: f.baselines,
    train: f.train,
    test: f.test,
    settings: {
      protocol: f.protocol,
      fraction: f.fraction,
      minTokens: f.minTokens,
      borrowed: ctx.borrowed ?? null,
    },
    fit: fw.forecast.fit ? fitJson(asUncertain(fw), ctx.data, timing) : null,
  };
}

/** The first names of a list and how many more (the JSON has them all). */
function few(names: readonly string[], n = 8): string {
  return names.length <= n
    ? names.join(", ")
    : `${names.slice(0, n).join(", ")}, … ${names.length - n} more (all in the JSON)`;
}

/** A readable forecast: target, prediction with interval, truth, ARE, baselines, then the fit. */
export function forecastText(fw: ForecastWithInterval, ctx: ForecastContext): string {
  const f = fw.forecast;
  const pct = (v: number) => (Number.isFinite(v) ? `${(100 * v).toFixed(2)}%` : "n/a");
  const tag = ctx.label ? ` [${ctx.label}]` : "";
  const level = Math.round((fw.uncertainty?.bootstrap?.level ?? 0.95) * 100);
  const iv = fw.interval
    ? `  ${level}% confidence interval [${fmt(fw.interval[0], 5)}, ${fmt(fw.interval[1], 5)}] (expected loss)`
    : "";
  const pi = fw.prediction
    ? [
        `           ${level}% prediction interval [${fmt(fw.prediction[0], 5)}, ${fmt(fw.prediction[1], 5)}] (an observed loss: adds run and checkpoint noise${fw.noise?.source === "seeds" ? " from seeds" : ""})`,
      ]
    : [];
  const where = (i: readonly [number, number] | null | undefined, kind: string) =>
    i
      ? `${f.actual >= i[0] && f.actual <= i[1] ? "inside" : "outside"} the ${kind} interval`
      : null;
  const said = [where(fw.interval, "confidence"), where(fw.prediction, "prediction")].filter(
    Boolean,
  );
  const inside = said.length ? `  (${said.join(", ")})` : "";
  const lines = [
    `forecast${tag}  family ${f.family}, target ${f.target.model} (N=${formatSize(f.target.params)}, D=${formatSize(f.target.maxTokens)}), metric ${f.metric}`,
    `trained on ${f.train.models.join(", ") || "nothing"}: ${f.train.rows} checkpoints, ${f.train.sizes} sizes, scale-up ×${fmt(f.train.scaleUp, 3)}, ${fmt(f.train.flops, 3)} FLOPs`,
    ...(f.train.dropped.length > 0
      ? [
          `dropped    ${count(f.train.dropped.length, "run")} with no checkpoint past ${fmt(f.minTokens)} tokens: ${few(f.train.dropped)}`,
        ]
      : []),
    ...(f.train.excluded.length > 0
      ? [
          `excluded   ${f.train.excluded.length} other runs of the target's size from training: ${few(f.train.excluded)}`,
        ]
      : []),
    `settings   protocol ${f.protocol}, fraction ${f.fraction}, tokens > ${fmt(f.minTokens)}${
      ctx.borrowed
        ? `, borrowed ${Object.entries(ctx.borrowed.params)
            .map(([k, v]) => `${k}=${fmt(v)}`)
            .join(", ")} from ${ctx.borrowed.from}`
        : ""
    }`,
    `status     ${f.status}${f.error ? ` (${f.error})` : ""}`,
    "",
    `predicted  ${fmt(f.predicted, 5)}${iv}`,
    ...pi,
    ...(fw.intervalWarning ? [`           warning: ${fw.intervalWarning}`] : []),
    `actual     ${fmt(f.actual, 5)}${inside}`,
    `ARE        ${pct(f.are)} over the last 30% of the target's tokens (${f.test.actual.length} checkpoints); ${pct(f.areFinal)} at the final one`,
    `baselines  best observed ${fmt(f.baselines.best.value, 5)} (ARE ${pct(f.baselines.best.are)}); most-trained ${fmt(f.baselines.mostTrained.value, 5)} (ARE ${pct(f.baselines.mostTrained.are)})`,
  ];
  if (ctx.verdict) lines.push(...verdictLines(ctx.verdict));
  const fit = f.fit ? `\n${fitText(asUncertain(fw), ctx.data)}` : "";
  return `${lines.join("\n")}\n${fit}`;
}

function asUncertain(fw: ForecastWithInterval): FitWithUncertainty {
  return (
    fw.uncertainty ?? {
      fit: fw.forecast.fit as NonNullable<typeof fw.forecast.fit>,
      intervals: {},
      bootstrap: null,
      replicates: [],
    }
  );
}

/** The verdict's JSON fields: `verdict`, `grade`, `expectedAre`, `extrapolation`, `warnings`. */
export function verdictJson(v: Verdict): Record<string, unknown> {
  return {
    verdict: v.verdict,
    grade: v.grade,
    noiseFloor: v.noiseFloor,
    expectedAre: v.expectedAre,
    extrapolation: v.extrapolation,
    warnings: v.warnings,
  };
}

/** The verdict as text lines: the verdict, the extrapolation factors, then each warning. */
export function verdictLines(v: Verdict): string[] {
  const x = (n: number) => (Number.isFinite(n) ? `×${fmt(n, 3)}` : "n/a");
  return [
    `verdict    ${v.verdict}`,
    `extrapolation  N ${x(v.extrapolation.params)}, D ${x(v.extrapolation.tokens)}`,
    ...v.warnings.map((w) => `warning    ${w}`),
  ];
}
