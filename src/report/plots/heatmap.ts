import type { AggregateCell, CheapestCell } from "../../analysis/aggregate.js";
import type { ResultRow } from "../../analysis/types.js";
import { figure, r6, type Spec } from "./axes.js";
import type { Row } from "./points.js";

/** One heatmap cell: a row label, a column label, the ARE (NaN when the fit failed). */
export interface HeatCell {
  readonly row: string;
  readonly col: string;
  readonly are: number;
  /** Fits or families averaged into the cell, for the tooltip. */
  readonly count?: number;
  /** Training FLOPs of the cell's configuration (the paper's cost proxy), for iso-FLOP contours. */
  readonly cost?: number;
}

/** One heatmap panel: cells, the order of its rows (top to bottom), titles, and stars. */
export interface HeatPanel {
  readonly title: string;
  readonly rowTitle: string;
  readonly rows: readonly string[];
  /** Column labels, left to right. */
  readonly columns: readonly string[];
  readonly cells: readonly HeatCell[];
  /** Cheapest cells reaching each ARE threshold, starred with the threshold (`★5%`). */
  readonly stars?: readonly { row: string; col: string; threshold: number; cost?: number }[];
  /** Title of the column axis; defaults to the fraction of training p. */
  readonly columnTitle?: string;
}

/** What the `heatmap` figure draws: panels side by side, one colour scale. */
export interface HeatmapPlotInput {
  readonly title: string;
  readonly subtitle?: readonly string[];
  readonly panels: readonly HeatPanel[];
}

/** Heatmaps with more rows or columns than this show colours without the numbers. */
export const MAX_PRINTED = 30;

/** Upper end of the colour scale: 100·ARE on 0–35, as the paper's heatmaps (HITCHHIKER_SPEC §3.3). */
export const ARE_SCALE_MAX = 0.35;

/**
 * ARE heatmaps as the Hitchhiker's Guide draws them: rows of training sets, columns the fraction p
 * of training used, colour 100·ARE on 0–35 (bright is bad, clamped above 35), each cell printed
 * (bold under 10%), cells under 5% outlined, failed fits white with "fail", the cheapest
 * configuration reaching 15/10/5% starred, and the iso-FLOP step contour through each star (orange:
 * solid 15%, dashed 10%, dotted 5%). Beyond {@link MAX_PRINTED} rows or columns: colour only, small cells.
 */
export function heatmapSpec(input: HeatmapPlotInput): Spec {
  const panels = input.panels.map((p) => panel(p));
  return figure(input.title, input.subtitle ?? [], {
    ...(panels.length === 1
      ? panels[0]
      : { hconcat: panels, resolve: { scale: { color: "shared" } } }),
  });
}

