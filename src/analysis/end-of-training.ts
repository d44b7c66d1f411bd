import { group } from "../math/stats.js";
import { robustStats } from "./robust.js";
import type { ResultRow } from "./types.js";

/**
 * Datablations families merged for the end-of-training experiment: every `GPT2-c4-*` family becomes
 * `GPT2-c4-all`, every `GPT2-oscar-*` family `GPT2-oscar-all` (HITCHHIKER_SPEC §3.4d [C]). ColPret's
 * `minimal_cut` matches the same substrings.
 */
const MERGED: readonly [RegExp, string][] = [
  [/GPT2-c4/, "GPT2-c4-all"],
  [/GPT2-oscar/, "GPT2-oscar-all"],
];

/** The family a row is reported under in the end-of-training table. */
export function endOfTrainingFamily(family: string): string {
  for (const [re, merged] of MERGED) if (re.test(family)) return merged;
  return family;
}

/** One cell of the end-of-training table (Fig. 4): a family, a number of models and a window start m. */
export interface EndOfTrainingCell {
  readonly protocol: string;
  /** The family, or `GPT2-c4-all` / `GPT2-oscar-all` for the merged datablations families. */
  readonly family: string;
  /** Training models plus the target: the figure's y value, k + 1 (spec §3.4d). */
  readonly models: number;
  /** The window m·0.7T ≤ D < 0.7T starts at m. */
  readonly m: number;
  /** Mean ARE over the member families' fits with a finite ARE (one fit for an unmerged family). */
  readonly are: number;
  /** Median and 10%-trimmed mean over the same fits. */
  readonly median: number;
  readonly trimmedMean: number;
  /** Fits with a finite ARE that entered the mean. */
  readonly fits: number;
  /** Member families (16 datablations families collapse into two rows of eight). */
  readonly members: number;
}

/**
 * The end-of-training table as ColPret's `minimal_cut` reports it: each family is fitted on its own
 * (the fits in `end-of-training.csv` are per family), and only the *results* of the c4 and the oscar
 * datablations families are averaged, per (window start m, #models = k + 1), into one `-all` family
 * each; the member families then leave the table. The merge is of AREs, not of loss curves: the
 * members differ in epochs, so their curves are not one family's. Like pandas' `mean`, failed fits
 * (NaN ARE) are skipped; a cell where every member failed is kept with NaN.
 */
export function endOfTrainingTable(rows: readonly ResultRow[]): EndOfTrainingCell[] {
  const eot = rows.filter((r) => r.experiment === "end-of-training" && r.k !== null);
  const cells = group(eot, (r) =>
    [r.protocol, endOfTrainingFamily(r.family), (r.k as number) + 1, r.m].join("\u0000"),
  );
  return [...cells]
    .map(([key, rs]) => {
      const [protocol, family, models, m] = key.split("\u0000");
      const ares = robustStats(rs.map((r) => r.are).filter(Number.isFinite));
      return {
        protocol,
        family,
        models: Number(models),
        m: Number(m),
        are: ares.mean,
        median: ares.median,
        trimmedMean: ares.trimmedMean,
        fits: ares.n,
        members: new Set(rs.map((r) => r.family)).size,
      };
    })
    .sort(
      (a, b) =>
        a.protocol.localeCompare(b.protocol) ||
        a.family.localeCompare(b.family) ||
        a.models - b.models ||
        a.m - b.m,
    );
}
