import { group } from "../math/stats.js";
import {
  type AggregateCell,
  aggregatedRows,
  areStats,
  type CheapestCell,
  cheapest,
  compareProtocols,
  macroAverage,
  type ProtocolComparison,
  scaleUpAverage,
  selfPredictionAverage,
  statusCounts,
} from "./aggregate.js";
import { type EndOfTrainingCell, endOfTrainingTable } from "./end-of-training.js";
import { analyzeParams, type ParamsAnalysis } from "./pca.js";
import { type RobustStats, TRIM } from "./robust.js";
import { EXPERIMENTS, type ExperimentName, type ResultRow } from "./types.js";

/** Counts per experiment and protocol: cells, fits made, fits by status, and their ARE. */
export interface ExperimentCount {
  readonly experiment: ExperimentName;
  readonly protocol: string;
  readonly cells: number;
  /** Laws actually fitted (cells with training data; baselines fit nothing). */
  readonly fitted: number;
  /** Cells with a finite ARE. */
  readonly scored: number;
  /** Cells per status: `converged`, `bound-hit`, `max-iterations`, `invalid`, `baseline`, … */
  readonly statuses: Record<string, number>;
  /** Scored cells left out of the aggregates (not converged; 0 with `includeFailed`). */
  readonly excluded: number;
  /** Mean ARE over the aggregated cells (the other statistics are in `are`). */
  readonly meanAre: number;
  readonly are: RobustStats;
}

/** App. D: does the model that is hardest to predict also hurt the target most when left in? */
export interface BadModelSummary {
  readonly protocol: string;
  readonly family: string;
  /** Held-out model predicted worst (highest ARE on its own last 30%). */
  readonly hardest: string;
  /** Held-out model whose removal gives the worst target ARE. */
  readonly worstRemoval: string;
  readonly same: boolean;
}

/** Everything the analysis concludes, as plain data for JSON and text rendering. */
export interface AnalysisSummary {
  /** Which fits entered the aggregates, and the trim of the trimmed means. */
  readonly aggregation: {
    readonly statuses: "converged" | "all";
    readonly trimEachSide: number;
  };
  readonly counts: ExperimentCount[];
  readonly aggregate: AggregateCell[];
  readonly scaleUp: AggregateCell[];
  /** Self-prediction of each run from its own first p (§3.4j), bin `runs`. */
  readonly selfPrediction: AggregateCell[];
  readonly cheapest: CheapestCell[];
  readonly protocols: ProtocolComparison[];
  /** PCA of (a, b, e, α, β) over converged fits with at least 3 sizes. */
  readonly params: ParamsAnalysis[];
  /** The same over every fit with finite parameters (the figure before fits were filtered). */
  readonly paramsAllFits: ParamsAnalysis[];
  readonly badModel: BadModelSummary[];
  /** End-of-training (Fig. 4) with the c4 and oscar datablations families merged into `-all` (§3.4d). */
  readonly endOfTraining: EndOfTrainingCell[];
  /** Mean ARE of the no-fit baselines against the main grid's fits, per protocol (§5.2). */
  readonly baselines: {
    protocol: string;
    baseline: string;
    meanAre: number;
    medianAre: number;
    below10: number;
    below5: number;
    gridMeanAre: number;
    gridMedianAre: number;
  }[];
}

/** Options of {@link summarizeAnalysis}. */
export interface SummaryOptions {
  /**
   * Aggregate every finite ARE, bound-hit and unconverged fits too (`--include-failed`). By default
   * only converged fits enter aggregates; the others are counted per status.
   */
  readonly includeFailed?: boolean;
}

