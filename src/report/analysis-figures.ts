import type { AnalysisSummary } from "../analysis/summary.js";
import type { ResultRow } from "../analysis/types.js";
import {
  aggregatePanel,
  familyGridPanel,
  familyNumberPanel,
  familyWindowPanel,
  type HeatPanel,
} from "./plots/heatmap.js";
import { plotSpec, type Spec } from "./plots/index.js";

/** A named figure of an analysis, e.g. `heatmap-OPT-default`. */
export interface NamedFigure {
  readonly name: string;
  readonly spec: Spec;
}

const AGGREGATE_BINS = ["8+", "7", "6", "5", "4", "3", "2"];
const SCALE_UP_BINS = ["32+x", "32x", "16x", "8x", "4x", "1-2x"];

/**
 * One family's figure in the layout of the paper's Fig. 1 (HITCHHIKER_SPEC §4): (a) windows of
 * consecutive models, (b) the main grid (#train models × p) with the cheapest configurations
 * starred, (c) number vs size at p = 1; panels whose experiment was not run are left out.
 */
export function familyHeatmap(
  rows: readonly ResultRow[],
  summary: Pick<AnalysisSummary, "cheapest">,
  family: string,
  protocol: string,
): Spec | null {
  const panels = [
    familyWindowPanel(rows, family, protocol),
    familyGridPanel(rows, family, protocol, summary.cheapest),
    familyNumberPanel(rows, family, protocol),
  ].filter((p): p is HeatPanel => p !== null);
  if (panels.length === 0) return null;
  const grid = rows.find((r) => r.family === family && r.experiment === "grid");
  return plotSpec("heatmap", {
    title: `${family}: ARE forecasting ${grid?.target ?? "the largest model"} (${protocol} protocol)`,
    subtitle: [
      "colour: 100·ARE on 0–35 (bright = high error); bold: under 10%; outlined: under 5%; white: the fit failed; ★τ: the cheapest configuration (training FLOPs) reaching τ% ARE; orange steps: the cells costing no more than each ★ lie left of them (solid 15%, dashed 10%, dotted 5%)",
    ],
    panels,
  });
}

/** The aggregated heatmaps: #train models bins (macro average) and scale-up bins, per protocol. */
export function aggregateHeatmap(
  summary: Pick<AnalysisSummary, "aggregate" | "scaleUp">,
  protocol: string,
): Spec | null {
  const panels = [
    aggregatePanel(
      summary.aggregate,
      protocol,
      "#train models × fraction (mean over families)",
      "#train models",
      AGGREGATE_BINS,
    ),
    aggregatePanel(
      summary.scaleUp,
      protocol,
      "scale-up N_target/N_largest × fraction (mean over fits)",
      "scale-up factor",
      SCALE_UP_BINS,
    ),
  ].filter((p): p is HeatPanel => p !== null);
  if (panels.length === 0) return null;
  return plotSpec("heatmap", {
    title: `ARE over all families (${protocol} protocol)`,
    subtitle: [
      "families named interv, 5sh or v0 left out (HITCHHIKER_SPEC §3.3); colour: 100·ARE on 0–35 (bright = high error); bold: under 10%; outlined: under 5%",
    ],
    panels,
  });
}

/**
 * Every figure of an analysis: the aggregated heatmaps and one per family, per protocol, named
 * `heatmap-all-PROTOCOL` and `heatmap-FAMILY-PROTOCOL`.
 */
export function analysisFigures(
  rows: readonly ResultRow[],
  summary: AnalysisSummary,
): NamedFigure[] {
  const out: NamedFigure[] = [];
  const protocols = [...new Set(rows.map((r) => r.protocol))].sort();
  for (const p of protocols) {
    const all = aggregateHeatmap(summary, p);
    if (all) out.push({ name: `heatmap-all-${p}`, spec: all });
    const families = [...new Set(rows.filter((r) => r.protocol === p).map((r) => r.family))].sort();
    for (const f of families) {
      const spec = familyHeatmap(rows, summary, f, p);
      if (spec) out.push({ name: `heatmap-${fileSafe(f)}-${p}`, spec });
    }
  }
  return out;
}

/** A family name as a file name: letters, digits, dot, dash and underscore. */
export function fileSafe(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]+/g, "_");
}
