import { formatSize } from "../data/size.js";
import type { DownstreamForecast, DownstreamPrediction } from "../estimate/downstream.js";
import type { LinkFit } from "../estimate/link-fit.js";
import { fmt } from "./fit.js";

/**
 * The `evaluate --json` object of a downstream forecast: the usual `predicted, actual, are,
 * areFinal, interval` of the downstream metric, beside `step1` (the task-loss forecast; null on the
 * direct route) and `step2` (the link: its fit, status and error on the training points), and
 * `noise` (checkpoint noise and the reasons a task is flagged unpredictable).
 */
export function downstreamJson(f: DownstreamForecast, label?: string): Record<string, unknown> {
  const s1 = f.step1;
  return {
    ...(label ? { label } : {}),
    route: f.route,
    family: f.family,
    metric: f.metric,
    via: f.via,
    target: f.target.model,
    targetParams: f.target.params,
    targetTokens: f.target.maxTokens,
    predicted: f.predicted,
    actual: f.actual,
    are: f.are,
    areFinal: f.areFinal,
    interval: f.interval,
    intervalLevel: f.bootstrap?.level ?? null,
    intervalKind: f.interval ? "confidence (whole-run bootstrap through both steps)" : null,
    predictionInterval: f.prediction,
    status: f.status,
    error: f.error,
    step1: s1
      ? {
          metric: s1.metric,
          law: s1.fit?.law.name ?? null,
          params: s1.fit?.params ?? null,
          status: s1.status,
          error: s1.error,
          trainAre: s1.trainAre,
          predicted: s1.predicted,
          actual: s1.actual,
          are: s1.are,
          areFinal: s1.areFinal,
          interval: s1.interval,
          train: s1.train,
        }
      : null,
    step2: {
      x: f.step2.x,
      link: f.link,
      params: f.step2.fit?.params ?? null,
      fixed: f.step2.fit?.fixed ?? {},
      status: f.step2.fit?.status ?? "failed",
      statusMessage: f.step2.fit?.statusMessage ?? null,
      points: f.step2.points,
      models: f.step2.models,
      rmse: f.step2.fit?.rmse ?? null,
      r2: f.step2.fit?.r2 ?? null,
      oracle: f.step2.oracle,
    },
    noise: f.noise,
    test: f.test,
    bootstrap: f.bootstrap,
  };
}

/** A readable downstream forecast: both steps, the chained prediction, and the flags. */
export function downstreamText(f: DownstreamForecast, label?: string): string {
  const pct = (v: number) => (Number.isFinite(v) ? `${(100 * v).toFixed(2)}%` : "n/a");
  const level = Math.round((f.bootstrap?.level ?? 0.95) * 100);
  const iv = (i: readonly [number, number] | null) =>
    i ? `  ${level}% confidence interval [${fmt(i[0], 4)}, ${fmt(i[1], 4)}]` : "";
  const s1 = f.step1;
  const lines = [
    `downstream${label ? ` [${label}]` : ""}  family ${f.family}, target ${f.target.model} (N=${formatSize(f.target.params)}, D=${formatSize(f.target.maxTokens)}), metric ${f.metric}, route ${f.route}`,
    `status     ${f.status}${f.error ? ` (${f.error})` : ""}`,
  ];
  if (s1)
    lines.push(
      `step 1     ${s1.metric} by ${s1.fit?.law.name ?? "no fit"} on ${s1.train.models.length} runs (${s1.train.rows} checkpoints, in-sample ARE ${pct(s1.trainAre)}): predicted ${fmt(s1.predicted, 5)}, actual ${fmt(s1.actual, 5)}, ARE ${pct(s1.areFinal)}${iv(s1.interval)}`,
    );
  lines.push(
    `step 2     ${f.metric} = ${linkFormula(f.step2.fit, f.step2.x)} on ${f.step2.points} points of ${f.step2.models.length} runs: ${f.step2.fit?.status ?? "failed"}, RMSE ${fmt(f.step2.fit?.rmse ?? Number.NaN, 3)}, r² ${fmt(f.step2.fit?.r2 ?? Number.NaN, 3)}`,
  );
  if (Number.isFinite(f.step2.oracle.predicted))
    lines.push(
      `           at the target's actual ${f.step2.x}: ${fmt(f.step2.oracle.predicted, 4)} (ARE ${pct(f.step2.oracle.are)}, step 2's own error)`,
    );
  lines.push(
    "",
    `predicted  ${fmt(f.predicted, 4)}${iv(f.interval)}`,
    ...(f.prediction
      ? [
          `           ${level}% prediction interval [${fmt(f.prediction[0], 4)}, ${fmt(f.prediction[1], 4)}] (one evaluation: adds checkpoint noise)`,
        ]
      : []),
    `actual     ${fmt(f.actual, 4)}`,
    `ARE        ${pct(f.are)} over the last 30% of the target's tokens (${f.test.actual.length} checkpoints); ${pct(f.areFinal)} at the final one`,
    `noise      checkpoint σ ${Number.isFinite(f.noise.checkpoint) ? fmt(f.noise.checkpoint, 3) : "unknown (fewer than 3 checkpoints per run)"}${f.noise.unpredictable ? `; UNPREDICTABLE: ${f.noise.flags.join("; ")}` : ""}`,
  );
  return `${lines.join("\n")}\n`;
}

