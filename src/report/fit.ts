import type { FitWithUncertainty } from "../estimate/uncertainty.js";
import type { FitQuality } from "../fit/quality.js";

/** What the caller knows about the data that the fit itself does not (file, filters, N definition). */
export interface DataRecord {
  readonly source: string;
  readonly rows: number;
  readonly runs: number;
  readonly filters: readonly string[];
  readonly paramsDefinition: string;
}

/**
 * The `fit --json` object: `{law, params, objective, status, n, intervals, settings, timing}` with
 * full double precision. `timing` is left out when `timing` is false, so output can be
 * byte-for-byte reproducible.
 */
export function fitJson(
  u: FitWithUncertainty,
  data: DataRecord,
  timing = true,
): Record<string, unknown> {
  const f = u.fit;
  return {
    law: f.law.name,
    formula: f.law.formula,
    params: f.params,
    objective: { name: f.objective.name, value: f.objective.value },
    status: f.status,
    statusMessage: f.statusMessage,
    n: f.n,
    iterations: f.iterations,
    evaluations: f.evaluations,
    gradNorm: f.gradNorm,
    intervals: u.intervals,
    identifiability: f.identifiability
      ? {
          condition: Number.isFinite(f.identifiability.condition)
            ? f.identifiability.condition
            : null,
          weakest: f.identifiability.weakest,
        }
      : null,
    warnings: f.warnings,
    settings: {
      ...f.choices,
      bootstrap: u.bootstrap,
      data,
    },
    // Replicates (parameter vectors in the law's order) let later steps, such as `plan --fit`,
    // carry the fit's uncertainty without refitting.
    ...(u.bootstrap
      ? { replicates: u.replicates.flatMap((r) => (r.theta ? [Array.from(r.theta)] : [])) }
      : {}),
    ...(timing && f.timing ? { timing: f.timing } : {}),
  };
}

/** `quality    |L − L̂|/L mean 0.41%, max 1.9%; RMSE of log loss 0.0052` */
export function qualityText(q: FitQuality): string {
  const pct = (v: number) => (Number.isFinite(v) ? `${fmt(100 * v, 2)}%` : String(v));
  return `quality    |L − L̂|/L mean ${pct(q.meanAbsRelResidual)}, max ${pct(q.maxAbsRelResidual)}; RMSE of log loss ${fmt(q.rmseLog, 2)}`;
}

/** Formats a number compactly for people: 4 significant digits, scientific when large or tiny. */
export function fmt(v: number, digits = 4): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  return a !== 0 && (a >= 1e5 || a < 1e-3)
    ? v.toExponential(digits - 1)
    : String(Number(v.toPrecision(digits)));
}

/** A readable summary of a fit: formula, parameters with intervals, status, objective. */
export function fitText(u: FitWithUncertainty, data: DataRecord, quality?: FitQuality): string {
  const f = u.fit;
  const lines = [
    `law        ${f.law.name}: ${f.law.formula}`,
    `data       ${data.source}: ${data.rows} rows, ${data.runs} runs${data.filters.length ? `, filters: ${data.filters.join("; ")}` : ""}`,
    `objective  ${f.objective.name}${Object.entries(f.choices.objectiveSettings)
      .map(([k, v]) => ` ${k}=${v}`)
      .join("")} = ${f.objective.value.toPrecision(9)}`,
    `status     ${f.status}${f.statusMessage ? ` (${f.statusMessage})` : ""}; ${f.iterations} iterations, ${f.choices.startsTried} starts tried, ${f.choices.startsRefined} refined, |grad| ${f.gradNorm.toExponential(1)}`,
    ...(quality ? [qualityText(quality)] : []),
    "",
    u.bootstrap
      ? `parameter        value    ${Math.round(u.bootstrap.level * 100)}% interval (bootstrap over runs, ${u.bootstrap.succeeded}/${u.bootstrap.resamples} resamples, seed ${u.bootstrap.seed})`
      : "parameter        value",
  ];
  for (const p of f.law.params) {
    const iv = u.intervals[p.name];
    const fixed = p.name in f.choices.fixed ? "  (fixed)" : "";
    lines.push(
      `  ${p.name.padEnd(10)} ${fmt(f.params[p.name]).padStart(12)}${iv ? `    [${fmt(iv[0])}, ${fmt(iv[1])}]` : ""}${fixed}`,
    );
  }
  for (const w of f.warnings) lines.push(`warning: ${w}`);
  return `${lines.join("\n")}\n`;
}
