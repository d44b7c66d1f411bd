import type { RunTable } from "../data/types.js";
import { type Family, familyOf } from "../estimate/selection.js";
import { solveSpd } from "../fit/linalg.js";
import { planChunks } from "./experiments.js";
import { runChunksParallel } from "./parallel.js";
import { quantile } from "./robust.js";
import type { ResultRow } from "./types.js";

/**
 * What the evidence model knows about a forecast: the settings the meta-analysis varies and that a
 * practitioner chooses. A forecast of a target from a ladder of smaller runs.
 */
export interface EvidenceFeatures {
  /** Target N over the largest trained N (1 when the target itself is partially trained). */
  readonly scaleUp: number;
  /** Distinct sizes in the fit (the paper's "#train models"). */
  readonly models: number;
  /** Largest over smallest trained N (1 for a single size). */
  readonly spread: number;
  /** Fraction p of each run's tokens used by the fit, in (0, 1]. */
  readonly fraction: number;
  /** The fit includes the target's own first checkpoints (§5.1). */
  readonly partialTarget: boolean;
  /** Exponents (and A, B) fixed from elsewhere: the borrow experiment (§5.1). */
  readonly borrowed: boolean;
}

/** Expected forecast error: the median ARE and an 80% band, as fractions. */
export interface ExpectedAre {
  readonly median: number;
  readonly band: readonly [number, number];
}

/** The band's ends and the median, as quantiles of ARE. */
export const EVIDENCE_QUANTILES = [0.1, 0.5, 0.9] as const;

/** Names of the regressors, in coefficient order. */
export const EVIDENCE_TERMS = [
  "intercept",
  "ln scaleUp",
  "ln models",
  "ln spread",
  "ln fraction",
  "partialTarget",
  "borrowed",
] as const;

/** The median of ln ARE as a linear function of the terms, and the band around it. */
export interface EvidenceModel {
  readonly quantiles: readonly number[];
  readonly terms: readonly string[];
  /** Coefficients of the median of ln ARE, one per term. */
  readonly median: readonly number[];
  /** Offsets of the band's ends from the median, in ln ARE (10th and 90th percentiles). */
  readonly band: readonly [number, number];
  /** Cells it was fitted on, and the largest scale-up among them (beyond it, it extrapolates). */
  readonly cells: number;
  readonly maxScaleUp: number;
}

/** ARE below this is floored before the log: below any seed noise, and keeps ln finite. */
const ARE_FLOOR = 1e-4;

/** The regressors of a forecast (see {@link EVIDENCE_TERMS}). */
export function evidenceVector(f: EvidenceFeatures): number[] {
  return [
    1,
    Math.log(Math.max(1, f.scaleUp)),
    Math.log(Math.max(1, f.models)),
    Math.log(Math.max(1, f.spread)),
    Math.log(Math.min(1, Math.max(0.01, f.fraction))),
    f.partialTarget ? 1 : 0,
    f.borrowed ? 1 : 0,
  ];
}

/** One meta-analysis cell as evidence: its features, its family and its realised ARE. */
export interface EvidenceCell {
  readonly family: string;
  readonly features: EvidenceFeatures;
  readonly are: number;
}

/**
 * The cells the evidence model learns from: the default protocol's converged fits of the main grid
 * (scale-up from k smallest models) and of the borrow experiment (one model or the partial target
 * with the Hitchhiker's exponents), with a finite ARE. `paramsOf` gives a trained model's N, for the
 * spread of sizes.
 */
