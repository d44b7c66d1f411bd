import { optimalAllocation } from "./allocation.js";
import { tokensForLoss } from "./inference.js";
import type { PlanModel } from "./model.js";

/** One iso-loss contour: the (N, D) pairs that reach `loss`, with their compute 6ND. */
export interface IsoLossContour {
  readonly loss: number;
  readonly params: Float64Array;
  readonly tokens: Float64Array;
  readonly flops: Float64Array;
}

/** The efficient frontier: for each budget the optimal N, D and loss. */
export interface Frontier {
  readonly flops: Float64Array;
  readonly params: Float64Array;
  readonly tokens: Float64Array;
  readonly loss: Float64Array;
}

/** `count` values spaced evenly in log between lo and hi (inclusive). */
export function logSpace(lo: number, hi: number, count: number): Float64Array {
  const a = Math.log(lo);
  const b = Math.log(hi);
  const out = Float64Array.from({ length: count }, (_, i) =>
    Math.exp(count === 1 ? a : a + ((b - a) * i) / (count - 1)),
  );
  // exp(ln x) is not always x: keep the ends exact.
  out[0] = lo;
  if (count > 1) out[count - 1] = hi;
  return out;
}

/**
 * Iso-loss contours of a law: for each loss level and each N in `params`, the D with L(N, D) = level
 * (bisection on ln D). Sizes too small to ever reach a level get D = NaN, so a plot leaves a gap.
 * @example isoLossContours(hoffmann, [2.0, 2.2], logSpace(1e8, 1e12, 50))
 */
export function isoLossContours(
  m: PlanModel,
  levels: readonly number[],
  params: ArrayLike<number>,
): IsoLossContour[] {
  const N = Float64Array.from(params);
  return levels.map((loss) => {
    const tokens = N.map((n) => tokensForLoss(m, n, loss));
    return { loss, params: N, tokens, flops: N.map((n, i) => 6 * n * tokens[i]) };
  });
}

/**
 * The efficient frontier as arrays: the compute-optimal N, D and loss at each budget.
 * @example efficientFrontier(hoffmann, logSpace(1e18, 1e26, 33))
 */
export function efficientFrontier(m: PlanModel, flops: ArrayLike<number>): Frontier {
  const C = Float64Array.from(flops);
  const rows = Array.from(C, (c) => optimalAllocation(m, c));
  return {
    flops: C,
    params: Float64Array.from(rows, (r) => r.params),
    tokens: Float64Array.from(rows, (r) => r.tokens),
    loss: Float64Array.from(rows, (r) => r.loss),
  };
}
