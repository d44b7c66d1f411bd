import { group, mean } from "../math/stats.js";
import {
  type AggregateCell,
  type CheapestCell,
  cheapest,
  compareProtocols,
  macroAverage,
  type ProtocolComparison,
  scaleUpAverage,
} from "./aggregate.js";
import { type EndOfTrainingCell, endOfTrainingTable } from "./end-of-training.js";
import { analyzeParams, type ParamsAnalysis } from "./pca.js";
import { EXPERIMENTS, type ExperimentName, type ResultRow } from "./types.js";

/** Counts per experiment and protocol: cells, fits made, fits with a usable ARE. */
export interface ExperimentCount {
  readonly experiment: ExperimentName;
  readonly protocol: string;
  readonly cells: number;
  /** Laws actually fitted (cells with training data; baselines fit nothing). */
  readonly fitted: number;
  /** Cells with a finite ARE. */
  readonly scored: number;
  readonly meanAre: number;
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
  readonly counts: ExperimentCount[];
  readonly aggregate: AggregateCell[];
  readonly scaleUp: AggregateCell[];
  readonly cheapest: CheapestCell[];
  readonly protocols: ProtocolComparison[];
  readonly params: ParamsAnalysis[];
  readonly badModel: BadModelSummary[];
  /** End-of-training (Fig. 4) with the c4 and oscar datablations families merged into `-all` (§3.4d). */
  readonly endOfTraining: EndOfTrainingCell[];
  /** Mean ARE of the no-fit baselines against the main grid's fits, per protocol (§5.2). */
  readonly baselines: {
    protocol: string;
    baseline: string;
    meanAre: number;
    below10: number;
    below5: number;
    gridMeanAre: number;
  }[];
}

/** Summarises tidy rows of any subset of experiments and protocols. */
export function summarizeAnalysis(rows: readonly ResultRow[]): AnalysisSummary {
  const protocols = [...new Set(rows.map((r) => r.protocol))];
  const counts: ExperimentCount[] = [];
  for (const experiment of EXPERIMENTS) {
    for (const protocol of protocols) {
      const rs = rows.filter((r) => r.experiment === experiment && r.protocol === protocol);
      if (rs.length === 0) continue;
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
        meanAre: mean(rs.filter((r) => Number.isFinite(r.are)).map((r) => r.are)),
      });
    }
  }
  const grid = rows.filter((r) => r.experiment === "grid");
  const baselineRows = rows.filter((r) => r.experiment === "baselines" && Number.isFinite(r.are));
  const baselines = [...group(baselineRows, (r) => `${r.protocol}\u0000${r.baseline}`)].map(
    ([key, rs]) => {
      const [protocol, baseline] = key.split("\u0000");
      const ares = rs.map((r) => r.are);
      return {
        protocol,
        baseline,
        meanAre: mean(ares),
        below10: ares.filter((a) => a < 0.1).length / ares.length,
        below5: ares.filter((a) => a < 0.05).length / ares.length,
        gridMeanAre: mean(
          grid.filter((r) => r.protocol === protocol && Number.isFinite(r.are)).map((r) => r.are),
        ),
      };
    },
  );
  return {
    counts,
    aggregate: macroAverage(grid),
    scaleUp: scaleUpAverage(grid),
    cheapest: cheapest(grid),
    protocols: compareProtocols(rows),
    params: protocols
      .filter((p) => rows.some((r) => r.protocol === p && r.experiment === "params"))
      .map((p) => analyzeParams(rows, p)),
    badModel: badModels(rows),
    endOfTraining: endOfTrainingTable(rows),
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