export function evidenceCells(
  rows: readonly ResultRow[],
  paramsOf: (family: string, model: string) => number,
): EvidenceCell[] {
  const out: EvidenceCell[] = [];
  for (const r of rows) {
    if (r.protocol !== "default" || r.status !== "converged" || !Number.isFinite(r.are)) continue;
    if (r.experiment !== "grid" && r.experiment !== "borrow") continue;
    if (!Number.isFinite(r.scaleUp) || r.scaleUp < 1) continue;
    const sizes = r.models
      .split(";")
      .filter(Boolean)
      .map((m) => paramsOf(r.family, m));
    const partial = r.experiment === "borrow" && r.models.split(";").includes(r.target);
    out.push({
      family: r.family,
      are: r.are,
      features: {
        scaleUp: r.scaleUp,
        models: r.trainModels,
        spread: sizes.length ? Math.max(...sizes) / Math.min(...sizes) : 1,
        fraction: r.fraction,
        partialTarget: partial,
        borrowed: r.experiment === "borrow",
      },
    });
  }
  return out;
}

/**
 * Fits the evidence model in two steps. (1) The median: a linear quantile regression of ln ARE on
 * {@link EVIDENCE_TERMS} at τ = 0.5 (Koenker & Bassett 1978), by iteratively reweighted least
 * squares on the check loss from the least-squares start, 200 iterations; deterministic, so the
 * shipped coefficients regenerate exactly. (2) The 80% band: cells of one family are not
 * independent evidence about another family, so quantile regressions at 0.1 and 0.9 on pooled cells
 * give bands too narrow for a new family. Instead the band is the 10th and 90th percentiles of the
 * leave-one-family-out residuals of the median (a split-conformal band by family): how far a family
 * the model has not seen falls from its median.
 */
export function fitEvidence(cells: readonly EvidenceCell[]): EvidenceModel {
  const X = cells.map((c) => evidenceVector(c.features));
  const y = cells.map((c) => Math.log(Math.max(ARE_FLOOR, c.are)));
  const median = quantileRegression(X, y, 0.5);
  const residuals: number[] = [];
  const groups = [...new Set(cells.map((c) => evidenceGroup(c.family)))].sort();
  for (const g of groups) {
    const out = cells.map((c) => evidenceGroup(c.family) !== g);
    const beta = quantileRegression(
      X.filter((_, i) => out[i]),
      y.filter((_, i) => out[i]),
      0.5,
    );
    for (let i = 0; i < cells.length; i++)
      if (!out[i]) residuals.push(y[i] - X[i].reduce((s, v, j) => s + v * beta[j], 0));
  }
  const band: [number, number] =
    groups.length > 1
      ? [quantile(residuals, EVIDENCE_QUANTILES[0]), quantile(residuals, EVIDENCE_QUANTILES[2])]
      : [Number.NaN, Number.NaN];
  return {
    quantiles: [...EVIDENCE_QUANTILES],
    terms: [...EVIDENCE_TERMS],
    median,
    band,
    cells: cells.length,
    maxScaleUp: Math.max(1, ...cells.map((c) => c.features.scaleUp)),
  };
}

/** The model's expected ARE for a forecast: median and 80% band. */
export function expectedAre(model: EvidenceModel, f: EvidenceFeatures): ExpectedAre {
  const x = evidenceVector(f);
  const m = model.median.reduce((s, v, i) => s + v * x[i], 0);
  return { median: Math.exp(m), band: [Math.exp(m + model.band[0]), Math.exp(m + model.band[1])] };
}

/** Linear τ-quantile regression by IRLS; a tiny ridge keeps a column of zeros solvable. */
export function quantileRegression(
  X: readonly number[][],
  y: readonly number[],
  tau: number,
  iterations = 200,
): number[] {
  const p = X[0]?.length ?? 0;
  let beta = weightedLs(
    X,
    y,
    y.map(() => 1),
  );
  for (let it = 0; it < iterations; it++) {
    const w = y.map((yi, i) => {
      const r = yi - X[i].reduce((s, v, j) => s + v * beta[j], 0);
      return (r >= 0 ? tau : 1 - tau) / Math.max(Math.abs(r), 1e-6);
    });
    beta = weightedLs(X, y, w);
  }
  return beta.length === p ? beta : new Array(p).fill(Number.NaN);
}

