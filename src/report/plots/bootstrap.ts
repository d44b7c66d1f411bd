import type { FitResult } from "../../fit/types.js";
import { CONFIG, figure, logExtent, logTicks, num, r6, type Spec } from "./axes.js";
import { fitTitle } from "./fit.js";

/** What the `bootstrap` figure draws. */
export interface BootstrapPlotInput {
  readonly fit: FitResult;
  /** Parameter vectors of the resamples, in the law's order. */
  readonly replicates: readonly Float64Array[];
  readonly intervals?: Readonly<Record<string, readonly [number, number]>>;
  readonly level?: number;
}

/**
 * Pairwise scatter of the fitted parameters across bootstrap resamples, lower triangle, with the
 * full-data fit marked: a thin diagonal cloud (A against alpha) is the trade-off the
 * identifiability warning names. Parameters searched in logs (A, B) get log axes. Fixed
 * parameters are left out: they do not move.
 */
export function bootstrapSpec(input: BootstrapPlotInput): Spec {
  const f = input.fit;
  const free = f.law.params
    .map((p, j) => ({ p, j }))
    .filter(({ p }) => !(p.name in f.choices.fixed));
  const rows = input.replicates.map((t) =>
    Object.fromEntries(free.map(({ p, j }) => [p.name, r6(t[j])])),
  );
  const best = Object.fromEntries(free.map(({ p, j }) => [p.name, r6(f.theta[j])]));
  const channel = (k: number, axis: boolean): Spec => {
    const { p } = free[k];
    const values = rows.map((r) => r[p.name] as number).concat(best[p.name] as number);
    const logScale = p.scale === "log" && values.every((v) => v > 0);
    const shown = axis ? {} : { labels: false, ticks: false, title: null };
    if (logScale) {
      const domain = logExtent(values, 0.02);
      return {
        field: p.name,
        type: "quantitative",
        title: axis ? p.name : null,
        scale: { type: "log", domain, nice: false },
        axis: { values: logTicks(domain[0], domain[1]), format: "~g", ...shown },
      };
    }
    return {
      field: p.name,
      type: "quantitative",
      title: axis ? p.name : null,
      scale: { zero: false },
      axis: { tickCount: 4, format: "~g", ...shown },
    };
  };
  const size = free.length <= 3 ? 200 : 130;
  const grid: Spec[] = [];
  // One free parameter has no pairs: its histogram across resamples instead.
  if (free.length === 1) {
    grid.push({
      width: 320,
      height: 200,
      data: { name: "replicates" },
      mark: { type: "bar", color: "#4c78a8" },
      encoding: {
        x: {
          field: free[0].p.name,
          type: "quantitative",
          bin: { maxbins: 30 },
          title: free[0].p.name,
        },
        y: { aggregate: "count", type: "quantitative", title: "resamples" },
      },
    });
  }
  for (let r = 1; r < free.length; r++) {
    const cells: Spec[] = [];
    for (let c = 0; c < r; c++) {
      cells.push({
        width: size,
        height: size,
        layer: [
          {
            data: { name: "replicates" },
            mark: { type: "point", filled: true, size: 10, opacity: 0.45, color: "#4c78a8" },
            encoding: { x: channel(c, r === free.length - 1), y: channel(r, c === 0) },
          },
          {
            data: { values: [best] },
            mark: { type: "point", shape: "diamond", filled: true, size: 70, color: "#d62728" },
            encoding: {
              x: { field: free[c].p.name, type: "quantitative" },
              y: { field: free[r].p.name, type: "quantitative" },
            },
          },
        ],
      });
    }
    grid.push({ hconcat: cells });
  }
  const level = input.level ?? 0.95;
  const iv = input.intervals ?? {};
  const intervals = free
    .filter(({ p }) => iv[p.name])
    .map(({ p }) => `${p.name} [${num(iv[p.name][0], 3)}, ${num(iv[p.name][1], 3)}]`)
    .join("; ");
  const subtitle = [
    `${rows.length} resamples of whole runs; red: the fit on all data`,
    ...(intervals ? [`${Math.round(100 * level)}% intervals: ${intervals}`] : []),
    ...f.warnings.map((w) => `warning: ${w}`),
  ];
  return figure(`Bootstrap: ${fitTitle(f)}`, subtitle, {
    datasets: { replicates: rows },
    vconcat: grid,
    spacing: 8,
    // Fixed axis extents line the panels of a column up whatever their tick labels' widths.
    config: {
      ...CONFIG,
      axisY: { minExtent: 44, maxExtent: 44 },
      axisX: { minExtent: 30, maxExtent: 30 },
    },
  });
}
