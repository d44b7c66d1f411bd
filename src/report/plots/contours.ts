import { extent } from "../../math/stats.js";
import { optimalAllocation } from "../../plan/allocation.js";
import { efficientFrontier, isoLossContours, logSpace } from "../../plan/contours.js";
import { lossAt, type PlanModel } from "../../plan/model.js";
import { countLabel, figure, logChannel, num, r6, type Spec, TITLES } from "./axes.js";
import { drawnIndex, drawnNote, MAX_DRAWN, type Row, type RunPoints } from "./points.js";

/** What the `contours` figure draws. */
export interface ContoursPlotInput {
  /** A fitted law or a preset (see plan/presets.ts). */
  readonly model: PlanModel;
  /** Runs to overlay (their N and D). */
  readonly runs?: Pick<RunPoints, "params" | "tokens">;
  /** Loss levels of the contours; defaults to eight between the corners of the view. */
  readonly levels?: readonly number[];
  /** N range; defaults to the runs' widened by a decade, or 10M–1T. */
  readonly paramsRange?: readonly [number, number];
  /** D range; defaults to the runs' widened by a decade, or 100M–100T. */
  readonly tokensRange?: readonly [number, number];
  /** A budget whose optimum is starred. */
  readonly budget?: number;
}

/**
 * Iso-loss contours of a law over (N, D) with iso-FLOP lines C = 6ND and the efficient frontier
 * (the compute-optimal N and D per budget), the runs overlaid: Hoffmann et al. 2022's Figure 4.
 */
