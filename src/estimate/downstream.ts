import { toFitData } from "../data/fitdata.js";
import type { RunTable } from "../data/types.js";
import { InputError } from "../errors.js";
import { fit, predictLoss } from "../fit/fit.js";
import type { FitOptions, FitResult } from "../fit/types.js";
import { percentileInterval } from "../math/percentile.js";
import { rng } from "../math/random.js";
import { meanRelativeError } from "./are.js";
import { evaluateForecast, type Forecast, type ForecastSpec, prepareForecast } from "./forecast.js";
import { fitLink, type LinkFit, type LinkName, linkValue } from "./link-fit.js";
import type { TrainingModels } from "./selection.js";
import { onePoint } from "./uncertainty.js";

/** What to forecast downstream, beyond a loss forecast's fields. */
export interface DownstreamSpec extends Omit<ForecastSpec, "metric"> {
  /** The downstream metric (an accuracy, or an error), as named in the table. */
  readonly metric: string;
  /** Two-step: the task loss (or LM loss) metric that step 1 forecasts and step 2 maps to `metric`. */
  readonly via?: string;
  /** `two-step` (default when `via` is given) or `direct` (the link of ln C, fitted on the training runs). */
  readonly route?: "two-step" | "direct";
  /** The link of step 2 (or of the direct route); defaults to `sigmoid`. */
  readonly link?: LinkName;
  /** The task's chance level: the sigmoid's floor b is held there. */
  readonly chance?: number;
  /** Models whose checkpoints fit step 2; defaults to step 1's training models. */
  readonly step2Train?: TrainingModels;
}

/** How the chained bootstrap runs; `resamples: 0` skips it. */
export interface DownstreamUncertainty {
  readonly resamples?: number;
  readonly seed?: number;
  readonly level?: number;
}

/** Step 2's fit and how it does on its own points and on the target's actual task loss. */
export interface Step2Summary {
  readonly fit: LinkFit | null;
  readonly x: string;
  readonly points: number;
  readonly models: readonly string[];
  /** The link applied to the target's actual step-1 metric: the error step 2 alone makes. */
  readonly oracle: { readonly predicted: number; readonly actual: number; readonly are: number };
}

/** Checkpoint-to-checkpoint noise of the metric on the training runs, and what it implies. */
export interface TaskNoise {
  /** σ of one checkpoint's value around its run's smooth trend; NaN with fewer than 3 checkpoints per run. */
  readonly checkpoint: number;
  /** Second differences pooled into σ. */
  readonly differences: number;
  /** Reasons the forecast should not be trusted; empty when none. */
  readonly flags: readonly string[];
  readonly unpredictable: boolean;
}

/** A downstream forecast, scored like a loss forecast (ARE on the target's last 30%). */
export interface DownstreamForecast {
  readonly route: "two-step" | "direct";
  readonly family: string;
  readonly metric: string;
  readonly via: string | null;
  readonly link: LinkName;
  readonly target: { readonly model: string; readonly params: number; readonly maxTokens: number };
  readonly status: string;
  readonly error: string | null;
  /** Step 1: the forecast of `via` (null on the direct route), with its bootstrap interval. */
  readonly step1:
    | (Forecast & {
        readonly interval: readonly [number, number] | null;
        /** Mean |L − L̂|/L of the step-1 fit over its own training checkpoints. */
        readonly trainAre: number;
      })
    | null;
  readonly step2: Step2Summary;
  readonly test: {
    readonly tokens: number[];
    readonly actual: number[];
    readonly predicted: number[];
  };
  readonly predicted: number;
  readonly actual: number;
  readonly are: number;
  readonly areFinal: number;
  /** Percentile interval of the chained forecast at the final checkpoint (both steps refitted per resample): a confidence interval. */
  readonly interval: readonly [number, number] | null;
  /** Of one observed evaluation: the interval with the task's checkpoint noise added; null when that is unknown. */
  readonly prediction: readonly [number, number] | null;
  readonly bootstrap: {
    readonly resamples: number;
    readonly seed: number;
    readonly level: number;
    readonly succeeded: number;
    readonly unit: "run";
  } | null;
  readonly noise: TaskNoise;
}

/** Below this r², step 2 explains too little of the metric to forecast it. */
const STEP2_R2_MIN = 0.5;