function weightedLs(X: readonly number[][], y: readonly number[], w: readonly number[]): number[] {
  const p = X[0]?.length ?? 0;
  const a = new Float64Array(p * p);
  const b = new Float64Array(p);
  for (let i = 0; i < X.length; i++) {
    const xi = X[i];
    for (let j = 0; j < p; j++) {
      b[j] += w[i] * xi[j] * y[i];
      for (let k = 0; k < p; k++) a[j * p + k] += w[i] * xi[j] * xi[k];
    }
  }
  let scale = 0;
  for (let j = 0; j < p; j++) scale = Math.max(scale, a[j * p + j]);
  for (let j = 0; j < p; j++) a[j * p + j] += 1e-9 * scale + 1e-12;
  const x = solveSpd(a, p, b);
  return x ? Array.from(x) : new Array(p).fill(Number.NaN);
}

/** The family group a cell is held out with: the 16 near-identical datablations families are one. */
export function evidenceGroup(family: string): string {
  return /^GPT2-(c4|oscar)/.test(family) ? "datablations" : family;
}

/** Leave-one-family-out coverage of the 80% band: per held-out group and pooled. */
export interface EvidenceValidation {
  readonly groups: {
    readonly group: string;
    readonly cells: number;
    readonly inside: number;
    readonly below: number;
    readonly above: number;
    readonly coverage: number;
  }[];
  readonly cells: number;
  readonly coverage: number;
  /** Coverage averaged over groups, so the largest family does not decide it. */
  readonly meanGroupCoverage: number;
}

/**
 * Validates the band leave-one-family-out: for each family group, fit on the others and count how
 * many of its cells fall inside the predicted 80% band (goal: about 80%).
 */
export function validateEvidence(cells: readonly EvidenceCell[]): EvidenceValidation {
  const groups = [...new Set(cells.map((c) => evidenceGroup(c.family)))].sort();
  const out: EvidenceValidation["groups"] = [];
  for (const g of groups) {
    const held = cells.filter((c) => evidenceGroup(c.family) === g);
    const model = fitEvidence(cells.filter((c) => evidenceGroup(c.family) !== g));
    let below = 0;
    let above = 0;
    for (const c of held) {
      const e = expectedAre(model, c.features);
      const are = Math.max(ARE_FLOOR, c.are);
      if (are < e.band[0]) below++;
      else if (are > e.band[1]) above++;
    }
    const inside = held.length - below - above;
    out.push({
      group: g,
      cells: held.length,
      inside,
      below,
      above,
      coverage: inside / held.length,
    });
  }
  const total = out.reduce((s, g) => s + g.cells, 0);
  return {
    groups: out,
    cells: total,
    coverage: out.reduce((s, g) => s + g.inside, 0) / total,
    meanGroupCoverage: out.reduce((s, g) => s + g.coverage, 0) / out.length,
  };
}

/**
 * Runs the meta-analysis cells the evidence model learns from (main grid and borrow, default
 * protocol) on worker threads and returns them as evidence, in a fixed order so the fit is
 * bit-for-bit reproducible whatever the scheduling.
 */
export async function evidenceFromTable(
  table: RunTable,
  workers?: number,
): Promise<EvidenceCell[]> {
  const chunks = planChunks(table, { experiments: ["grid", "borrow"], protocols: ["default"] });
  const rows: ResultRow[] = [];
  await runChunksParallel(table, chunks, { workers, onChunk: (_c, rs) => rows.push(...rs) });
  const key = (r: ResultRow) =>
    [r.experiment, r.family, r.models, String(r.k).padStart(4, "0"), r.fraction.toFixed(3)].join(
      "\u0000",
    );
  rows.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  const families = new Map<string, Family>();
  return evidenceCells(rows, (family, model) => {
    let f = families.get(family);
    if (!f) {
      f = familyOf(table, family);
      families.set(family, f);
    }
    return f.models.find((m) => m.name === model)?.params ?? Number.NaN;
  });
}