function linkFormula(fit: LinkFit | null, x: string): string {
  if (!fit) return "(no fit)";
  const p = fit.params;
  // exp(−k·(x − x0)) printed with the sign folded in, so k < 0 reads exp(+6·(x − x0)).
  const k = p.k < 0 ? `${fmt(-p.k)}` : `−${fmt(p.k)}`;
  return fit.link === "sigmoid"
    ? `${fmt(p.a)} / (1 + exp(${k}·(${x} − ${fmt(p.x0)}))) + ${fmt(p.b)}${"b" in fit.fixed ? " (b fixed at chance)" : ""}`
    : `${fmt(p.eps)} − ${fmt(p.k)}·exp(−${fmt(p.gamma)}·${x})`;
}

/** A readable two-step prediction at an unseen target. */
export function downstreamPredictionText(
  p: DownstreamPrediction,
  at: { params?: number; tokens?: number; flops?: number },
): string {
  const level = Math.round((p.bootstrap?.level ?? 0.95) * 100);
  const iv = (i: readonly [number, number] | null) =>
    i ? `  ${level}% confidence interval [${fmt(i[0], 4)}, ${fmt(i[1], 4)}]` : "";
  const where = Object.entries(at)
    .flatMap(([k, v]) => (v === undefined ? [] : [`${k} ${fmt(v)}`]))
    .join(", ");
  return `${[
    `two-step prediction of ${p.metric} at ${where}`,
    `step 1     ${p.via} by ${p.step1.fit?.law.name ?? "no fit"} on ${p.step1.rows} rows (${p.step1.fit?.status ?? p.step1.error}): ${fmt(p.step1.value, 5)}${iv(p.step1.interval)}`,
    `step 2     ${p.metric} = ${linkFormula(p.step2.fit, p.via)} on ${p.step2.points} points: ${p.step2.fit?.status ?? p.step2.error}, RMSE ${fmt(p.step2.fit?.rmse ?? Number.NaN, 3)}, r² ${fmt(p.step2.fit?.r2 ?? Number.NaN, 3)}`,
    `predicted  ${fmt(p.value, 4)}${iv(p.interval)}`,
    ...(p.prediction
      ? [
          `           ${level}% prediction interval [${fmt(p.prediction[0], 4)}, ${fmt(p.prediction[1], 4)}] (one evaluation: adds checkpoint noise)`,
        ]
      : []),
    `noise      checkpoint σ ${Number.isFinite(p.noise.checkpoint) ? fmt(p.noise.checkpoint, 3) : "unknown"}${p.noise.unpredictable ? `; UNPREDICTABLE: ${p.noise.flags.join("; ")}` : ""}`,
  ].join("\n")}\n`;
}