/**
 * Forecasts a downstream metric at the target. Two-step (Bhagia et al. 2024): step 1 fits the loss
 * law to `via` on the training runs and forecasts it at the target's test checkpoints; step 2 fits
 * the link from `via` to `metric` on the training runs' checkpoints; the forecast is step 2 applied
 * to step 1. Direct: the link of ln C fitted on the training runs' `metric`. With resamples, whole
 * training runs are resampled once per replicate and both steps refitted on the same resample, so
 * the interval carries both steps' uncertainty.
 * @throws InputError for an unknown family, metric, target or model, or a route without `via`
 */
export function forecastDownstream(
  table: RunTable,
  spec: DownstreamSpec,
  u: DownstreamUncertainty = {},
): DownstreamForecast {
  const route = spec.route ?? (spec.via ? "two-step" : "direct");
  const link = spec.link ?? "sigmoid";
  if (route === "two-step" && !spec.via)
    throw new InputError("the two-step route needs the task-loss metric", {
      field: "via",
      hint: "name the task loss column (`via`) or use the direct route",
    });
  const prepAcc = prepareForecast(table, spec);
  const target = prepAcc.target;
  const testRows = prepAcc.testRows;
  const actual = testRows.map((r) => table.value[r]);
  if (route === "direct") return directRoute(table, spec, link, prepAcc, u);
  const accKey = keyIndex(table, spec.family, spec.metric);
  const via = spec.via as string;
  const viaSpec = { ...spec, metric: via, target: target.name };
  const prepVia = prepareForecast(table, viaSpec);
  const prep2 = spec.step2Train
    ? prepareForecast(table, { ...viaSpec, train: spec.step2Train })
    : prepVia;
  const pairs = pairRows(table, prep2.trainRows, accKey);
  const step1 = tryFit({ ...prepVia, table });
  const linkFit = tryLink(
    link,
    pairs.map(([v]) => table.value[v]),
    pairs.map(([, a]) => table.value[a]),
    spec.chance,
  );
  const chain = (f1: FitResult | null, f2: LinkFit | null, rows: number[]): number[] => {
    if (!f1 || !f2 || f1.status === "non-finite") return rows.map(() => Number.NaN);
    const L = predictLoss(f1, {
      params: rows.map((r) => table.params[r]),
      tokens: rows.map((r) => table.tokens[r]),
      flops: rows.map((r) => table.flops[r]),
    });
    return Array.from(L, (l) => linkValue(link, f2.theta, l));
  };
  const predicted = chain(step1.fit, linkFit.fit, testRows);
  const viaKey = keyIndex(table, spec.family, via);
  const oracleRows = testRows.map((r) => viaKey.get(rowKey(table, r)));
  const last = testRows.length - 1;
  const oracleVia = last >= 0 ? oracleRows[last] : undefined;
  const oraclePred =
    linkFit.fit && oracleVia !== undefined
      ? linkValue(link, linkFit.fit.theta, table.value[oracleVia])
      : Number.NaN;
  const step1Rows = new Set(prepVia.trainRows);
  const pairOf = new Map(pairs.map(([v, a]) => [v, a]));
  const viaOfAcc = new Map(pairs.map(([v, a]) => [a, v]));
  const finalRow = testRows[last];
  const at1 = (r: number) =>
    onePoint({ params: table.params[r], tokens: table.tokens[r], flops: table.flops[r] });
  const boot = bootstrapChain(u, unionModels(prepVia, prep2), (rs) => {
    const r1 = rs.filter((r) => step1Rows.has(r));
    const r2 = rs.filter((r) => pairOf.has(r));
    const f1 = tryFitRows(table, r1, {
      ...prepVia.fitOptions,
      now: undefined,
      refine: 2,
      extraStarts: [
        ...(prepVia.fitOptions.extraStarts ?? []),
        ...(step1.fit ? [step1.fit.theta] : []),
      ],
    }).fit;
    const f2 = tryLink(
      link,
      r2.map((r) => table.value[r]),
      r2.map((r) => table.value[pairOf.get(r) as number]),
      spec.chance,
      linkFit.fit?.theta,
    ).fit;
    if (finalRow === undefined) return [Number.NaN, Number.NaN];
    const l1 = f1 && f1.status !== "non-finite" ? predictLoss(f1, at1(finalRow))[0] : Number.NaN;
    return [chain(f1, f2, [finalRow])[0], l1];
  });
  const step1Forecast = evaluateForecast(table, prepVia, step1.fit, step1.error);
  return finish(table, spec, route, link, prepAcc, step1Forecast, {
    fit: linkFit.fit,
    error: step1.error ?? linkFit.error,
    x: via,
    rows: pairs.map(([, a]) => a),
    oracle: {
      predicted: oraclePred,
      actual: last >= 0 ? actual[last] : Number.NaN,
      are: last >= 0 ? Math.abs(oraclePred - actual[last]) / Math.abs(actual[last]) : Number.NaN,
    },
    predicted,
    actual,
    boot,
    accRows: pairs.map(([, a]) => a),
    xOf: (a) => table.value[viaOfAcc.get(a) as number],
    step1Interval: boot.step1,
    step1TrainAre:
      step1.fit && step1.fit.status !== "non-finite"
        ? meanRelativeError(prepVia.data.loss, predictLoss(step1.fit, prepVia.data))
        : Number.NaN,
  });
}

