import { lineFit } from "../math/regression.js";
import { logSpace } from "./contours.js";

/** Training curves: one row per checkpoint, rows of one run share `run`. */
export interface CurveData {
  readonly run: ArrayLike<number>;
  readonly params: ArrayLike<number>;
  readonly flops: ArrayLike<number>;
  readonly loss: ArrayLike<number>;
}

/** The result of Chinchilla's Approach 1. */
export interface Approach1Result {
  /** The lower envelope: at each FLOP value, the run with the lowest (interpolated) loss. */
  readonly envelope: {
    readonly flops: Float64Array;
    readonly params: Float64Array;
    readonly tokens: Float64Array;
    readonly loss: Float64Array;
  };
  /** a in N_opt ∝ C^a (Hoffmann et al. 2022 report 0.50). */
  readonly exponentN: number;
  /** b in D_opt ∝ C^b (Hoffmann et al. 2022 report 0.50). */
  readonly exponentD: number;
  readonly lnCoefficientN: number;
  readonly lnCoefficientD: number;
  /** Envelope points left out because the smallest or largest run won (the optimum may lie beyond). */
  readonly edgePoints: number;
}

/**
 * Chinchilla Approach 1 (Hoffmann et al. 2022, §3.1): for `points` FLOP values spaced in log over
 * the data, each run's loss is interpolated linearly in ln C along its curve, the lowest loss wins,
 * and the winners' N and D = C/(6N) are fitted as power laws of C. Points won by the smallest or
 * largest model are left out of the fit, since the true optimum may lie outside the ladder.
 * Cost O(points · rows).
 */
export function approach1(data: CurveData, points = 1500): Approach1Result {
  const runs = new Map<number, number[]>();
  for (let i = 0; i < data.run.length; i++) {
    const g = runs.get(data.run[i]) ?? [];
    g.push(i);
    runs.set(data.run[i], g);
  }
  const curves = [...runs.values()].map((rows) => {
    const sorted = [...rows].sort((a, b) => data.flops[a] - data.flops[b]);
    return {
      N: data.params[sorted[0]],
      lnC: sorted.map((i) => Math.log(data.flops[i])),
      L: sorted.map((i) => data.loss[i]),
    };
  });
  const sizes = curves.map((c) => c.N);
  const minN = Math.min(...sizes);
  const maxN = Math.max(...sizes);
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < data.flops.length; i++) {
    lo = Math.min(lo, data.flops[i]);
    hi = Math.max(hi, data.flops[i]);
  }
  const grid = logSpace(lo, hi, points);
  const C: number[] = [];
  const N: number[] = [];
  const L: number[] = [];
  let edgePoints = 0;
  for (const c of grid) {
    const u = Math.log(c);
    let best = Infinity;
    let bestN = Number.NaN;
    for (const cv of curves) {
      const k = cv.lnC.findIndex((v) => v >= u);
      if (k < 0 || (k === 0 && cv.lnC[0] > u)) continue;
      const l =
        k === 0
          ? cv.L[0]
          : cv.L[k - 1] +
            ((cv.L[k] - cv.L[k - 1]) * (u - cv.lnC[k - 1])) / (cv.lnC[k] - cv.lnC[k - 1]);
      if (l < best) {
        best = l;
        bestN = cv.N;
      }
    }
    if (!Number.isFinite(best)) continue;
    if (bestN === minN || bestN === maxN) {
      edgePoints++;
      continue;
    }
    C.push(c);
    N.push(bestN);
    L.push(best);
  }
  const lnC = C.map(Math.log);
  const fN = lineFit(lnC, N.map(Math.log));
  const D = C.map((c, i) => c / (6 * N[i]));
  const fD = lineFit(lnC, D.map(Math.log));
  return {
    envelope: {
      flops: Float64Array.from(C),
      params: Float64Array.from(N),
      tokens: Float64Array.from(D),
      loss: Float64Array.from(L),
    },
    exponentN: fN.slope,
    exponentD: fD.slope,
    lnCoefficientN: fN.intercept,
    lnCoefficientD: fD.intercept,
    edgePoints,
  };
}
