import { group, mean } from "../math/stats.js";
import { median, type RobustStats, robustStats, trimmedMean } from "./robust.js";
import type { ResultRow } from "./types.js";

/** Family names the paper leaves out of aggregates: interventions, 5-shot and v0 Pythia runs (§3.3). */
const EXCLUDED = /interv|5sh|v0/;

/** One cell of an aggregated heatmap. */
export interface AggregateCell {
  readonly protocol: string;
  readonly bin: string;
  readonly fraction: number;
  /** Mean ARE (a fraction) over the cell: the paper's statistic. */
  readonly are: number;
  /** Median ARE over the same values: what one extreme value cannot move. */
  readonly median: number;
  /** Mean after dropping 10% of the values at each end (robust.ts `TRIM`). */
  readonly trimmedMean: number;
  /** Families (macro average) or fits (plain mean) that entered the cell. */
  readonly count: number;
}

const finite = (r: ResultRow) => Number.isFinite(r.are);

/** Fit statuses whose ARE enters aggregates by default: only fits that reached their optimum. */
export const AGGREGATED_STATUSES: ReadonlySet<string> = new Set(["converged", "baseline"]);

/**
 * The rows aggregates are computed from: by default only converged fits (and the no-fit baselines,
 * which fit nothing); bound-hit, unconverged and failed fits are counted but kept out, because a
 * single one can reach ARE 1e12 and decide a mean. `includeFailed` keeps every finite ARE.
 */
export function aggregatedRows(rows: readonly ResultRow[], includeFailed = false): ResultRow[] {
  return rows.filter((r) => finite(r) && (includeFailed || AGGREGATED_STATUSES.has(r.status)));
}

function cellOf(protocol: string, bin: string, fraction: number, xs: number[]): AggregateCell {
  const s = robustStats(xs);
  return {
    protocol,
    bin,
    fraction,
    are: s.mean,
    median: s.median,
    trimmedMean: s.trimmedMean,
    count: s.n,
  };
}

/** The paper's bins of #train models: 2 … 7, then 8+. */
export function modelsBin(n: number): string {
  return n >= 8 ? "8+" : String(n);
}

/**
 * The aggregated heatmap (HITCHHIKER_SPEC §3.3): bin #train models into 2…7, 8+; average ARE per
 * (family, bin, p), then over families (a macro average, so a family with many fits does not
 * dominate): mean, median and trimmed mean of the family means. Rows with a NaN ARE are left out,
 * as the paper's white cells are; pass {@link aggregatedRows} to leave out unconverged fits too.
 */
export function macroAverage(rows: readonly ResultRow[]): AggregateCell[] {
  const perFamily = group(
    rows.filter((r) => finite(r) && !EXCLUDED.test(r.family) && r.trainModels >= 2),
    (r) => [r.protocol, modelsBin(r.trainModels), r.fraction, r.family].join("\u0000"),
  );
  const perCell = new Map<string, number[]>();
  for (const [key, rs] of perFamily) {
    const cell = key.split("\u0000").slice(0, 3).join("\u0000");
    const list = perCell.get(cell) ?? [];
    list.push(mean(rs.map((r) => r.are)));
    perCell.set(cell, list);
  }
  return [...perCell]
    .map(([key, means]) => {
      const [protocol, bin, fraction] = key.split("\u0000");
      return cellOf(protocol, bin, Number(fraction), means);
    })
    .sort(byCell);
}

/** The paper's scale-up bins: 1–2×, 4×, 8×, 16×, 32×, 32+×. */
export function scaleUpBin(x: number): string {
  if (x <= 2) return "1-2x";
  if (x <= 4) return "4x";
  if (x <= 8) return "8x";
  if (x <= 16) return "16x";
  if (x <= 32) return "32x";
  return "32+x";
}

/** The scale-up heatmap: mean, median and trimmed mean ARE per (scale-up bin, p) over all fits (§3.3). */
export function scaleUpAverage(rows: readonly ResultRow[]): AggregateCell[] {
  const g = group(
    rows.filter((r) => finite(r) && !EXCLUDED.test(r.family) && Number.isFinite(r.scaleUp)),
    (r) => [r.protocol, scaleUpBin(r.scaleUp), r.fraction].join("\u0000"),
  );
  return [...g]
    .map(([key, rs]) => {
      const [protocol, bin, fraction] = key.split("\u0000");
      return cellOf(
        protocol,
        bin,
        Number(fraction),
        rs.map((r) => r.are),
      );
    })
    .sort(byCell);
}

/**
 * Self-prediction (§3.4j): each run forecast from its own first p, per protocol and p; median, mean
 * and trimmed mean over the runs, bin `runs`.
 */
export function selfPredictionAverage(rows: readonly ResultRow[]): AggregateCell[] {
  const g = group(
    rows.filter((r) => r.experiment === "self-prediction" && finite(r) && !EXCLUDED.test(r.family)),
    (r) => `${r.protocol}\u0000${r.fraction}`,
  );
  return [...g]
    .map(([key, rs]) => {
      const [protocol, fraction] = key.split("\u0000");
      return cellOf(
        protocol,
        "runs",
        Number(fraction),
        rs.map((r) => r.are),
      );
    })
    .sort(byCell);
}

/** The cheapest fit of a family reaching an ARE threshold: the paper's iso-FLOP stars. */
export interface CheapestCell {
  readonly protocol: string;
  readonly family: string;
  readonly threshold: number;
  readonly trainModels: number;
  readonly fraction: number;
  readonly flops: number;
  readonly are: number;
  readonly largest: string | null;
}

