import { count } from "../errors.js";
import { percentileInterval } from "../math/percentile.js";
import { rng } from "../math/random.js";
import { lineFit, parabolaFit } from "../math/regression.js";
import type { BudgetGroups } from "./budgets.js";

/** One IsoFLOP profile: the parabola in ln N fitted to one budget's runs, and its vertex. */
export interface IsoFlopProfile {
  readonly flops: number;
  readonly n: number;
  /** Vertex of L = c0 + c1·ln N + c2·(ln N)²: N_opt = exp(−c1/(2·c2)). */
  readonly params: number;
  readonly tokens: number;
  readonly loss: number;
  readonly curvature: number;
  /** Whether the profile enters the power-law fit (a minimum inside the sizes tried). */
  readonly used: boolean;
  readonly reason?: string;
}

/** The result of Chinchilla's Approach 2. */
export interface Approach2Result {
  readonly profiles: readonly IsoFlopProfile[];
  /** a in N_opt ∝ C^a (Hoffmann et al. 2022 report 0.49, CI 0.462–0.534). */
  readonly exponentN: number;
  /** b in D_opt ∝ C^b; D_opt = C/(6N_opt), so b = 1 − a. */
  readonly exponentD: number;
  /** N_opt = k·C^a: ln k. */
  readonly lnCoefficientN: number;
  readonly interval: {
    readonly exponentN: readonly [number, number];
    readonly exponentD: readonly [number, number];
  } | null;
  readonly bootstrap: {
    readonly resamples: number;
    readonly seed: number;
    readonly level: number;
    readonly succeeded: number;
  } | null;
  readonly grouping: string;
  readonly warnings: readonly string[];
}

/** Rows of IsoFLOP data: model size, final loss and training compute per run. */
export interface IsoFlopData {
  readonly params: ArrayLike<number>;
  readonly loss: ArrayLike<number>;
}

/** The warning every Approach 2 answer carries. */
export const APPROACH2_BIAS_WARNING =
  "Approach 2 is biased when the IsoFLOP sampling grid is off-centre around the optimum or the exponents α and β differ " +
  "(Czech et al. 2026, arXiv 2603.22339); compare with the Approach 3 answer";

function profile(data: IsoFlopData, rows: readonly number[], flops: number): IsoFlopProfile {
  const x = rows.map((i) => Math.log(data.params[i]));
  const y = rows.map((i) => data.loss[i]);
  const { c0, c1, c2 } = parabolaFit(x, y);
  const u = -c1 / (2 * c2);
  const params = Math.exp(u);
  const base = {
    flops,
    n: rows.length,
    params,
    tokens: flops / (6 * params),
    loss: c0 + c1 * u + c2 * u * u,
    curvature: c2,
  };
  if (!(c2 > 0))
    return { ...base, used: false, reason: "no minimum (the parabola opens downward)" };
  if (u < Math.min(...x) || u > Math.max(...x))
    return { ...base, used: false, reason: "minimum outside the sizes tried" };
  return { ...base, used: true };
}

function powerLaw(profiles: readonly IsoFlopProfile[]): { slope: number; intercept: number } {
  const used = profiles.filter((p) => p.used);
  if (used.length < 2) return { slope: Number.NaN, intercept: Number.NaN };
  return lineFit(
    used.map((p) => Math.log(p.flops)),
    used.map((p) => Math.log(p.params)),
  );
}

/**
 * Chinchilla Approach 2 (Hoffmann et al. 2022, §3.2): per budget, a parabola of loss in ln N; its
 * vertex is N_opt(C); then ln N_opt = ln k + a·ln C by least squares, D_opt = C/(6·N_opt).
 * With `resamples`, runs are resampled with replacement within each budget (seeded by
 * `rng(seed, r)`) for percentile intervals on a and b. Cost O(resamples · n).
 */
export function approach2(
  data: IsoFlopData,
  grouping: BudgetGroups,
  options: { resamples?: number; seed?: number; level?: number } = {},
): Approach2Result {
  const profiles = grouping.groups.map((g, k) => profile(data, g, grouping.budgets[k]));
  const fitLine = powerLaw(profiles);
  const warnings = [APPROACH2_BIAS_WARNING];
  for (const p of profiles)
    if (!p.used) warnings.push(`budget ${p.flops.toExponential(2)} left out: ${p.reason}`);
  if (grouping.unassigned > 0)
    warnings.push(
      `${count(grouping.unassigned, "row")} ${grouping.unassigned === 1 ? "belongs" : "belong"} to no budget group and ${grouping.unassigned === 1 ? "was" : "were"} not used`,
    );
  const resamples = options.resamples ?? 0;
  const level = options.level ?? 0.95;
  const seed = options.seed ?? 0;
  let interval: Approach2Result["interval"] = null;
  let bootstrap: Approach2Result["bootstrap"] = null;
  if (resamples > 0) {
    const slopes: number[] = [];
    for (let r = 0; r < resamples; r++) {
      const next = rng(seed, r + 1);
      const ps = grouping.groups.map((g, k) => {
        const rows = g.map(() => g[Math.floor(next() * g.length)]);
        return profile(data, rows, grouping.budgets[k]);
      });
      const s = powerLaw(ps).slope;
      if (Number.isFinite(s)) slopes.push(s);
    }
    const iv = percentileInterval(slopes, level);
    interval = { exponentN: iv, exponentD: [1 - iv[1], 1 - iv[0]] };
    bootstrap = { resamples, seed, level, succeeded: slopes.length };
  }
  return {
    profiles,
    exponentN: fitLine.slope,
    exponentD: 1 - fitLine.slope,
    lnCoefficientN: fitLine.intercept,
    interval,
    bootstrap,
    grouping: grouping.method,
    warnings,
  };
}