/** The direct route: the link of ln C fitted to the metric on the training runs. */
function directRoute(
  table: RunTable,
  spec: DownstreamSpec,
  link: LinkName,
  prepAcc: ReturnType<typeof prepareForecast>,
  u: DownstreamUncertainty,
): DownstreamForecast {
  const testRows = prepAcc.testRows;
  const actual = testRows.map((r) => table.value[r]);
  const rows = prepAcc.trainRows;
  const x = rows.map((r) => Math.log(table.flops[r]));
  const y = rows.map((r) => table.value[r]);
  const linkFit = tryLink(link, x, y, spec.chance);
  const at = (f: LinkFit | null, r: number) =>
    f ? linkValue(link, f.theta, Math.log(table.flops[r])) : Number.NaN;
  const predicted = testRows.map((r) => at(linkFit.fit, r));
  const kept = new Set(rows);
  const boot = bootstrapChain(u, prepAcc.models, (all) => {
    const rs = all.filter((r) => kept.has(r));
    const f = tryLink(
      link,
      rs.map((r) => Math.log(table.flops[r])),
      rs.map((r) => table.value[r]),
      spec.chance,
      linkFit.fit?.theta,
    ).fit;
    return [f ? at(f, testRows[testRows.length - 1]) : Number.NaN];
  });
  return finish(table, spec, "direct", link, prepAcc, null, {
    fit: linkFit.fit,
    error: linkFit.error,
    x: "ln C",
    rows,
    oracle: { predicted: Number.NaN, actual: Number.NaN, are: Number.NaN },
    predicted,
    actual,
    boot,
    accRows: rows,
    xOf: (r) => Math.log(table.flops[r]),
  });
}

interface Parts {
  fit: LinkFit | null;
  error: string | null;
  x: string;
  rows: number[];
  oracle: Step2Summary["oracle"];
  predicted: number[];
  actual: number[];
  boot: Boot;
  accRows: number[];
  /** The link's predictor for a row of `accRows`. */
  xOf: (row: number) => number;
  step1Interval?: readonly [number, number] | null;
  step1TrainAre?: number;
}

function finish(
  table: RunTable,
  spec: DownstreamSpec,
  route: "two-step" | "direct",
  link: LinkName,
  prepAcc: ReturnType<typeof prepareForecast>,
  step1: Forecast | null,
  p: Parts,
): DownstreamForecast {
  const last = p.actual.length - 1;
  const usable = p.predicted.every(Number.isFinite) && last >= 0;
  const models = [...new Set(p.rows.map((r) => table.model[r]))];
  const noise = taskNoise(table, p.accRows, p.fit, p.boot.interval, p.xOf);
  const status =
    prepAcc.testRows.length === 0
      ? "no-test"
      : step1 && step1.status !== "converged" && step1.status !== "bound-hit"
        ? step1.status
        : (p.fit?.status ?? "failed");
  return {
    route,
    family: prepAcc.family.name,
    metric: spec.metric,
    via: route === "two-step" ? (spec.via ?? null) : null,
    link,
    target: {
      model: prepAcc.target.name,
      params: prepAcc.target.params,
      maxTokens: prepAcc.target.maxTokens,
    },
    status,
    error: p.error,
    step1: step1
      ? { ...step1, interval: p.step1Interval ?? null, trainAre: p.step1TrainAre ?? Number.NaN }
      : null,
    step2: { fit: p.fit, x: p.x, points: p.rows.length, models, oracle: p.oracle },
    test: {
      tokens: prepAcc.testRows.map((r) => table.tokens[r]),
      actual: p.actual,
      predicted: p.predicted,
    },
    predicted: last >= 0 ? p.predicted[last] : Number.NaN,
    actual: last >= 0 ? p.actual[last] : Number.NaN,
    are: usable ? meanRelativeError(p.actual, p.predicted) : Number.NaN,
    areFinal: usable
      ? Math.abs(p.actual[last] - p.predicted[last]) / Math.abs(p.actual[last])
      : Number.NaN,
    interval: p.boot.interval,
    prediction: observedInterval(p.boot, noise.checkpoint),
    bootstrap: p.boot.summary,
    noise,
  };
}