function panel(p: HeatPanel): Spec {
  const cols = p.columns;
  // Numbers in cells are readable up to about 30 × 30; beyond that the colour says it all.
  const printed = cols.length <= MAX_PRINTED && p.rows.length <= MAX_PRINTED;
  const values: Row[] = p.cells.map((c) => ({
    row: c.row,
    col: c.col,
    are: Number.isFinite(c.are) ? r6(100 * c.are) : null,
    label: Number.isFinite(c.are)
      ? 100 * c.are >= 99.5
        ? `${Math.round(100 * c.are)}`
        : (100 * c.are).toFixed(1)
      : "fail",
    level: !Number.isFinite(c.are) ? "fail" : c.are < 0.05 ? "<5%" : c.are < 0.1 ? "<10%" : ">=10%",
    count: c.count ?? null,
  }));
  // Several thresholds can share a cheapest cell: one label per cell, `★15 ★10`.
  const starCells = new Map<string, Row>();
  for (const s of [...(p.stars ?? [])].sort((a, b) => b.threshold - a.threshold)) {
    const key = `${s.row}\u0000${s.col}`;
    const cell = starCells.get(key) ?? { row: s.row, col: s.col, star: "" };
    cell.star = `${cell.star ? `${cell.star} ` : ""}★${Math.round(100 * s.threshold)}`;
    starCells.set(key, cell);
  }
  const stars = [...starCells.values()];
  // Printed cells need room for their number; unprinted ones only their colour, so a big grid
  // stays about 520 px wide instead of 26 px a cell (100 × 100 cells: 2,600 px, 20 MB of pixels).
  const n = Math.max(cols.length, 1);
  const cellSize = printed
    ? Math.max(26, Math.min(44, Math.round(440 / n)))
    : Math.max(4, Math.min(26, Math.round(520 / n)));
  const rowSize = printed ? Math.max(cellSize * 0.8, 22) : cellSize;
  const width = cellSize * cols.length;
  // At least 210 px, so a long row-axis title never sticks out above a panel of few rows.
  const height = Math.max(rowSize * p.rows.length, 210);
  // Too many labels to print one per row or column: vega keeps those that do not overlap.
  const thin = printed ? {} : { labelOverlap: "greedy" };
  const contours = isoFlopSteps(p, width / cols.length, height / p.rows.length);
  return {
    title: p.title,
    width,
    height,
    encoding: {
      x: {
        field: "col",
        type: "ordinal",
        title: p.columnTitle ?? "fraction of training p",
        sort: [...cols],
        scale: { paddingInner: 0, paddingOuter: 0 },
        axis: { labelAngle: cols.some((c) => c.length > 4) ? -30 : 0, ...thin },
      },
      y: {
        field: "row",
        type: "ordinal",
        title: p.rowTitle,
        sort: [...p.rows],
        scale: { paddingInner: 0, paddingOuter: 0 },
        ...(printed ? {} : { axis: thin }),
      },
    },
    layer: [
      {
        data: { values },
        mark: printed ? { type: "rect", stroke: "white", strokeWidth: 0.5 } : { type: "rect" },
        encoding: {
          color: {
            field: "are",
            type: "quantitative",
            title: "ARE (%)",
            scale: { scheme: "inferno", domain: [0, 100 * ARE_SCALE_MAX], clamp: true },
            legend: { values: [0, 5, 10, 15, 20, 25, 30, 35], gradientLength: 200 },
          },
          tooltip: [
            { field: "row", title: p.rowTitle },
            { field: "col", title: "p" },
            { field: "are", title: "ARE (%)", format: ".2f" },
            { field: "count", title: "fits/families" },
          ],
        },
      },
      {
        // Outlines on cells too small to print hide their colours (a cyan mesh): colour only.
        data: { values: printed ? values.filter((v) => v.level === "<5%") : [] },
        mark: { type: "rect", fill: null, stroke: "#00e5ff", strokeWidth: 2.5 },
      },
      ...(["bold", "normal"] as const)
        .filter(() => printed)
        .map((weight) => ({
          data: {
            values: values.filter(
              (v) => v.are !== null && (v.are as number) < 10 === (weight === "bold"),
            ),
          },
          mark: { type: "text", fontSize: 10, fontWeight: weight },
          encoding: {
            text: { field: "label" },
            color: { condition: { test: "datum.are > 22", value: "black" }, value: "white" },
          },
        })),
      {
        data: { values: printed ? values.filter((v) => v.are === null) : [] },
        mark: { type: "text", fontSize: 10, color: "#999" },
        encoding: { text: { field: "label" } },
      },
      // Orange on a dark casing: visible over bright and dark cells alike.
      ...(contours.length
        ? (["#222", "#ff9f1c"] as const).map((color, k) => ({
            data: { values: contours },
            mark: { type: "line", color, strokeWidth: k === 0 ? 4 : 2, interpolate: "linear" },
            encoding: {
              x: { field: "px", type: "quantitative", scale: null, axis: null },
              y: { field: "py", type: "quantitative", scale: null, axis: null },
              detail: { field: "threshold" },
              order: { field: "order", type: "quantitative" },
              strokeDash: {
                field: "threshold",
                type: "nominal",
                scale: {
                  domain: ["15%", "10%", "5%"],
                  range: [
                    [1, 0],
                    [6, 3],
                    [2, 2],
                  ],
                },
                legend: null,
              },
            },
          }))
        : []),
      ...(stars.length
        ? [
            {
              data: { values: stars },
              mark: { type: "text", fontSize: 9, dy: -11, color: "#00e5ff", fontWeight: "bold" },
              encoding: { text: { field: "star" } },
            },
          ]
        : []),
    ],
  };
}

