import { predictLoss } from "../../fit/fit.js";
import type { FitResult } from "../../fit/types.js";
import { percentileInterval } from "../../math/percentile.js";
import { logSpace } from "../../plan/contours.js";
import { countLabel, distinctSizes, MAX_SIZE_CATEGORIES, r6, sizeColor } from "./axes.js";

/** The target's mark: a red diamond labelled by the row's `label` (layers over the row's data). */
export const TARGET_MARK: readonly Record<string, unknown>[] = [
  { mark: { type: "point", shape: "diamond", size: 110, filled: true, color: "#d62728" } },
  {
    mark: {
      type: "text",
      align: "center",
      dy: -16,
      fontSize: 11,
      color: "#d62728",
      fontWeight: "bold",
    },
    encoding: { text: { field: "label" } },
  },
];

/** Observations a figure draws: one entry per row (a checkpoint of a run). */
export interface RunPoints {
  readonly params: ArrayLike<number>;
  readonly tokens: ArrayLike<number>;
  readonly flops: ArrayLike<number>;
  readonly loss: ArrayLike<number>;
}

/** A fitted law: what a curve needs. */
export type FittedLaw = Pick<FitResult, "law" | "theta">;

/** One row of a figure's inline data. */
export type Row = Record<string, number | string | null>;

/**
 * Most observations a figure draws. A sweep logged every few hundred steps has millions of
 * checkpoints: drawn one by one they make a report of tens of megabytes that a browser cannot open,
 * and beyond a few thousand points a scatter shows nothing more.
 */
export const MAX_DRAWN = 5000;

/** The observations a figure draws, and how many there were. */
export interface Drawn {
  readonly rows: Row[];
  /** Usable observations before thinning (rows.length when nothing was thinned). */
  readonly total: number;
}

/**
 * Rows of observations with their size label, rounded to 6 digits; non-finite rows dropped. Beyond
 * `max` usable rows they are thinned by {@link drawnIndex}, keeping the extremes of `extremes` too.
 */
export function pointRows(
  d: RunPoints,
  extra?: (i: number) => Row,
  extremes: readonly ArrayLike<number>[] = [],
  max = MAX_DRAWN,
): Drawn {
  const usable: number[] = [];
  for (let i = 0; i < d.loss.length; i++) {
    if (Number.isFinite(d.loss[i]) && d.tokens[i] > 0 && d.params[i] > 0) usable.push(i);
  }
  const pick = drawnIndex(usable, d.params, [d.tokens, d.flops, d.loss, ...extremes], max);
  const out: Row[] = [];
  for (const i of pick) {
    out.push({
      params: r6(d.params[i]),
      tokens: r6(d.tokens[i]),
      flops: r6(d.flops[i]),
      loss: r6(d.loss[i]),
      size: countLabel(Number(d.params[i].toPrecision(3))),
      ...(extra ? extra(i) : {}),
    });
  }
  return { rows: out, total: usable.length };
}

/**
 * Which of the rows `usable` (indices, in the log's order) to draw: all of them up to `max`; beyond,
 * evenly spaced picks within each model size (the figures' colour), first and last kept, so every
 * size keeps its curve's shape; sizes with few rows keep them all and the rest share what is left.
 * The rows holding the smallest and largest value of each array in `extremes` are kept as well, so
 * the axes span the same range as with every row. Deterministic: the same rows give the same picks.
 */
export function drawnIndex(
  usable: readonly number[],
  params: ArrayLike<number>,
  extremes: readonly ArrayLike<number>[],
  max: number,
): number[] {
  if (usable.length <= max) return [...usable];
  const groups = new Map<string, number[]>();
  const keys = new Map<number, string>();
  for (const i of usable) {
    const p = params[i];
    let key = keys.get(p);
    if (key === undefined) {
      key = p.toPrecision(3);
      keys.set(p, key);
    }
    const g = groups.get(key);
    if (g) g.push(i);
    else groups.set(key, [i]);
  }
  const chosen = new Set<number>();
  // More sizes than points to draw: spacing within sizes would favour some; space over all rows.
  const parts = groups.size > max ? [[...usable]] : [...groups.values()];
  parts.sort((a, b) => a.length - b.length);
  let left = max;
  parts.forEach((g, k) => {
    const take = Math.min(g.length, Math.floor(left / (parts.length - k)));
    left -= take;
    if (take === 1) chosen.add(g[g.length - 1]);
    else
      for (let j = 0; j < take; j++) chosen.add(g[Math.round((j * (g.length - 1)) / (take - 1))]);
  });
  for (const a of extremes) {
    let lo = -1;
    let hi = -1;
    for (const i of usable) {
      const v = a[i];
      if (!Number.isFinite(v)) continue;
      if (lo < 0 || v < a[lo]) lo = i;
      if (hi < 0 || v > a[hi]) hi = i;
    }
    if (lo >= 0) chosen.add(lo);
    if (hi >= 0) chosen.add(hi);
  }
  return [...chosen].sort((a, b) => a - b);
}