/**
 * Checkpoint noise by second differences within each run of the residuals from the fitted link,
 * e_i = y_i − f(x_i) in token order: the link removes the trend (fast early in training, where a
 * sigmoid bends), and (e_{i+1} − 2e_i + e_{i−1}) removes what is left of it locally while having
 * variance 6σ² for independent noise of variance σ², so σ² = Σd²/(6m) pooled over the m differences
 * of all runs. Flags: step 2
 * explains under half the variance (r² < 0.5), or one checkpoint's 95% noise band (±1.96σ) is wider
 * than the forecast's interval, so a single evaluation of the target could not confirm the forecast
 * (Lourie et al. 2025 find most downstream tasks this noisy).
 */
export function taskNoise(
  table: RunTable,
  rows: readonly number[],
  fitted: LinkFit | null,
  interval: readonly [number, number] | null,
  xOf: (row: number) => number,
): TaskNoise {
  const e = (r: number) =>
    table.value[r] - (fitted ? linkValue(fitted.link, fitted.theta, xOf(r)) : 0);
  const byRun = new Map<string, number[]>();
  for (const r of rows) {
    const k = `${table.model[r]}\u0000${table.seed[r]}`;
    byRun.set(k, [...(byRun.get(k) ?? []), r]);
  }
  let s = 0;
  let m = 0;
  for (const list of byRun.values()) {
    const sorted = [...new Set(list)].sort((a, b) => table.tokens[a] - table.tokens[b]);
    for (let i = 1; i + 1 < sorted.length; i++) {
      const d = e(sorted[i + 1]) - 2 * e(sorted[i]) + e(sorted[i - 1]);
      s += d * d;
      m++;
    }
  }
  const sigma = m > 0 ? Math.sqrt(s / (6 * m)) : Number.NaN;
  const flags: string[] = [];
  if (!fitted) flags.push("step 2 could not be fitted");
  else if (!(fitted.r2 >= STEP2_R2_MIN))
    flags.push(
      `step 2 explains little of the metric (r² ${fitted.r2.toFixed(2)} < ${STEP2_R2_MIN})`,
    );
  if (interval && Number.isFinite(sigma) && 1.96 * sigma > (interval[1] - interval[0]) / 2)
    flags.push(
      `checkpoint noise ±${(1.96 * sigma).toPrecision(2)} exceeds the interval's half-width ${((interval[1] - interval[0]) / 2).toPrecision(2)}`,
    );
  return { checkpoint: sigma, differences: m, flags, unpredictable: flags.length > 0 };
}

interface Boot {
  interval: readonly [number, number] | null;
  step1: readonly [number, number] | null;
  summary: DownstreamForecast["bootstrap"];
  /** The replicates' chained forecasts, for the prediction interval. */
  values: readonly number[];
}

/**
 * Resamples whole training runs (all of a run's rows travel together) and evaluates `refit` on
 * each resample's rows; a replicate whose refit fails is dropped and counted.
 */
function bootstrapChain(
  u: DownstreamUncertainty,
  models: readonly { name: string; rows: readonly number[] }[],
  refit: (rows: number[]) => number[],
): Boot {
  const resamples = u.resamples ?? 0;
  if (resamples <= 0 || models.length === 0)
    return { interval: null, step1: null, summary: null, values: [] };
  const seed = u.seed ?? 0;
  const level = u.level ?? 0.95;
  const values: number[] = [];
  const step1: number[] = [];
  for (let r = 0; r < resamples; r++) {
    const next = rng(seed, r + 1);
    const rows: number[] = [];
    for (let k = 0; k < models.length; k++)
      rows.push(...models[Math.floor(next() * models.length)].rows);
    const [v, l] = refit(rows);
    if (Number.isFinite(v)) values.push(v);
    if (l !== undefined && Number.isFinite(l)) step1.push(l);
  }
  return {
    interval: values.length ? percentileInterval(values, level) : null,
    step1: step1.length ? percentileInterval(step1, level) : null,
    summary: { resamples, seed, level, succeeded: values.length, unit: "run" },
    values,
  };
}