/**
 * The paper's iso-FLOP step contours (HITCHHIKER_SPEC §3.3): for each starred threshold, in each row
 * the last column whose cost is at most the star's, joined top to bottom as a step line along the
 * cells' right edges, in pixels (`w` × `h` per cell). Empty without costs.
 */
function isoFlopSteps(p: HeatPanel, w: number, h: number): Row[] {
  const out: Row[] = [];
  const cost = new Map(p.cells.map((c) => [`${c.row}\u0000${c.col}`, c.cost]));
  const seen = new Set<number>();
  for (const s of p.stars ?? []) {
    if (s.cost === undefined || seen.has(s.threshold)) continue;
    seen.add(s.threshold);
    const label = `${Math.round(100 * s.threshold)}%`;
    let order = 0;
    p.rows.forEach((row, i) => {
      let last = -1;
      p.columns.forEach((col, j) => {
        const c = cost.get(`${row}\u0000${col}`);
        if (c !== undefined && c <= (s.cost as number) * (1 + 1e-9)) last = j;
      });
      const x = r6((last + 1) * w);
      out.push({ px: x, py: r6(i * h), threshold: label, order: order++ });
      out.push({ px: x, py: r6((i + 1) * h), threshold: label, order: order++ });
    });
  }
  return out;
}

/** The row label of a grid row: `k (×scale-up)`, as the paper labels a single family's rows. */
function gridRowLabel(k: number, scaleUp: number): string {
  return Number.isFinite(scaleUp) ? `${k} (×${Math.round(scaleUp)})` : String(k);
}

/**
 * A family's main-grid heatmap (rows: #train models with the scale-up to the target; columns: p)
 * from the analysis rows, with the cheapest configurations starred.
 */
export function familyGridPanel(
  rows: readonly ResultRow[],
  family: string,
  protocol: string,
  cheapest: readonly CheapestCell[] = [],
): HeatPanel | null {
  const mine = rows.filter(
    (r) =>
      r.experiment === "grid" &&
      r.family === family &&
      r.protocol === protocol &&
      r.trainModels >= 1,
  );
  if (mine.length === 0) return null;
  const byK = new Map<number, number>();
  for (const r of mine)
    if (!byK.has(r.trainModels) || r.fraction === 1) byK.set(r.trainModels, r.scaleUp);
  const ks = [...byK.keys()].sort((a, b) => b - a);
  const label = (k: number) => gridRowLabel(k, byK.get(k) ?? Number.NaN);
  return {
    title: `${family}: #train models × fraction`,
    rowTitle: "#models (×scale-up)",
    rows: ks.map(label),
    columns: fractionColumns(mine.map((r) => r.fraction)),
    cells: mean(mine, (r) => [label(r.trainModels), fractionLabel(r.fraction)]),
    stars: cheapest
      .filter((c) => c.family === family && c.protocol === protocol)
      .map((c) => ({
        row: label(c.trainModels),
        col: fractionLabel(c.fraction),
        threshold: c.threshold,
        cost: c.flops,
      })),
  };
}

/**
 * Fig. 1a: sliding windows of consecutive smaller models (`window` experiment), rows labelled by
 * the largest training model and its scale-up to the target.
 */
