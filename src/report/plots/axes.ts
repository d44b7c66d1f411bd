import { formatSize } from "../../data/size.js";
import { formatFlops } from "../units.js";

/**
 * Conventions every figure shares: log axes for N, D and C with tick labels as `100M`, `1B`,
 * `1.4T`, `1e21` (never `1,000,000,000`), units in the axis titles, one colour scale ordered by
 * model size.
 */

/** A Vega-Lite spec as plain JSON (the figures build object literals; vega-lite checks them). */
export type Spec = Record<string, unknown>;

/** Vega-Lite schema of the pinned vega-lite 5. */
export const SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json";

/** Axis titles with units, as the field writes them. */
export const TITLES = {
  params: "parameters N",
  tokens: "training tokens D",
  flops: "FLOPs C = 6ND",
  loss: "loss L",
} as const;

/**
 * Vega expression for a count tick label: `100M`, `1.4T` below 1e15, `1e21` above (FLOPs), plain
 * below 1000. Mirrors {@link countLabel}.
 */
export const COUNT_LABEL =
  "datum.value >= 1e15 ? replace(format(datum.value, '.2~e'), 'e+', 'e') : datum.value >= 1e12 ? format(datum.value / 1e12, '.3~g') + 'T' : datum.value >= 1e9 ? format(datum.value / 1e9, '.3~g') + 'B' : datum.value >= 1e6 ? format(datum.value / 1e6, '.3~g') + 'M' : datum.value >= 1e3 ? format(datum.value / 1e3, '.3~g') + 'K' : format(datum.value, '.3~g')";

/**
 * A count as the axes write it: `70B`, `1.4T`, `1e21`.
 * @example countLabel(1.4e12) // → "1.4T"; countLabel(3e21) // → "3e21"
 */
export function countLabel(v: number): string {
  return Math.abs(v) >= 1e15 ? formatFlops(v) : formatSize(v);
}

/** A number for titles: 4 significant digits. */
export function num(v: number, digits = 4): string {
  if (!Number.isFinite(v)) return String(v);
  return String(Number(v.toPrecision(digits)));
}

/** A fraction as a percentage with one decimal: `4.2%`. */
export function pct(v: number): string {
  return Number.isFinite(v) ? `${(100 * v).toFixed(1)}%` : "n/a";
}

/**
 * Tick values for a log axis over [lo, hi]: powers of ten, with 2× and 5× added when the range
 * spans fewer than three of them (so a short axis still has labels), none outside the range.
 */
export function logTicks(lo: number, hi: number): number[] {
  if (!(lo > 0 && hi >= lo)) return [];
  const a = Math.floor(Math.log10(lo));
  const b = Math.ceil(Math.log10(hi));
  const pow = (k: number) => Number(`1e${k}`);
  const decades: number[] = [];
  for (let k = a; k <= b; k++) decades.push(pow(k));
  let out = decades.filter((v) => v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9));
  if (out.length < 3) {
    const all = decades.flatMap((d) => [d, 2 * d, 5 * d]);
    out = all.filter((v) => v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9));
  }
  if (out.length < 3) {
    const all = decades.flatMap((d) =>
      [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8].map((m) => Number((m * d).toPrecision(2))),
    );
    out = all.filter((v) => v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9));
  }
  return out;
}

