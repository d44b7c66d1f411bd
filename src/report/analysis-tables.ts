import type { AnalysisSummary } from "../analysis/summary.js";

/**
 * A tidy CSV (RFC 4180): one header line, then one line per row; numbers at full precision, empty
 * cells for null and non-finite values, quotes only where a cell needs them.
 */
export function toCsv<T extends object>(rows: readonly T[], columns: readonly (keyof T)[]): string {
  const cell = (v: unknown): string => {
    if (v === null || v === undefined) return "";
    if (typeof v === "number") return Number.isFinite(v) ? String(v) : "";
    const s = String(v);
    return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const lines = [columns.map((c) => cell(String(c))).join(",")];
  for (const r of rows) lines.push(columns.map((c) => cell(r[c])).join(","));
  return `${lines.join("\n")}\n`;
}

const pct = (v: number) => (Number.isFinite(v) ? `${(100 * v).toFixed(1)}%` : "  - ");
/** Shares near 100% (explained variance) need more digits to differ. */
const pct3 = (v: number) => (Number.isFinite(v) ? `${(100 * v).toFixed(3)}%` : "  - ");

/**
 * The aggregated heatmap as text: rows are bins, columns are fractions p, cells are one statistic of
 * ARE (the median by default; the mean and trimmed mean are in the CSV).
 * @example heatmapText(cells, "default", "ARE") // "bin   10%    20%  …"
 */
export function heatmapText(
  cells: AnalysisSummary["aggregate"],
  protocol: string,
  title: string,
  stat: "median" | "are" | "trimmedMean" = "median",
): string {
  const mine = cells.filter((c) => c.protocol === protocol);
  if (mine.length === 0) return "";
  const fractions = [...new Set(mine.map((c) => c.fraction))].sort((a, b) => a - b);
  const bins = [...new Set(mine.map((c) => c.bin))];
  const head = `  ${"bin".padEnd(6)}${fractions.map((f) => `${Math.round(100 * f)}%`.padStart(7)).join("")}`;
  const lines = bins.map(
    (b) =>
      `  ${b.padEnd(6)}${fractions.map((f) => pct(mine.find((c) => c.bin === b && c.fraction === f)?.[stat] ?? Number.NaN).padStart(7)).join("")}`,
  );
  return `${title} (${protocol})\n${head}\n${lines.join("\n")}\n`;
}

/**
 * End-of-training (Fig. 4) as text: one line per family (datablations merged into `-all`), ARE with
 * all of the family's smaller models, by window start m; m decreases to the right as the paper's
 * reversed x-axis does (a longer window).
 */
export function endOfTrainingText(
  cells: AnalysisSummary["endOfTraining"],
  protocol: string,
): string {
  const mine = cells.filter((c) => c.protocol === protocol);
  if (mine.length === 0) return "";
  const ms = [...new Set(mine.map((c) => c.m))].sort((a, b) => b - a);
  const families = [...new Set(mine.map((c) => c.family))];
  const lines = families.map((f) => {
    const own = mine.filter((c) => c.family === f);
    const top = Math.max(...own.map((c) => c.models));
    const at = (m: number) => own.find((c) => c.models === top && c.m === m)?.are ?? Number.NaN;
    return `  ${`${f} (${top})`.padEnd(26)}${ms.map((m) => pct(at(m)).padStart(7)).join("")}`;
  });
  const head = `  ${"family (#models)".padEnd(26)}${ms.map((m) => `m=${m}`.padStart(7)).join("")}`;
  return `end of training, window m·0.7T ≤ D < 0.7T, all smaller models (${protocol})\n${head}\n${lines.join("\n")}\n`;
}

/** A short human summary of an analysis run: counts, heatmaps, protocols, PCA, baselines. */
export function analysisText(
  s: AnalysisSummary,
  meta: {
    seconds: number;
    fitsPerSecond: number;
    out: string;
    resumed: number;
    laws?: number;
    fits?: number;
  },
): string {
  const out: string[] = [];
  const made =
    meta.fits !== undefined && meta.laws !== undefined
      ? `${meta.fits} fits for ${meta.laws} laws, `
      : "";
  out.push(
    `analysis written to ${meta.out} (${meta.seconds.toFixed(1)} s, ${made}${meta.fitsPerSecond.toFixed(0)} fits/s${meta.resumed ? `, ${meta.resumed} chunks resumed from disk` : ""})`,
  );
  const trim = `${Math.round(100 * s.aggregation.trimEachSide)}%`;
  out.push(
    "",
    s.aggregation.statuses === "converged"
      ? `aggregates use converged fits only (\`includeFailed\` adds the others); trimmed mean drops ${trim} at each end`
      : `aggregates use every finite ARE, unconverged fits included (\`includeFailed\`); trimmed mean drops ${trim} at each end`,
    "experiment        protocol   cells  fitted converged excluded   median     mean  trimmed",
  );
  for (const c of s.counts) {
    out.push(
      `  ${c.experiment.padEnd(16)}${c.protocol.padEnd(9)}${String(c.cells).padStart(6)}${String(c.fitted).padStart(8)}${String(c.statuses.converged ?? 0).padStart(10)}${String(c.excluded).padStart(9)}  ${pct(c.are.median).padStart(7)}  ${pct(c.are.mean).padStart(7)}  ${pct(c.are.trimmedMean).padStart(7)}`,
    );
  }
  const failed = new Map<string, number>();
  for (const c of s.counts)
    for (const [st, n] of Object.entries(c.statuses))
      if (!["converged", "baseline"].includes(st)) failed.set(st, (failed.get(st) ?? 0) + n);
  if (failed.size)
    out.push(
      `  not converged or not fitted: ${[...failed].map(([st, n]) => `${n} ${st}`).join(", ")} (per experiment in summary.json counts[].statuses)`,
    );
  for (const p of new Set(s.counts.map((c) => c.protocol))) {
    const grid = s.counts.find((c) => c.experiment === "grid" && c.protocol === p);
    if (grid) out.push("", `main grid (${p}): ${grid.fitted} laws fitted`);
    const h = heatmapText(
      s.aggregate,
      p,
      "median ARE by #train models × fraction, over family means (mean and trimmed mean in aggregate.csv)",
    );
    if (h) out.push(h.trimEnd());
    const u = heatmapText(
      s.scaleUp,
      p,
      "median ARE by scale-up factor × fraction (mean and trimmed mean in scale-up.csv)",
    );
    if (u) out.push(u.trimEnd());
    const sp = heatmapText(
      s.selfPrediction,
      p,
      "self-prediction: each run from its own first p, median ARE on its last 30% (§3.4j)",
    );
    if (sp) out.push(sp.trimEnd());
    const e = endOfTrainingText(s.endOfTraining, p);
    if (e) out.push(e.trimEnd());
  }
  if (s.protocols.length) {
    out.push(
      "",
      "protocol comparison on paired cells (decided by win share and median paired difference):",
    );
    for (const c of s.protocols)
      out.push(
        `  ${c.family.padEnd(22)} default wins ${pct(c.defaultWins).padStart(6)} of ${String(c.cells).padStart(4)}, median diff ${pct(c.medianDifference).padStart(6)}; median ${pct(c.defaultMedian)} vs ${pct(c.paperMedian)}, mean ${pct(c.defaultAre)} vs ${pct(c.paperAre)}  better: ${c.better}`,
      );
    const wins = (b: string) => s.protocols.filter((c) => c.better === b).length;
    out.push(
      `  default better in ${wins("default")}, paper in ${wins("paper")}, tie in ${wins("tie")} of ${s.protocols.length} families`,
    );
  }
  for (const p of s.params) {
    out.push(
      "",
      `parameters (${p.protocol}): PCA over ${p.families.length} families' converged fits with ≥ 3 sizes: 3 components explain ${pct3(p.explained3)} (paper: ${pct3(p.paperExplained3)}; over every fit: ${pct3(s.paramsAllFits.find((q) => q.protocol === p.protocol)?.explained3 ?? Number.NaN)})` +
        (p.excluded.length
          ? `; left out ${p.excluded.length} (E = 0 or failed): ${p.excluded.join(", ")}`
          : ""),
      `  alpha = ${p.alphaOnA.intercept.toFixed(4)} + ${p.alphaOnA.slope.toFixed(4)}·ln A (r² ${p.alphaOnA.r2.toFixed(2)}); paper ${p.paperRelations.alphaOnA.intercept} + ${p.paperRelations.alphaOnA.slope}·a`,
      `  beta  = ${p.betaOnB.intercept.toFixed(4)} + ${p.betaOnB.slope.toFixed(4)}·ln B (r² ${p.betaOnB.r2.toFixed(2)}); paper ${p.paperRelations.betaOnB.intercept} + ${p.paperRelations.betaOnB.slope}·b`,
    );
  }
  if (s.baselines.length) {
    out.push("", "no-fit baselines (§5.2):");
    for (const b of s.baselines) {
      out.push(
        `  ${b.protocol.padEnd(8)} ${b.baseline.padEnd(12)} median ARE ${pct(b.medianAre)} (mean ${pct(b.meanAre)}), ${pct(b.below10)} of cells below 10%, ${pct(b.below5)} below 5% (grid fits: median ${pct(b.gridMedianAre)}, mean ${pct(b.gridMeanAre)})`,
      );
    }
  }
  if (s.badModel.length) {
    const same = s.badModel.filter((b) => b.same).length;
    out.push(
      "",
      `bad-model detection (App. D): the hardest-to-predict model was also the one whose removal hurt the target most in ${same} of ${s.badModel.length} family fits (paper: 58%)`,
    );
  }
  return `${out.join("\n")}\n`;
}
