import type { RunTable } from "../data/types.js";
import { mean } from "../math/stats.js";
import { meanRelativeError } from "./are.js";

/** A no-fit forecast: one constant loss for every test point, with its errors. */
export interface Baseline {
  readonly value: number;
  readonly are: number;
  readonly areFinal: number;
}

/** The two no-fit baselines of the paper's §5.2. */
export interface Baselines {
  /** The lowest loss observed in the training rows. */
  readonly best: Baseline;
  /** The loss of the most-trained training model (see {@link mostTrainedLoss}). */
  readonly mostTrained: Baseline;
}

/**
 * No-fit baselines (Choshen et al. 2025, §5.2): predict the target with the best loss seen in training,
 * or with the most-trained training model's loss. A fit should beat both; the paper finds they average
 * 18% ARE.
 */
export function baselines(
  table: RunTable,
  trainRows: readonly number[],
  actual: ArrayLike<number>,
  rule: "max-nd" | "top5-d",
): Baselines {
  const score = (value: number): Baseline => {
    const pred = new Float64Array(actual.length).fill(value);
    return {
      value,
      are: meanRelativeError(actual, pred),
      areFinal: finalRelativeError(actual, value),
    };
  };
  let best = Number.POSITIVE_INFINITY;
  for (const r of trainRows) best = Math.min(best, table.value[r]);
  return {
    best: score(trainRows.length ? best : Number.NaN),
    mostTrained: score(mostTrainedLoss(table, trainRows, rule)),
  };
}

/**
 * `max-nd`: the loss at the training row with the largest N·D (the paper's text). `top5-d`: the mean
 * loss of the 5 training rows with the largest D (the paper's code, HITCHHIKER_SPEC §2.3).
 */
export function mostTrainedLoss(
  table: RunTable,
  rows: readonly number[],
  rule: "max-nd" | "top5-d",
): number {
  if (rows.length === 0) return Number.NaN;
  if (rule === "max-nd") {
    let bestRow = rows[0];
    for (const r of rows)
      if (table.params[r] * table.tokens[r] > table.params[bestRow] * table.tokens[bestRow])
        bestRow = r;
    return table.value[bestRow];
  }
  const top = [...rows].sort((a, b) => table.tokens[b] - table.tokens[a]).slice(0, 5);
  return mean(top.map((r) => table.value[r]));
}

function finalRelativeError(actual: ArrayLike<number>, value: number): number {
  const last = actual[actual.length - 1];
  return actual.length ? Math.abs(last - value) / last : Number.NaN;
}
