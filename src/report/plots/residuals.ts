import { predictLoss } from "../../fit/fit.js";
import type { FitResult } from "../../fit/types.js";
import { extent } from "../../math/stats.js";
import {
  CONFIG,
  figure,
  logChannel,
  logExtent,
  pct,
  r6,
  type Spec,
  sizeColor,
  TITLES,
} from "./axes.js";
import { fitTitle } from "./fit.js";
import { drawnNote, pointRows, type RunPoints } from "./points.js";

/** What the `residuals` figure draws. */
export interface ResidualsPlotInput {
  readonly data: RunPoints;
  readonly fit: FitResult;
  readonly source?: string;
}

/**
 * Relative residuals (L̂ − L)/L of the fit against tokens and against N, side by side, coloured by
 * size, with the mean and max |residual| in the subtitle. Positive: the law over-predicts.
 */
export function residualsSpec(input: ResidualsPlotInput): Spec {
  const { data, fit: f } = input;
  const pred = predictLoss(f, data);
  const residual = Float64Array.from(pred, (p, i) => (p - data.loss[i]) / data.loss[i]);
  // Statistics over every row; only the drawing is thinned (keeping the largest residuals).
  const drawn = pointRows(data, (i) => ({ residual: r6(residual[i]) }), [residual]);
  const rows = drawn.rows;
  const abs: number[] = [];
  for (let i = 0; i < residual.length; i++) {
    const ok = Number.isFinite(data.loss[i]) && data.tokens[i] > 0 && data.params[i] > 0;
    const v = ok ? r6(residual[i]) : null;
    if (v !== null) abs.push(Math.abs(v));
  }
  const mean = abs.reduce((s, v) => s + v, 0) / Math.max(abs.length, 1);
  const max = abs.length ? extent(abs)[1] : Number.NaN;
  const color = sizeColor(data.params);
  const y = {
    field: "residual",
    type: "quantitative",
    title: "relative residual (L̂ − L)/L",
    // Two decimals: residuals under 1% would otherwise show repeated tick labels (+0.3%, +0.3%).
    axis: { format: "+.2~%" },
  };
  const panel = (field: "tokens" | "params", title: string): Spec => ({
    width: 340,
    height: 260,
    layer: [
      {
        mark: { type: "rule", color: "#888" },
        data: { values: [{ zero: 0 }] },
        encoding: { y: { field: "zero", type: "quantitative" } },
      },
      {
        // fillOpacity, not opacity: the same look for an unstroked mark, but resvg draws an
        // opacity on a layer of its own per point.
        mark: { type: "point", filled: true, size: 22, fillOpacity: 0.75 },
        encoding: {
          x: logChannel(field, title, logExtent(rows.map((r) => r[field] as number))),
          y,
          color,
          tooltip: [
            { field: "size", title: "N" },
            { field: "tokens", title: "D", format: ".3~s" },
            { field: "residual", title: "residual", format: "+.2%" },
          ],
        },
      },
    ],
  });
  return figure(
    `Residuals: ${fitTitle(f)}`,
    [
      `mean |residual| ${pct(mean)}, max ${pct(max)} over ${drawn.total.toLocaleString("en-US")} rows${input.source ? ` of ${input.source}` : ""}; above 0: the law over-predicts`,
      ...drawnNote(drawn),
    ],
    {
      data: { values: rows },
      hconcat: [panel("tokens", TITLES.tokens), panel("params", TITLES.params)],
      resolve: { scale: { y: "shared", color: "shared" } },
      // Vega gives every point a stroke width of 2 even unstroked: 20,000 useless attributes.
      config: { ...CONFIG, style: { point: { strokeWidth: null } } },
    },
  );
}
