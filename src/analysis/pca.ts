import { eigenSymmetric } from "../fit/linalg.js";
import { HITCHHIKER_RELATIONS } from "../laws/hitchhiker-tied.js";
import { lineFit } from "../math/regression.js";
import type { ResultRow } from "./types.js";

/** The paper's figure: 3 principal components explain 99.49% of the variance (Choshen et al. 2025, §9). */
export const PAPER_PCA_3 = 0.9949;
/** The paper's linear relations behind its tied form (HITCHHIKER_SPEC §2.2; the `hitchhiker-tied` law). */
export const PAPER_RELATIONS = HITCHHIKER_RELATIONS;

/** A least-squares line y = intercept + slope·x with its fit. */
export interface Line {
  readonly intercept: number;
  readonly slope: number;
  readonly r2: number;
  readonly n: number;
}

/** PCA of the families' fitted (a, b, e, α, β) and the a–α, b–β relations. */
export interface ParamsAnalysis {
  readonly protocol: string;
  readonly families: string[];
  /** Families left out because a parameter has no log (E = 0) or the fit failed. */
  readonly excluded: string[];
  /** Mean of (a, b, e, α, β) over the families: the PCA's centre. */
  readonly mean: number[];
  /** Variance share per component, largest first. */
  readonly explained: number[];
  /** Share explained by the first 3 components, beside the paper's 0.9949. */
  readonly explained3: number;
  readonly paperExplained3: number;
  /** Components as rows over (a, b, e, alpha, beta). */
  readonly components: number[][];
  readonly alphaOnA: Line;
  readonly betaOnB: Line;
  readonly paperRelations: typeof PAPER_RELATIONS;
}

/**
 * The paper's §9 analysis: per family the fit on all smaller models at the largest fraction, as
 * (a, b, e, α, β) = (ln A, ln B, ln E, α, β); a PCA centred but not standardised, as the paper's
 * code; and the regressions of α on a and β on b.
 */
export function analyzeParams(rows: readonly ResultRow[], protocol: string): ParamsAnalysis {
  const use = rows.filter((r) => r.protocol === protocol && r.experiment === "params");
  const families: string[] = [];
  const excluded: string[] = [];
  const X: number[][] = [];
  for (const r of use) {
    const v = [Math.log(r.A), Math.log(r.B), Math.log(r.E), r.alpha, r.beta];
    if (v.every(Number.isFinite)) {
      X.push(v);
      families.push(r.family);
    } else excluded.push(r.family);
  }
  const { values, vectors } =
    X.length >= 2 ? eigenSymmetric(covariance(X)) : { values: [], vectors: [] };
  const total = values.reduce((s, v) => s + Math.max(v, 0), 0);
  const explained = values.map((v) => Math.max(v, 0) / total);
  return {
    protocol,
    families,
    excluded,
    mean: X.length ? X[0].map((_, j) => X.reduce((t, r) => t + r[j], 0) / X.length) : [],
    explained,
    explained3: explained.slice(0, 3).reduce((s, v) => s + v, 0),
    paperExplained3: PAPER_PCA_3,
    components: vectors,
    alphaOnA: line(
      X.map((v) => v[0]),
      X.map((v) => v[3]),
    ),
    betaOnB: line(
      X.map((v) => v[1]),
      X.map((v) => v[4]),
    ),
    paperRelations: PAPER_RELATIONS,
  };
}

/** Ordinary least squares of y on x. */
export function line(x: readonly number[], y: readonly number[]): Line {
  const { slope, intercept, r2 } = lineFit(x, y);
  return { intercept, slope, r2, n: x.length };
}

/** Sample covariance of the columns of X (rows are observations). */
export function covariance(X: readonly number[][]): number[][] {
  const n = X.length;
  const p = X[0].length;
  const mu = Array.from({ length: p }, (_, j) => X.reduce((s, r) => s + r[j], 0) / n);
  return Array.from({ length: p }, (_, a) =>
    Array.from(
      { length: p },
      (_, b) => X.reduce((s, r) => s + (r[a] - mu[a]) * (r[b] - mu[b]), 0) / (n - 1),
    ),
  );
}
