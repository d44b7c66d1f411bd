import type { CoverageCell, CoverageSummary } from "../analysis/coverage.js";

/** Columns of the per-cell coverage table (CSV). */
export const COVERAGE_COLUMNS = [
  "family",
  "target",
  "k",
  "scaleUp",
  "status",
  "predicted",
  "actual",
  "confidenceLo",
  "confidenceHi",
  "predictionLo",
  "predictionHi",
  "backtestLo",
  "backtestHi",
  "inConfidence",
  "inPrediction",
  "inBacktest",
  "runSd",
  "checkpointSd",
  "rho",
  "extrapolationSd",
  "noiseSource",
] as const;

/** A coverage cell as one flat CSV row. */
export function coverageRow(c: CoverageCell): Record<(typeof COVERAGE_COLUMNS)[number], unknown> {
  return {
    family: c.family,
    target: c.target,
    k: c.k,
    scaleUp: c.scaleUp,
    status: c.status,
    predicted: c.predicted,
    actual: c.actual,
    confidenceLo: c.confidence?.[0] ?? null,
    confidenceHi: c.confidence?.[1] ?? null,
    predictionLo: c.prediction?.[0] ?? null,
    predictionHi: c.prediction?.[1] ?? null,
    backtestLo: c.backtest?.[0] ?? null,
    backtestHi: c.backtest?.[1] ?? null,
    inConfidence: c.inConfidence,
    inPrediction: c.inPrediction,
    inBacktest: c.inBacktest,
    runSd: c.noise?.runSd ?? null,
    checkpointSd: c.noise?.checkpointSd ?? null,
    rho: c.noise?.rho ?? null,
    extrapolationSd: c.noise?.extrapolationSd ?? null,
    noiseSource: c.noise?.source ?? null,
  };
}

/** The coverage table: per group, each interval's coverage and median relative half-width. */
export function coverageText(summary: readonly CoverageSummary[], level: number): string {
  const pct = (v: number) => (Number.isFinite(v) ? `${(100 * v).toFixed(1)}%` : "n/a");
  const width = Math.max(5, ...summary.map((s) => s.group.length));
  const pair = (c: number, w: number) => `${pct(c).padStart(7)} ${pct(w).padStart(7)}`;
  const head = `${"".padEnd(width)}         confidence       prediction    + backtest\n${"group".padEnd(width)}  cells  covers   width  covers   width  covers   width`;
  const lines = summary.map(
    (s) =>
      `${s.group.padEnd(width)}  ${String(s.scored).padStart(5)} ${pair(s.confidenceCoverage, s.confidenceMedianHalfWidth)} ${pair(s.predictionCoverage, s.predictionMedianHalfWidth)} ${pair(s.backtestCoverage, s.backtestMedianHalfWidth)}`,
  );
  return `Coverage of ${Math.round(level * 100)}% intervals of the target's final loss (width: median half-width over the prediction)\n${head}\n${lines.join("\n")}\n`;
}