/**
 * Per family and threshold τ ∈ {15, 10, 5}% (HITCHHIKER_SPEC §3.3): in each row of the family's
 * heatmap (#train models), the first fraction with ARE < τ whose cells to the right are more than
 * 75% below τ is a candidate; the star is the candidate with the smallest training FLOPs.
 * Only converged fits are stars or candidates, whatever the caller passes: a bound-hit fit that
 * lands below τ by luck is not a configuration to recommend. The heatmap figures use this too.
 */
export function cheapest(
  rows: readonly ResultRow[],
  thresholds: readonly number[] = [0.15, 0.1, 0.05],
): CheapestCell[] {
  const out: CheapestCell[] = [];
  const byFamily = group(
    rows.filter((r) => r.status === "converged" && finite(r)),
    (r) => `${r.protocol}\u0000${r.family}`,
  );
  for (const [key, rs] of byFamily) {
    const [protocol, family] = key.split("\u0000");
    const byRow = group(rs, (r) => String(r.trainModels));
    for (const tau of thresholds) {
      let star: ResultRow | null = null;
      for (const line of byRow.values()) {
        const sorted = [...line].sort((a, b) => a.fraction - b.fraction);
        for (let i = 0; i < sorted.length; i++) {
          if (!(sorted[i].are < tau)) continue;
          const right = sorted.slice(i + 1);
          const below = right.filter((r) => r.are < tau).length;
          if (right.length > 0 && below / right.length <= 0.75) continue;
          if (!star || sorted[i].flops < star.flops) star = sorted[i];
          break;
        }
      }
      if (star) {
        out.push({
          protocol,
          family,
          threshold: tau,
          trainModels: star.trainModels,
          fraction: star.fraction,
          flops: star.flops,
          are: star.are,
          largest: star.largest,
        });
      }
    }
  }
  return out;
}

/** Paired median differences below 0.1 percentage point of ARE are a tie: below any seed noise. */
const TIE = 1e-3;

/** Per family, which protocol forecasts better on the cells both fitted. */
export interface ProtocolComparison {
  readonly family: string;
  /** Paired cells: the same experiment cell with a usable ARE under both protocols. */
  readonly cells: number;
  readonly defaultAre: number;
  readonly paperAre: number;
  readonly defaultMedian: number;
  readonly paperMedian: number;
  readonly defaultTrimmed: number;
  readonly paperTrimmed: number;
  /** Median over paired cells of (default ARE − paper ARE): below 0 means default is better. */
  readonly medianDifference: number;
  /**
   * `default` or `paper` when the paired win share and the paired median difference agree and the
   * difference is at least 0.1 percentage point, else `tie`. Not by means: a mean can be decided by a handful of extrapolations that blow up.
   */
  readonly better: string;
  /** Share of the paired cells where default's ARE is lower (a tie counts half). */
  readonly defaultWins: number;
}

/**
 * Compares the two protocols per family on matching experiment cells with a usable ARE under both
 * (pass {@link aggregatedRows} so that "usable" means converged).
 */
export function compareProtocols(rows: readonly ResultRow[]): ProtocolComparison[] {
  // A cell's identity across protocols. Borrow cells all have k = 1 and differ only by their one
  // training model (or the target itself), so for them the model is part of the key.
  const key = (r: ResultRow) =>
    [
      r.experiment,
      r.family,
      r.k,
      r.fraction,
      r.m,
      r.heldOut,
      r.baseline,
      r.minTokens,
      r.experiment === "borrow" || r.experiment === "self-prediction" ? r.models : "",
    ].join("\u0000");
  const paper = new Map(
    rows
      .filter((r) => r.protocol === "paper" && finite(r) && r.baseline === null)
      .map((r) => [key(r), r]),
  );
  const pairs = group(
    rows.filter(
      (r) => r.protocol === "default" && finite(r) && r.baseline === null && paper.has(key(r)),
    ),
    (r) => r.family,
  );
  return [...pairs]
    .map(([family, rs]) => {
      const d = rs.map((r) => r.are);
      const p = rs.map((r) => (paper.get(key(r)) as ResultRow).are);
      const diff = d.map((v, i) => v - p[i]);
      const wins = diff.reduce((s, x) => s + (x < 0 ? 1 : x === 0 ? 0.5 : 0), 0) / diff.length;
      const medianDifference = median(diff);
      return {
        family,
        cells: rs.length,
        defaultAre: mean(d),
        paperAre: mean(p),
        defaultMedian: median(d),
        paperMedian: median(p),
        defaultTrimmed: trimmedMean(d),
        paperTrimmed: trimmedMean(p),
        medianDifference,
        better:
          Math.abs(medianDifference) < TIE
            ? "tie"
            : wins > 0.5 && medianDifference < 0
              ? "default"
              : wins < 0.5 && medianDifference > 0
                ? "paper"
                : "tie",
        defaultWins: wins,
      };
    })
    .sort((a, b) => a.family.localeCompare(b.family));
}

/** Counts of rows by fit status (`converged`, `bound-hit`, …), keys sorted. */
export function statusCounts(rows: readonly ResultRow[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const s of [...new Set(rows.map((r) => r.status))].sort())
    out[s] = rows.filter((r) => r.status === s).length;
  return out;
}

/** {@link robustStats} of the rows' finite AREs. */
export function areStats(rows: readonly ResultRow[]): RobustStats {
  return robustStats(rows.filter(finite).map((r) => r.are));
}

const BIN_ORDER = ["2", "3", "4", "5", "6", "7", "8+", "1-2x", "4x", "8x", "16x", "32x", "32+x"];

function byCell(a: AggregateCell, b: AggregateCell): number {
  return (
    a.protocol.localeCompare(b.protocol) ||
    BIN_ORDER.indexOf(a.bin) - BIN_ORDER.indexOf(b.bin) ||
    a.fraction - b.fraction
  );
}