/**
 * Prediction interval of one observed evaluation of the metric: each replicate's forecast plus 40
 * seeded normal draws of the checkpoint noise σ, then the percentile interval. Null without
 * replicates or a noise estimate.
 */
function observedInterval(boot: Boot, sigma: number): readonly [number, number] | null {
  if (!boot.summary || boot.values.length === 0 || !Number.isFinite(sigma)) return null;
  const next = rng(boot.summary.seed, 0x0b5e);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
  const out: number[] = [];
  for (const v of boot.values) for (let k = 0; k < 40; k++) out.push(v + sigma * gauss());
  return percentileInterval(out, boot.summary.level);
}

/** Training models of both steps, each with every row either step reads. */
function unionModels(
  a: ReturnType<typeof prepareForecast>,
  b: ReturnType<typeof prepareForecast>,
): { name: string; rows: number[] }[] {
  const out = new Map<string, number[]>();
  for (const m of [...a.models, ...b.models]) out.set(m.name, [...m.rows]);
  return [...out.entries()].map(([name, rows]) => ({ name, rows }));
}

function tryFit(prep: ReturnType<typeof prepareForecast> & { table: RunTable }): {
  fit: FitResult | null;
  error: string | null;
} {
  if (prep.trainRows.length === 0) return { fit: null, error: "no step-1 training checkpoint" };
  return tryFitRows(prep.table, prep.trainRows, prep.fitOptions);
}

function tryLink(
  link: LinkName,
  x: number[],
  y: number[],
  chance?: number,
  start?: Float64Array,
): { fit: LinkFit | null; error: string | null } {
  try {
    return {
      fit: fitLink(link, x, y, { chance, extraStarts: start ? [start] : [] }),
      error: null,
    };
  } catch (e) {
    if (!(e instanceof InputError) || e.field !== "data") throw e;
    return { fit: null, error: `step 2: ${e.reason}` };
  }
}

/** Identity of a checkpoint across metrics: model, seed and tokens. */
function rowKey(table: RunTable, r: number): string {
  return `${table.model[r]}\u0000${table.seed[r]}\u0000${table.tokens[r]}`;
}

/** Rows of one family and metric by checkpoint identity. */
function keyIndex(table: RunTable, family: string, metric: string): Map<string, number> {
  const out = new Map<string, number>();
  for (let i = 0; i < table.length; i++)
    if (table.family[i] === family && table.metric[i] === metric) out.set(rowKey(table, i), i);
  return out;
}

/** [via row, metric row] for each via row that has the metric at the same checkpoint. */
function pairRows(
  table: RunTable,
  viaRows: readonly number[],
  accKey: Map<string, number>,
): [number, number][] {
  return viaRows.flatMap((v) => {
    const a = accKey.get(rowKey(table, v));
    return a === undefined ? [] : [[v, a] as [number, number]];
  });
}

/** A downstream prediction at an unseen target: both steps' fits and the chained value. */
export interface DownstreamPrediction {
  readonly metric: string;
  readonly via: string;
  readonly link: LinkName;
  /** The task loss step 1 predicts at the target, with its interval. */
  readonly step1: {
    readonly fit: FitResult | null;
    readonly error: string | null;
    readonly value: number;
    readonly interval: readonly [number, number] | null;
    readonly rows: number;
  };
  readonly step2: {
    readonly fit: LinkFit | null;
    readonly error: string | null;
    readonly points: number;
  };
  readonly value: number;
  /** Confidence interval of the chained forecast. */
  readonly interval: readonly [number, number] | null;
  /** Prediction interval of one observed evaluation (checkpoint noise added). */
  readonly prediction: readonly [number, number] | null;
  readonly bootstrap: DownstreamForecast["bootstrap"];
  readonly noise: TaskNoise;
}