/** The subtitle line saying a figure was thinned, or nothing when every row is drawn. */
export function drawnNote(drawn: Drawn): string[] {
  if (drawn.rows.length >= drawn.total) return [];
  const f = (v: number) => v.toLocaleString("en-US");
  return [
    `${f(drawn.rows.length)} of ${f(drawn.total)} rows drawn, evenly spaced within each size; the fit uses every row`,
  ];
}

/**
 * The layer of observed points, coloured by size, with a tooltip of N, the x value (`x`) and loss.
 */
export function pointsLayer(
  points: Row[],
  params: ArrayLike<number>,
  x: { field: string; title: string; format: string },
): Record<string, unknown> {
  return {
    data: { values: points },
    mark: { type: "point", filled: true, size: 22, opacity: 0.7 },
    encoding: {
      color: sizeColor(params),
      tooltip: [{ field: "size", title: "N" }, x, { field: "loss", title: "loss" }],
    },
  };
}

/**
 * Sizes to draw fitted curves for, each with the token range its runs cover: every size when there
 * are few, else six log-spaced ones across the range (over all the data's tokens), so a scan over
 * hundreds of sizes does not become a hairball.
 */
export function curveSizes(d: RunPoints): { params: number; lo: number; hi: number }[] {
  const sizes = distinctSizes(d.params);
  const range = (keep: (p: number) => boolean) => {
    let lo = Number.POSITIVE_INFINITY;
    let hi = 0;
    for (let i = 0; i < d.tokens.length; i++) {
      if (!keep(d.params[i]) || !(d.tokens[i] > 0)) continue;
      lo = Math.min(lo, d.tokens[i]);
      hi = Math.max(hi, d.tokens[i]);
    }
    return { lo, hi };
  };
  if (sizes.length <= MAX_SIZE_CATEGORIES) {
    return sizes
      .map((p) => ({ params: p, ...range((q) => q.toPrecision(3) === p.toPrecision(3)) }))
      .filter((s) => s.hi > s.lo);
  }
  const all = range(() => true);
  const picks = logSpace(sizes[0], sizes[sizes.length - 1], 6);
  return [...new Set(Array.from(picks, (p) => nearest(sizes, p)))].map((p) => ({
    params: p,
    ...all,
  }));
}

function nearest(sorted: readonly number[], v: number): number {
  let best = sorted[0];
  for (const s of sorted) if (Math.abs(Math.log(s / v)) < Math.abs(Math.log(best / v))) best = s;
  return best;
}

/** The law along D at fixed N (C = 6ND), `count` log-spaced points over [lo, hi]. */
export function curveAlongTokens(f: FittedLaw, params: number, lo: number, hi: number, count = 40) {
  const tokens = logSpace(lo, hi, count);
  const N = new Float64Array(count).fill(params);
  const flops = tokens.map((t) => 6 * params * t);
  return { tokens, flops, loss: predictLoss(f, { params: N, tokens, flops }) };
}

/**
 * Percentile band of the replicates' predictions at each point (null when no replicate predicts a
 * finite value there).
 */
export function bandAt(
  f: FittedLaw,
  replicates: readonly Float64Array[],
  at: { params: Float64Array; tokens: Float64Array; flops: Float64Array },
  level: number,
): { lo: number; hi: number }[] {
  const preds = replicates.map((theta) => predictLoss({ law: f.law, theta }, at));
  return Array.from(at.tokens, (_, i) => {
    const v = preds.map((p) => p[i]).filter(Number.isFinite);
    if (v.length === 0) return { lo: Number.NaN, hi: Number.NaN };
    const [lo, hi] = percentileInterval(v, level);
    return { lo, hi };
  });
}

/** The law's formula with its fitted parameters substituted in words: `E=1.82, A=482, …`. */
export function paramsLine(f: FittedLaw): string {
  return f.law.params.map((p, j) => `${p.name} ${numText(f.theta[j])}`).join(", ");
}

function numText(v: number): string {
  const a = Math.abs(v);
  return a !== 0 && (a >= 1e5 || a < 1e-3) ? v.toExponential(3) : String(Number(v.toPrecision(4)));
}