/** Summarises tidy rows of any subset of experiments and protocols. */
export function summarizeAnalysis(
  all: readonly ResultRow[],
  options: SummaryOptions = {},
): AnalysisSummary {
  const includeFailed = options.includeFailed ?? false;
  const rows = aggregatedRows(all, includeFailed);
  const keep = new Set(rows);
  const protocols = [...new Set(all.map((r) => r.protocol))];
  const counts: ExperimentCount[] = [];
  for (const experiment of EXPERIMENTS) {
    for (const protocol of protocols) {
      const rs = all.filter((r) => r.experiment === experiment && r.protocol === protocol);
      if (rs.length === 0) continue;
      const used = rows.filter((r) => r.experiment === experiment && r.protocol === protocol);
      const are = areStats(used);
      counts.push({
        experiment,
        protocol,
        cells: rs.length,
        fitted: rs.filter(
          (r) =>
            r.baseline === null &&
            r.status !== "no-data" &&
            r.status !== "no-test" &&
            r.status !== "invalid",
        ).length,
        scored: rs.filter((r) => Number.isFinite(r.are)).length,
        statuses: statusCounts(rs),
        excluded: rs.filter((r) => Number.isFinite(r.are)).length - used.length,
        meanAre: are.mean,
        are,
      });
    }
  }
  const grid = rows.filter((r) => r.experiment === "grid");
  const baselineRows = rows.filter((r) => r.experiment === "baselines");
  const baselines = [...group(baselineRows, (r) => `${r.protocol}\u0000${r.baseline}`)].map(
    ([key, rs]) => {
      const [protocol, baseline] = key.split("\u0000");
      const ares = rs.map((r) => r.are);
      const own = areStats(rs);
      const fits = areStats(grid.filter((r) => r.protocol === protocol));
      return {
        protocol,
        baseline,
        meanAre: own.mean,
        medianAre: own.median,
        below10: ares.filter((a) => a < 0.1).length / ares.length,
        below5: ares.filter((a) => a < 0.05).length / ares.length,
        gridMeanAre: fits.mean,
        gridMedianAre: fits.median,
      };
    },
  );
  return {
    aggregation: { statuses: includeFailed ? "all" : "converged", trimEachSide: TRIM },
    counts,
    aggregate: macroAverage(grid),
    scaleUp: scaleUpAverage(grid),
    selfPrediction: selfPredictionAverage(rows),
    // Stars come only from converged fits, whatever the aggregation (cheapest filters itself).
    cheapest: cheapest(all.filter((r) => r.experiment === "grid")),
    protocols: compareProtocols(rows),
    // The PCA over converged fits with at least 3 sizes (a two-size fit sits anywhere on its ridge,
    // so its A and α are not a family's), beside the figure over every finite fit as before.
    params: protocols
      .filter((p) => rows.some((r) => r.protocol === p && r.experiment === "params"))
      .map((p) =>
        analyzeParams(
          all.filter((r) => r.status === "converged" && r.trainModels >= 3),
          p,
        ),
      ),
    paramsAllFits: protocols
      .filter((p) => all.some((r) => r.protocol === p && r.experiment === "params"))
      .map((p) => analyzeParams(all, p)),
    badModel: badModels(rows),
    // Members whose fit is left out still count as members; their ARE is skipped like a NaN.
    endOfTraining: endOfTrainingTable(
      all.map((r) => (keep.has(r) ? r : { ...r, are: Number.NaN })),
    ),
    baselines,
  };
}

function badModels(rows: readonly ResultRow[]): BadModelSummary[] {
  const out: BadModelSummary[] = [];
  const held = rows.filter(
    (r) =>
      r.experiment === "bad-model" &&
      r.heldOut !== null &&
      Number.isFinite(r.are) &&
      r.heldOutAre !== null &&
      Number.isFinite(r.heldOutAre),
  );
  for (const [key, rs] of group(held, (r) => `${r.protocol}\u0000${r.family}`)) {
    const [protocol, family] = key.split("\u0000");
    const hardest = rs.reduce((a, b) =>
      (b.heldOutAre as number) > (a.heldOutAre as number) ? b : a,
    );
    const worst = rs.reduce((a, b) => (b.are > a.are ? b : a));
    out.push({
      protocol,
      family,
      hardest: hardest.heldOut as string,
      worstRemoval: worst.heldOut as string,
      same: hardest === worst,
    });
  }
  return out;
}