/**
 * Two-step prediction at a point no run reached: step 1 on every `via` row of the table, step 2 on
 * every checkpoint that has both metrics, chained at `at`; the chained bootstrap resamples whole
 * runs (family, model, seed) through both steps.
 * @throws InputError when the table has no `via` rows or no checkpoint with both metrics
 */
export function predictDownstream(
  table: RunTable,
  spec: {
    readonly metric: string;
    readonly via: string;
    readonly link?: LinkName;
    readonly chance?: number;
    readonly fit?: FitOptions;
  },
  at: { params?: number; tokens?: number; flops?: number },
  u: DownstreamUncertainty = {},
): DownstreamPrediction {
  const link = spec.link ?? "sigmoid";
  const viaRows: number[] = [];
  const accKey = new Map<string, number>();
  for (let i = 0; i < table.length; i++) {
    if (table.metric[i] === spec.via) viaRows.push(i);
    else if (table.metric[i] === spec.metric)
      accKey.set(`${table.family[i]}\u0000${rowKey(table, i)}`, i);
  }
  if (viaRows.length === 0)
    throw new InputError(`no rows of the task-loss metric "${spec.via}"`, {
      field: "via",
      hint: "name a metric the file has",
    });
  const pairs = viaRows.flatMap((v) => {
    const a = accKey.get(`${table.family[v]}\u0000${rowKey(table, v)}`);
    return a === undefined ? [] : [[v, a] as [number, number]];
  });
  if (pairs.length === 0)
    throw new InputError(`no checkpoint has both "${spec.via}" and "${spec.metric}"`, {
      field: "metric",
      hint: "step 2 pairs the two metrics by family, model, seed and tokens",
    });
  const point = onePoint(at);
  const options = spec.fit ?? {};
  const step1 = tryFitRows(table, viaRows, options);
  const pairOf = new Map(pairs);
  const fitPairs = (rows: number[], start?: Float64Array) =>
    tryLink(
      link,
      rows.map((r) => table.value[r]),
      rows.map((r) => table.value[pairOf.get(r) as number]),
      spec.chance,
      start,
    );
  const step2 = fitPairs(pairs.map(([v]) => v));
  const chain = (f1: FitResult | null, f2: LinkFit | null): [number, number] => {
    if (!f1 || f1.status === "non-finite") return [Number.NaN, Number.NaN];
    const l = predictLoss(f1, point)[0];
    return [f2 ? linkValue(link, f2.theta, l) : Number.NaN, l];
  };
  const [value, loss] = chain(step1.fit, step2.fit);
  const runs = new Map<string, number[]>();
  for (const r of viaRows) {
    const k = `${table.family[r]}\u0000${table.model[r]}\u0000${table.seed[r]}`;
    runs.set(k, [...(runs.get(k) ?? []), r]);
  }
  const boot = bootstrapChain(
    u,
    [...runs.entries()].map(([name, rows]) => ({ name, rows })),
    (rs) => {
      const f1 = tryFitRows(table, rs, {
        ...options,
        now: undefined,
        refine: 2,
        extraStarts: [...(options.extraStarts ?? []), ...(step1.fit ? [step1.fit.theta] : [])],
      }).fit;
      const f2 = fitPairs(
        rs.filter((r) => pairOf.has(r)),
        step2.fit?.theta,
      ).fit;
      return chain(f1, f2);
    },
  );
  const accRows = pairs.map(([, a]) => a);
  const viaOf = new Map(pairs.map(([v, a]) => [a, v]));
  const noise = taskNoise(
    table,
    accRows,
    step2.fit,
    boot.interval,
    (a) => table.value[viaOf.get(a) as number],
  );
  return {
    metric: spec.metric,
    via: spec.via,
    link,
    step1: {
      fit: step1.fit,
      error: step1.error,
      value: loss,
      interval: boot.step1,
      rows: viaRows.length,
    },
    step2: { fit: step2.fit, error: step2.error, points: pairs.length },
    value,
    interval: boot.interval,
    prediction: observedInterval(boot, noise.checkpoint),
    bootstrap: boot.summary,
    noise,
  };
}

function tryFitRows(
  table: RunTable,
  rows: number[],
  options: FitOptions,
): { fit: FitResult | null; error: string | null } {
  try {
    return { fit: fit(toFitData(table, rows), options), error: null };
  } catch (e) {
    if (!(e instanceof InputError) || e.field !== "data") throw e;
    return { fit: null, error: e.reason };
  }
}