/** [min, max] of the finite positive values, widened by `pad` decades on each side. */
export function logExtent(values: Iterable<number>, pad = 0.05): [number, number] {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const v of values) {
    if (!(v > 0) || !Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (!(lo <= hi)) return [1, 10];
  const f = 10 ** pad;
  return [lo / f, hi * f];
}

/**
 * A positional encoding on a log scale over `domain`, with count tick labels at
 * {@link logTicks} and `title` as the axis title.
 */
export function logChannel(field: string, title: string, domain: [number, number]): Spec {
  return {
    field,
    type: "quantitative",
    title,
    scale: { type: "log", domain, nice: false },
    axis: { values: logTicks(domain[0], domain[1]), labelExpr: COUNT_LABEL, grid: true },
  };
}

/** The title of the loss axis: `loss L`, or the metric's own name (`perf`, `lambada_openai_ppl`). */
export function metricTitle(metric?: string): string {
  return metric === undefined || metric === "loss" ? TITLES.loss : metric;
}

/** A loss encoding on a linear scale that does not start at zero. */
export function lossChannel(field = "loss", title: string = TITLES.loss, domain?: number[]): Spec {
  return {
    field,
    type: "quantitative",
    title,
    scale: domain ? { zero: false, domain, nice: false } : { zero: false },
  };
}

/** At most this many sizes get their own legend entry; more become a continuous log scale. */
export const MAX_SIZE_CATEGORIES = 12;

/**
 * The colour of model size, ordered small (dark) to large (bright): one legend entry per size when
 * there are at most {@link MAX_SIZE_CATEGORIES}, else a continuous log scale with count labels.
 * Rows need `params` and, for the categorical case, `size` (its label from {@link countLabel}).
 */
export function sizeColor(params: ArrayLike<number>, title: string = TITLES.params): Spec {
  const sizes = distinctSizes(params);
  if (sizes.length <= MAX_SIZE_CATEGORIES) {
    return {
      field: "size",
      type: "ordinal",
      title,
      scale: { domain: sizes.map(countLabel), scheme: "viridis" },
      legend: { symbolType: "circle" },
    };
  }
  const [lo, hi] = [sizes[0], sizes[sizes.length - 1]];
  return {
    field: "params",
    type: "quantitative",
    title,
    scale: { type: "log", scheme: "viridis", domain: [lo, hi] },
    legend: {
      type: "gradient",
      values: logTicks(lo, hi),
      labelExpr: COUNT_LABEL,
      gradientLength: 160,
    },
  };
}

/** Distinct sizes (to 3 significant digits, so 1.23e9 and 1.2300001e9 are one size), ascending. */
export function distinctSizes(params: ArrayLike<number>): number[] {
  // A log has millions of rows and a few sizes: round each distinct value once.
  const exact = new Set<number>();
  for (let i = 0; i < params.length; i++) if (params[i] > 0) exact.add(params[i]);
  const seen = new Map<string, number>();
  for (const p of exact) {
    const key = p.toPrecision(3);
    if (!seen.has(key)) seen.set(key, Number(key));
  }
  return [...seen.values()].sort((a, b) => a - b);
}

/** Rounds a number for a spec so snapshots are stable and files small: 6 significant digits. */
export function r6(v: number): number | null {
  return Number.isFinite(v) ? Number(v.toPrecision(6)) : null;
}

/** Configuration every figure shares: fonts sized for print, a light grid, no chart border. */
export const CONFIG: Spec = {
  view: { stroke: null },
  axis: { labelFontSize: 11, titleFontSize: 12, gridColor: "#e6e6e6" },
  legend: { labelFontSize: 11, titleFontSize: 12 },
  title: { fontSize: 14, subtitleFontSize: 11, subtitleColor: "#555", anchor: "start" },
};

/** Subtitle lines are wrapped to this many characters (a long line widens the whole figure). */
export const SUBTITLE_WIDTH = 96;

/**
 * Wraps a line at `; ` or `, ` (else spaces) so that no piece is longer than `width` characters,
 * unless a single word is.
 */
export function wrapLine(line: string, width = SUBTITLE_WIDTH): string[] {
  if (line.length <= width) return [line];
  for (const sep of ["; ", ", ", " "]) {
    const parts = line.split(sep);
    if (parts.length < 2) continue;
    const out: string[] = [];
    let cur = parts[0];
    for (const p of parts.slice(1)) {
      if (cur.length + sep.length + p.length <= width) cur += sep + p;
      else {
        out.push(sep === " " ? cur : cur + sep.trimEnd());
        cur = p;
      }
    }
    out.push(cur);
    if (out.every((l) => l.length <= width) || sep === " ") return out;
    return out.flatMap((l) => wrapLine(l, width));
  }
  return [line];
}

/** The shell of every figure: schema, title and (wrapped) subtitle lines, shared config. */
export function figure(title: string, subtitle: readonly string[], body: Spec): Spec {
  const lines = subtitle.flatMap((l) => wrapLine(l));
  return {
    $schema: SCHEMA,
    title: lines.length ? { text: title, subtitle: lines } : { text: title },
    config: CONFIG,
    ...body,
  };
}