export function contoursSpec(input: ContoursPlotInput): Spec {
  const m = input.model;
  const widen = (v: ArrayLike<number> | undefined, dflt: readonly [number, number]) => {
    const xs = v ? Array.from(v).filter((x) => x > 0) : [];
    if (xs.length === 0) return dflt;
    const [lo, hi] = extent(xs);
    return [lo / 10, hi * 10] as const;
  };
  // The budget's optimum is in view too (a plan for 1e24 FLOPs from runs of 1e20).
  const best = input.budget === undefined ? null : optimalAllocation(m, input.budget);
  const [n0, n1] =
    input.paramsRange ??
    widen(
      input.runs && [...Array.from(input.runs.params), ...(best ? [best.params] : [])],
      [1e7, 1e12],
    );
  const [d0, d1] =
    input.tokensRange ??
    widen(
      input.runs && [...Array.from(input.runs.tokens), ...(best ? [best.tokens] : [])],
      [1e8, 1e14],
    );
  const inBox = (n: number, d: number) => n >= n0 && n <= n1 && d >= d0 && d <= d1;
  const levels = input.levels ?? defaultLevels(m, n0, n1, d0, d1);
  const N = logSpace(n0, n1, 120);
  const contours: Row[] = [];
  for (const c of isoLossContours(m, levels, N)) {
    c.params.forEach((n, i) => {
      if (Number.isFinite(c.tokens[i]) && inBox(n, c.tokens[i]))
        contours.push({
          params: r6(n),
          tokens: r6(c.tokens[i]),
          loss: r6(c.loss),
          kind: "iso-loss",
        });
    });
  }
  const width = 460;
  const height = 380;
  // Iso-FLOP lines have slope −1 in log–log; on screen their angle depends on the decades per pixel.
  const angle =
    (Math.atan(height / Math.log10(d1 / d0) / (width / Math.log10(n1 / n0))) * 180) / Math.PI;
  const isoFlop: Row[] = [];
  const labels: Row[] = [];
  const cLo = Math.ceil(Math.log10(6 * n0 * d0));
  const cHi = Math.floor(Math.log10(6 * n1 * d1));
  const step = Math.max(1, Math.ceil((cHi - cLo + 1) / 7));
  for (let k = cLo; k <= cHi; k += step) {
    const C = Number(`1e${k}`);
    const a = Math.max(n0, C / (6 * d1));
    const b = Math.min(n1, C / (6 * d0));
    if (!(a < b)) continue;
    const label = countLabel(C);
    for (const n of [a, b]) isoFlop.push({ params: r6(n), tokens: r6(C / (6 * n)), label });
    const mid = Math.sqrt(a * b);
    labels.push({ params: r6(mid), tokens: r6(C / (6 * mid)), label: `C = ${label}` });
  }
  const frontier: Row[] = [];
  const f = efficientFrontier(m, logSpace(6 * n0 * d0, 6 * n1 * d1, 60));
  f.flops.forEach((_, i) => {
    if (inBox(f.params[i], f.tokens[i]))
      frontier.push({ params: r6(f.params[i]), tokens: r6(f.tokens[i]), loss: r6(f.loss[i]) });
  });
  const layers: Spec[] = [
    {
      data: { values: isoFlop },
      mark: { type: "line", color: "#999", strokeDash: [4, 3], strokeWidth: 1 },
      encoding: { detail: { field: "label" } },
    },
    {
      data: { values: labels },
      mark: { type: "text", color: "#666", fontSize: 10, angle: Math.round(angle), dy: -7 },
      encoding: { text: { field: "label" } },
    },
    {
      data: { values: contours },
      mark: { type: "line", strokeWidth: 1.6 },
      encoding: {
        color: {
          field: "loss",
          type: "quantitative",
          title: "iso-loss L",
          scale: { scheme: "viridis", reverse: true },
        },
        detail: { field: "loss" },
        order: { field: "params" },
      },
    },
    {
      data: { values: frontier },
      mark: { type: "line", color: "#d62728", strokeWidth: 2.5 },
      encoding: { order: { field: "params" } },
    },
  ];
  let thinned: string[] = [];
  if (input.runs) {
    const { params, tokens } = input.runs;
    const usable: number[] = [];
    for (let i = 0; i < params.length; i++) if (inBox(params[i], tokens[i])) usable.push(i);
    const pick = drawnIndex(usable, params, [params, tokens], MAX_DRAWN);
    const runs: Row[] = pick.map((i) => ({ params: r6(params[i]), tokens: r6(tokens[i]) }));
    thinned = drawnNote({ rows: runs, total: usable.length });
    layers.push({
      data: { values: runs },
      mark: { type: "point", shape: "circle", size: 14, color: "#222", opacity: 0.5, filled: true },
    });
  }
  const subtitle = [
    `${m.law.formula}; ${m.reference}`,
    `red: efficient frontier (the optimal N and D per budget); dashed grey: iso-FLOP lines C = 6ND${input.runs ? "; dots: the runs" : ""}`,
    ...thinned,
  ];
  if (input.budget !== undefined && best) {
    const a = best;
    subtitle.push(
      `diamond: the optimum at C = ${countLabel(input.budget)}: N = ${countLabel(a.params)}, D = ${countLabel(a.tokens)}, L = ${num(a.loss)}`,
    );
    layers.push({
      data: {
        values: [
          {
            params: r6(a.params),
            tokens: r6(a.tokens),
            label: `C = ${countLabel(input.budget)}`,
          },
        ],
      },
      layer: [
        { mark: { type: "point", shape: "diamond", size: 140, filled: true, color: "#d62728" } },
        {
          mark: {
            type: "text",
            align: "left",
            dx: 10,
            dy: 10,
            fontSize: 11,
            color: "#d62728",
            fontWeight: "bold",
          },
          encoding: { text: { field: "label" } },
        },
      ],
    });
  }
  return figure(`Iso-loss contours: ${m.name}`, subtitle, {
    width,
    height,
    encoding: {
      x: logChannel("params", TITLES.params, [n0, n1]),
      y: logChannel("tokens", TITLES.tokens, [d0, d1]),
    },
    layer: layers,
  });
}

/**
 * Eight loss levels between the losses at the view's best and worst corners, denser towards the best
 * (where large models and targets sit): at 2, 5, 10, 20, 35, 50, 70 and 90% of the way up.
 */
function defaultLevels(m: PlanModel, n0: number, n1: number, d0: number, d1: number): number[] {
  const lo = lossAt(m, n1, d1);
  const hi = lossAt(m, n0, d0);
  if (!(Number.isFinite(lo) && Number.isFinite(hi) && hi > lo)) return [];
  return [0.02, 0.05, 0.1, 0.2, 0.35, 0.5, 0.7, 0.9].map((q) =>
    Number((lo + q * (hi - lo)).toPrecision(3)),
  );
}
