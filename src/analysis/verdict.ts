import type { RunTable } from "../data/types.js";
import { DEFAULT_MIN_TOKENS, type Forecast } from "../estimate/forecast.js";
import { seedNoise } from "../estimate/noise.js";
import { familyOf } from "../estimate/selection.js";
import {
  type EvidenceFeatures,
  type EvidenceModel,
  type ExpectedAre,
  expectedAre,
} from "./evidence.js";
import { EVIDENCE_MODEL } from "./evidence-coefficients.js";

/** The guide's seed-noise floor when the data has no seeds to measure it: about 4% (§4). */
export const NOISE_FLOOR = 0.04;
/** Forecasts up to 20% ARE are still useful (the guide, §4). */
export const USEFUL = 0.2;

/** What a forecast was made from, as the guide's checks read it. */
export interface TrainingShape {
  /** N of each training run (one entry per run, seeds repeated). */
  readonly runParams: readonly number[];
  /** Most tokens of the largest training run and of any training run. */
  readonly maxTokens: number;
  /** Training rows at or below the early cut that the fit still uses. */
  readonly earlyRows: number;
  /** The early cut applied. */
  readonly minTokens?: number;
}

/** A guide check: a short id and the guide's words. */
export interface GuideCheck {
  readonly id: string;
  readonly message: string;
}

/** The distinct sizes of runs, as the paper counts them (N rounded to 1e6). */
export function distinctSizes(runParams: readonly number[]): number[] {
  return [...new Set(runParams.map((p) => Math.round(p / 1e6) * 1e6))].sort((a, b) => a - b);
}

/**
 * The guide's checks on a forecast of `targetParams` from runs: fewer than 5 sizes, a scale-up
 * beyond what the corpus supports, checkpoints before the early cut in the fit, a single seed per
 * size, sizes too close together, and too little to identify A and α.
 */
export function guideChecks(
  shape: TrainingShape,
  targetParams: number,
  model: EvidenceModel = EVIDENCE_MODEL,
): GuideCheck[] {
  const sizes = distinctSizes(shape.runParams);
  const checks: GuideCheck[] = [];
  if (sizes.length === 0) return [{ id: "no-runs", message: "no training runs" }];
  const scaleUp = targetParams / Math.max(...shape.runParams);
  const spread = sizes[sizes.length - 1] / Math.max(sizes[0], 1);
  if (sizes.length < 5)
    checks.push({
      id: "few-sizes",
      message: `${sizes.length} sizes: the guide advises at least 5 models of different sizes`,
    });
  if (scaleUp > model.maxScaleUp)
    checks.push({
      id: "scale-up",
      message: `scale-up ${scaleUp.toFixed(0)}× is beyond the largest the corpus supports (${model.maxScaleUp}×): the expected error is an extrapolation`,
    });
  const cut = shape.minTokens ?? DEFAULT_MIN_TOKENS;
  if (shape.earlyRows > 0)
    checks.push({
      id: "early-checkpoints",
      message: `${shape.earlyRows} checkpoints at or below ${cut.toExponential(0)} tokens are in the fit: the guide drops them (\`minTokens\`)`,
    });
  if (shape.runParams.length === sizes.length)
    checks.push({
      id: "single-seed",
      message:
        "one seed per size: seed-to-seed variation alone is up to 4% ARE; a second seed of one size measures it (scaleladder noise)",
    });
  const ratios = sizes.slice(1).map((s, i) => s / sizes[i]);
  if (ratios.some((r) => r < 1.5))
    checks.push({
      id: "close-sizes",
      message: "some sizes are less than 1.5× apart: a spread of sizes identifies the law better",
    });
  if (sizes.length < 3 || spread < 3)
    checks.push({
      id: "identifiability",
      message: `${sizes.length} sizes spanning ${spread.toFixed(1)}×: too little to pin down A and α; fix or borrow the exponents (\`fix\`), or add sizes`,
    });
  return checks;
}

/** A forecast's verdict: expected error, extrapolation and warnings; for `evaluate` a grade too. */
export interface Verdict {
  /** One line: the expected band, and the grade of the realised ARE when there is one. */
  readonly verdict: string;
  readonly expectedAre: ExpectedAre;
  /** Target N over the largest trained N, and target D over the most tokens trained. */
  readonly extrapolation: { readonly params: number; readonly tokens: number };
  readonly warnings: string[];
  /** `evaluate` only: how the realised ARE compares with the noise floor and 20%. */
  readonly grade: "within-noise" | "useful" | "unreliable" | null;
  readonly noiseFloor: number;
}

/** Options of {@link forecastVerdict}. */
export interface VerdictInput {
  readonly shape: TrainingShape;
  readonly targetParams: number;
  readonly targetTokens?: number;
  readonly fraction?: number;
  readonly partialTarget?: boolean;
  readonly borrowed?: boolean;
  /** The realised ARE (evaluate), or undefined (predict). */
  readonly are?: number;
  /** Seed-noise ARE floor measured on the data; defaults to the guide's 4%. */
  readonly noiseFloor?: number;
  readonly model?: EvidenceModel;
}

