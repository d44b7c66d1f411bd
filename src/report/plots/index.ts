// Figures: pure functions from data and results to Vega-Lite specs (one file per kind).

import type { Spec } from "./axes.js";
import { type BootstrapPlotInput, bootstrapSpec } from "./bootstrap.js";
import { type ComputePlotInput, computeSpec } from "./compute.js";
import { type ContoursPlotInput, contoursSpec } from "./contours.js";
import { type FitPlotInput, fitSpec } from "./fit.js";
import { type ForecastPlotInput, forecastSpec } from "./forecast.js";
import { type HeatmapPlotInput, heatmapSpec } from "./heatmap.js";
import { type IsoFlopPlotInput, isoflopSpec } from "./isoflop.js";
import { type ResidualsPlotInput, residualsSpec } from "./residuals.js";

export type { Spec } from "./axes.js";
export { COUNT_LABEL, countLabel, logTicks } from "./axes.js";

/** What each figure kind draws from. */
export interface PlotInputs {
  fit: FitPlotInput;
  residuals: ResidualsPlotInput;
  compute: ComputePlotInput;
  isoflop: IsoFlopPlotInput;
  contours: ContoursPlotInput;
  forecast: ForecastPlotInput;
  heatmap: HeatmapPlotInput;
  bootstrap: BootstrapPlotInput;
}

/** The figure kinds, in the order the docs list them. */
export const PLOT_KINDS = [
  "fit",
  "residuals",
  "compute",
  "isoflop",
  "contours",
  "forecast",
  "heatmap",
  "bootstrap",
] as const satisfies readonly (keyof PlotInputs)[];
export type PlotKind = (typeof PLOT_KINDS)[number];

const BUILDERS: { [K in PlotKind]: (input: PlotInputs[K]) => Spec } = {
  fit: fitSpec,
  residuals: residualsSpec,
  compute: computeSpec,
  isoflop: isoflopSpec,
  contours: contoursSpec,
  forecast: forecastSpec,
  heatmap: heatmapSpec,
  bootstrap: bootstrapSpec,
};

/**
 * The Vega-Lite spec of one figure: the same JSON is rendered to SVG/PNG in Node
 * ({@link renderSvg}, {@link renderPng}) and shown by vega-embed in a browser.
 * @throws TypeError for an unknown kind
 * @example plotSpec("fit", { data, fit: result, target: { params: 7e10, tokens: 1.4e12 } })
 */
export function plotSpec<K extends PlotKind>(kind: K, input: PlotInputs[K]): Spec {
  const build = BUILDERS[kind] as ((input: PlotInputs[K]) => Spec) | undefined;
  if (!build) throw new TypeError(`unknown figure "${kind}" (expected ${PLOT_KINDS.join(" | ")})`);
  return build(input);
}