export function familyWindowPanel(
  rows: readonly ResultRow[],
  family: string,
  protocol: string,
): HeatPanel | null {
  const mine = rows.filter(
    (r) => r.experiment === "window" && r.family === family && r.protocol === protocol,
  );
  if (mine.length === 0) return null;
  const label = (r: ResultRow) => `${r.largest ?? "?"} (×${Math.round(r.scaleUp)})`;
  const order = [...new Map(mine.map((r) => [label(r), r.largestParams])).entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([l]) => l);
  return {
    title: `${family}: closer in scale (windows of consecutive models)`,
    rowTitle: "largest model (×scale-up)",
    rows: order,
    columns: fractionColumns(mine.map((r) => r.fraction)),
    cells: mean(mine, (r) => [label(r), fractionLabel(r.fraction)]),
  };
}

/**
 * Fig. 1c: number vs size at p = 1 (`number-vs-size`): rows are #models, columns the largest
 * training model (and its scale-up).
 */
export function familyNumberPanel(
  rows: readonly ResultRow[],
  family: string,
  protocol: string,
): HeatPanel | null {
  const mine = rows.filter(
    (r) => r.experiment === "number-vs-size" && r.family === family && r.protocol === protocol,
  );
  if (mine.length === 0) return null;
  const col = (r: ResultRow) => `${r.largest ?? "?"} (×${Math.round(r.scaleUp)})`;
  const columns = [...new Map(mine.map((r) => [col(r), r.largestParams])).entries()]
    .sort((a, b) => a[1] - b[1])
    .map(([c]) => c);
  const ks = [...new Set(mine.map((r) => r.trainModels))].sort((a, b) => b - a);
  return {
    title: `${family}: number vs size (p = 1)`,
    rowTitle: "#train models",
    columnTitle: "largest training model (×scale-up)",
    rows: ks.map(String),
    columns,
    cells: mean(mine, (r) => [String(r.trainModels), col(r)]),
  };
}

/** Mean ARE per (row, column) of rows with a finite ARE; cells with only failures get NaN. */
function mean(rows: readonly ResultRow[], key: (r: ResultRow) => [string, string]): HeatCell[] {
  const cells = new Map<
    string,
    { row: string; col: string; sum: number; n: number; seen: number; cost: number }
  >();
  for (const r of rows) {
    const [row, col] = key(r);
    const k = `${row}\u0000${col}`;
    const c = cells.get(k) ?? { row, col, sum: 0, n: 0, seen: 0, cost: 0 };
    c.seen++;
    c.cost += r.flops;
    if (Number.isFinite(r.are)) {
      c.sum += r.are;
      c.n++;
    }
    cells.set(k, c);
  }
  return [...cells.values()].map((c) => ({
    row: c.row,
    col: c.col,
    are: c.n ? c.sum / c.n : Number.NaN,
    count: c.n,
    cost: c.cost / c.seen,
  }));
}

/** An aggregated heatmap (rows are bins) from the analysis summary's cells. */
export function aggregatePanel(
  cells: readonly AggregateCell[],
  protocol: string,
  title: string,
  rowTitle: string,
  order: readonly string[],
): HeatPanel | null {
  const mine = cells.filter((c) => c.protocol === protocol);
  if (mine.length === 0) return null;
  const present = new Set(mine.map((c) => c.bin));
  return {
    title,
    rowTitle,
    rows: order.filter((b) => present.has(b)),
    columns: fractionColumns(mine.map((c) => c.fraction)),
    cells: mine.map((c) => ({
      row: c.bin,
      col: fractionLabel(c.fraction),
      are: c.are,
      count: c.count,
    })),
  };
}

/** A fraction p as a column label: `30%`. */
export function fractionLabel(p: number): string {
  return `${Math.round(100 * p)}%`;
}

function fractionColumns(ps: readonly number[]): string[] {
  return [...new Set(ps)].sort((a, b) => a - b).map(fractionLabel);
}