/** Grades an ARE by the guide: within the noise floor, useful (≤ 20%) or unreliable. */
export function gradeAre(are: number, floor = NOISE_FLOOR): Verdict["grade"] {
  if (!Number.isFinite(are)) return null;
  return are <= floor ? "within-noise" : are <= USEFUL ? "useful" : "unreliable";
}

/** The verdict on a forecast from the evidence model and the guide's checks. */
export function forecastVerdict(v: VerdictInput): Verdict {
  const model = v.model ?? EVIDENCE_MODEL;
  const floor = v.noiseFloor ?? NOISE_FLOOR;
  if (v.shape.runParams.length === 0) {
    const nan = Number.NaN;
    return {
      verdict: "no training runs passed the filters: nothing to judge",
      expectedAre: { median: nan, band: [nan, nan] },
      extrapolation: { params: nan, tokens: nan },
      warnings: ["no training runs"],
      grade: null,
      noiseFloor: floor,
    };
  }
  const sizes = distinctSizes(v.shape.runParams);
  const largest = Math.max(...v.shape.runParams);
  const features: EvidenceFeatures = {
    scaleUp: Math.max(1, v.targetParams / largest),
    models: Math.max(1, sizes.length),
    spread: sizes.length ? sizes[sizes.length - 1] / Math.max(sizes[0], 1) : 1,
    fraction: v.fraction ?? 1,
    partialTarget: v.partialTarget ?? false,
    borrowed: v.borrowed ?? false,
  };
  const e = expectedAre(model, features);
  const grade = v.are === undefined ? null : gradeAre(v.are, floor);
  const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
  const expected = `expected ARE ${pct(e.median)} (80% band ${pct(e.band[0])}–${pct(e.band[1])}) for ${features.models} sizes, scale-up ${features.scaleUp.toFixed(1)}×`;
  const graded =
    grade === null
      ? ""
      : grade === "within-noise"
        ? `; realised ${pct(v.are as number)}: within the seed-noise floor (≤ ${pct(floor)})`
        : grade === "useful"
          ? `; realised ${pct(v.are as number)}: useful (≤ 20%)`
          : `; realised ${pct(v.are as number)}: unreliable (> 20%)`;
  const warnings = guideChecks(v.shape, v.targetParams, model).map((c) => c.message);
  if (e.band[1] > USEFUL)
    warnings.push(
      `the band reaches ${pct(e.band[1])}: one forecast in ten like this one is worse than that`,
    );
  return {
    verdict: `${expected}${graded}`,
    expectedAre: e,
    extrapolation: {
      params: v.targetParams / largest,
      tokens: v.targetTokens !== undefined ? v.targetTokens / v.shape.maxTokens : Number.NaN,
    },
    warnings,
    grade,
    noiseFloor: floor,
  };
}

/**
 * The verdict on an `evaluate` forecast: its training runs' shape from the table, the realised ARE
 * graded against the seed-noise floor measured on the family when it has repeated seeds (the
 * largest seed-to-seed ARE, `scaleladder noise`), else the guide's 4%.
 */
export function evaluateVerdict(
  table: RunTable,
  f: Forecast,
  o: { partialTarget?: boolean; borrowed?: boolean; guideCut?: number } = {},
): Verdict {
  const family = familyOf(table, f.family, f.metric);
  const used = family.models.filter((m) => f.train.models.includes(m.name));
  const guideCut = o.guideCut ?? DEFAULT_MIN_TOKENS;
  let earlyRows = 0;
  if (f.minTokens < guideCut)
    for (const m of used)
      for (const r of m.rows)
        if (table.tokens[r] > f.minTokens && table.tokens[r] <= guideCut) earlyRows++;
  const noise = seedNoise(table, f.family, f.metric);
  const runs = used.filter((m) => m.name !== f.target.model);
  return forecastVerdict({
    shape: {
      runParams: (runs.length ? runs : used).map((m) => m.params),
      maxTokens: Math.max(0, ...used.map((m) => m.maxTokens * f.fraction)),
      earlyRows,
      minTokens: guideCut,
    },
    targetParams: f.target.params,
    targetTokens: f.target.maxTokens,
    fraction: f.fraction,
    partialTarget: o.partialTarget,
    borrowed: o.borrowed,
    are: f.are,
    noiseFloor: noise.pairs.length ? noise.maxAre : undefined,
  });
}

/** The training shape of fit data: one N per run (rows grouped by `run`), tokens, early rows. */
export function dataShape(
  data: { params: ArrayLike<number>; tokens: ArrayLike<number>; run?: ArrayLike<number> },
  guideCut = DEFAULT_MIN_TOKENS,
): TrainingShape {
  const byRun = new Map<number, number>();
  let maxTokens = 0;
  let earlyRows = 0;
  for (let i = 0; i < data.params.length; i++) {
    byRun.set(data.run ? data.run[i] : data.params[i], data.params[i]);
    maxTokens = Math.max(maxTokens, data.tokens[i]);
    if (data.tokens[i] <= guideCut) earlyRows++;
  }
  // Final-loss-only data (one row per run) has no early checkpoints to drop.
  if (byRun.size === data.params.length) earlyRows = 0;
  return { runParams: [...byRun.values()], maxTokens, earlyRows, minTokens: guideCut };
}
