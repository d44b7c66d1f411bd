import type { FitResult } from "../../fit/types.js";
import { extent } from "../../math/stats.js";
import {
  countLabel,
  distinctSizes,
  figure,
  logChannel,
  logExtent,
  lossChannel,
  MAX_SIZE_CATEGORIES,
  metricTitle,
  num,
  r6,
  type Spec,
  sizeColor,
  TITLES,
} from "./axes.js";
import {
  bandAt,
  curveAlongTokens,
  curveSizes,
  drawnNote,
  paramsLine,
  pointRows,
  pointsLayer,
  type Row,
  type RunPoints,
  TARGET_MARK,
} from "./points.js";

/** A model to forecast, drawn as a dashed curve to its point with a bootstrap band. */
export interface PlotTarget {
  readonly params: number;
  readonly tokens: number;
  /** Observed loss of a held-out target, drawn as crosses. */
  readonly actual?: { readonly tokens: ArrayLike<number>; readonly loss: ArrayLike<number> };
}

/** What the `fit` figure draws. */
export interface FitPlotInput {
  readonly data: RunPoints;
  readonly fit: FitResult;
  /** Bootstrap replicates' parameter vectors (the law's order), for the target's band. */
  readonly replicates?: readonly Float64Array[];
  /** Interval level of the band; defaults to 0.95. */
  readonly level?: number;
  readonly target?: PlotTarget;
  /** Where the data came from, for the subtitle. */
  readonly source?: string;
  /** The metric fitted, for the y-axis title; defaults to loss. */
  readonly metric?: string;
}

/** Title line naming what was fitted: law, objective, status. */
export function fitTitle(f: FitResult): string {
  return `${f.law.name} law fitted by ${f.objective.name}: ${f.status}`;
}

/**
 * Loss against tokens for every run, coloured by size, with the fitted curve of each size (solid,
 * over the tokens its runs cover). With a target: its curve from the data's first tokens to the
 * target (dashed: all of it is extrapolated in N), the bootstrap band, and the target marked.
 */
export function fitSpec(input: FitPlotInput): Spec {
  const { data, fit: f, target } = input;
  const level = input.level ?? 0.95;
  const drawn = pointRows(data);
  const points = drawn.rows;
  const curves: Row[] = [];
  const sizes = curveSizes(data);
  for (const s of sizes) {
    const c = curveAlongTokens(f, s.params, s.lo, s.hi);
    c.tokens.forEach((t, i) => {
      curves.push({
        params: r6(s.params),
        size: countLabel(s.params),
        tokens: r6(t),
        loss: r6(c.loss[i]),
      });
    });
  }
  const tokens = points.map((p) => p.tokens as number);
  const layers: Spec[] = [
    pointsLayer(points, data.params, { field: "tokens", title: "D", format: ".3~s" }),
    {
      data: { values: curves.filter((c) => c.loss !== null) },
      mark: { type: "line", strokeWidth: 1.5, clip: true },
      encoding: {
        color: sizeColor(data.params),
        detail: { field: "params" },
      },
    },
  ];
  const subtitle = [`${f.law.formula}; ${paramsLine(f)}`, ...drawnNote(drawn)];
  // With many sizes the curves are drawn at a few of them: say which.
  if (distinctSizes(data.params).length > MAX_SIZE_CATEGORIES)
    subtitle.push(`curves: the law at N = ${sizes.map((q) => countLabel(q.params)).join(", ")}`);
  const lossValues = [...points.map((p) => p.loss as number)];
  if (target) {
    const lo = Math.min(extent(tokens)[0], target.tokens);
    const c = curveAlongTokens(f, target.params, lo, target.tokens, 60);
    const reps = input.replicates ?? [];
    const band = reps.length
      ? bandAt(
          f,
          reps,
          {
            params: new Float64Array(c.tokens.length).fill(target.params),
            tokens: c.tokens,
            flops: c.flops,
          },
          level,
        )
      : [];
    const rows: Row[] = Array.from(c.tokens, (t, i) => ({
      tokens: r6(t),
      loss: r6(c.loss[i]),
      lo: band.length ? r6(band[i].lo) : null,
      hi: band.length ? r6(band[i].hi) : null,
    }));
    const end = c.loss[c.loss.length - 1];
    const endBand = band.length ? band[band.length - 1] : null;
    lossValues.push(end, ...(endBand ? [endBand.lo, endBand.hi] : []));
    if (band.length) {
      layers.push({
        data: { values: rows.filter((r) => r.lo !== null) },
        mark: { type: "area", opacity: 0.18, color: "#d62728", clip: true },
        encoding: { y: { field: "lo", type: "quantitative" }, y2: { field: "hi" } },
      });
    }
    layers.push({
      data: { values: rows.filter((r) => r.loss !== null) },
      mark: { type: "line", strokeDash: [6, 4], color: "#d62728", strokeWidth: 2, clip: true },
    });
    if (target.actual) {
      const a = target.actual;
      const actual = Array.from(a.tokens, (t, i) => ({ tokens: r6(t), loss: r6(a.loss[i]) }));
      lossValues.push(...actual.map((r) => r.loss as number));
      tokens.push(...actual.map((r) => r.tokens as number));
      layers.push({
        data: { values: actual },
        mark: { type: "point", shape: "cross", color: "#222", size: 30, filled: true },
      });
    }
    const label = `target N=${countLabel(target.params)}, D=${countLabel(target.tokens)}: predicted L = ${num(end)}${endBand ? ` [${num(endBand.lo)}, ${num(endBand.hi)}]` : ""}`;
    layers.push({
      data: { values: [{ tokens: r6(target.tokens), loss: r6(end), label: "target" }] },
      layer: TARGET_MARK,
    });
    subtitle.push(
      label,
      `dashed: the ${countLabel(target.params)} target, extrapolated${target.actual ? " (crosses: its actual loss, held out of the fit)" : ""}${band.length ? `; band: ${Math.round(100 * level)}% bootstrap interval over ${reps.length} resamples of whole runs` : ""}`,
    );
    tokens.push(target.tokens);
  }
  const xDomain = logExtent(tokens);
  return figure(fitTitle(f), subtitle, {
    width: 520,
    height: 340,
    encoding: {
      x: logChannel("tokens", TITLES.tokens, xDomain),
      y: lossChannel("loss", metricTitle(input.metric), paddedRange(lossValues)),
    },
    layer: layers,
  });
}

/** [min, max] of the finite values widened by 4% of the range on each side. */
export function paddedRange(values: readonly number[]): [number, number] {
  const v = values.filter(Number.isFinite);
  if (v.length === 0) return [0, 1];
  const [lo, hi] = extent(v);
  const pad = (hi - lo || Math.abs(hi) || 1) * 0.04;
  return [r6(lo - pad) as number, r6(hi + pad) as number];
}
