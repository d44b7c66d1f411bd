import type { Rollout } from "../estimate/rollout.js";
import { fmt } from "./fit.js";

/** The rollout as text: one line per forecast, then the by-distance summary. */
export function rolloutText(r: Rollout, level = 0.95): string {
  const pct = (v: number) => (Number.isFinite(v) ? `${(100 * v).toFixed(2)}%` : "n/a");
  const yes = (v: boolean | null) => (v === null ? "" : v ? "yes" : "no");
  const w = Math.max(6, ...r.cells.map((c) => c.target.length));
  const t = Math.max(13, ...r.cells.map((c) => c.trainLargest.length));
  const L = Math.round(level * 100);
  const lines = [
    `rollout  family ${r.family}, metric ${r.metric}: fit on the k smallest models, forecast every larger one`,
    "",
    `${"k".padStart(3)}  ${"largest train".padEnd(t)}  ${"target".padEnd(w)}  ${"scale-up".padStart(9)}  ${"ARE".padStart(7)}  ${"bias".padStart(8)}  ${`in ${L}% CI`.padStart(9)}  ${`in ${L}% PI`.padStart(9)}  status`,
    ...r.cells.map(
      (c) =>
        `${String(c.k).padStart(3)}  ${c.trainLargest.padEnd(t)}  ${c.target.padEnd(w)}  ${`×${fmt(c.scaleUp, 3)}`.padStart(9)}  ${pct(c.are).padStart(7)}  ${(Number.isFinite(c.bias) ? `${c.bias >= 0 ? "+" : ""}${(100 * c.bias).toFixed(2)}%` : "n/a").padStart(8)}  ${yes(c.inConfidence).padStart(9)}  ${yes(c.inPrediction).padStart(9)}  ${c.status}`,
    ),
    "",
    "by extrapolation distance (log10 scale-up); bias > 0 over-predicts the loss",
    `${"distance".padEnd(10)}  ${"cells".padStart(5)}  ${"mean ARE".padStart(8)}  ${"mean bias".padStart(9)}  ${"CI covers".padStart(9)}  ${"PI covers".padStart(9)}`,
    ...r.bins.map(
      (b) =>
        `${`${b.from}–${b.to}`.padEnd(10)}  ${String(b.cells).padStart(5)}  ${pct(b.meanAre).padStart(8)}  ${`${b.meanBias >= 0 ? "+" : ""}${pct(b.meanBias)}`.padStart(9)}  ${pct(b.confidenceCoverage).padStart(9)}  ${pct(b.predictionCoverage).padStart(9)}`,
    ),
  ];
  return `${lines.join("\n")}\n`;
}
