/**
 * Absolute relative error, ARE = mean_i |L_i − L̂_i| / L_i (Choshen et al. 2025, §3): the paper's
 * score of a forecast over the test points. NaN when there are no points or a prediction is not finite.
 * @example meanRelativeError([2, 4], [2.2, 4]) // → 0.05
 */
export function meanRelativeError(actual: ArrayLike<number>, predicted: ArrayLike<number>): number {
  if (actual.length === 0) return Number.NaN;
  let s = 0;
  for (let i = 0; i < actual.length; i++) s += Math.abs(actual[i] - predicted[i]) / actual[i];
  return s / actual.length;
}

/** Mean squared error, which the paper's code records beside ARE. */
export function meanSquaredError(actual: ArrayLike<number>, predicted: ArrayLike<number>): number {
  if (actual.length === 0) return Number.NaN;
  let s = 0;
  for (let i = 0; i < actual.length; i++) s += (actual[i] - predicted[i]) ** 2;
  return s / actual.length;
}
