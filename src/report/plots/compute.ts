import { predictLoss } from "../../fit/fit.js";
import type { FitResult } from "../../fit/types.js";
import { optimalAllocation } from "../../plan/allocation.js";
import { logSpace } from "../../plan/contours.js";
import {
  countLabel,
  figure,
  logChannel,
  logExtent,
  metricTitle,
  num,
  r6,
  type Spec,
  TITLES,
} from "./axes.js";
import { type FitPlotInput, fitTitle } from "./fit.js";
import { drawnNote, pointRows, pointsLayer, type Row, TARGET_MARK } from "./points.js";

/** What the `compute` figure draws: the same as the `fit` figure. */
export type ComputePlotInput = FitPlotInput;

/**
 * The law's best loss at each budget: the law itself for a compute law L(C), else the
 * compute-optimal envelope min over N of L(N, C/6N). Empty when the law has no optimum to follow.
 */
export function computeFrontier(
  f: Pick<FitResult, "law" | "theta">,
  flops: Float64Array,
): { flops: number; loss: number; params: number | null }[] {
  if (f.law.inputs.length === 1 && f.law.inputs[0] === "flops") {
    const loss = predictLoss(f, { flops });
    return Array.from(flops, (c, i) => ({ flops: c, loss: loss[i], params: null }));
  }
  if (!(f.law.inputs.includes("params") && f.law.inputs.includes("tokens"))) return [];
  const model = { name: "fit", law: f.law, theta: f.theta, reference: "fit" };
  const out: { flops: number; loss: number; params: number | null }[] = [];
  for (const c of flops) {
    try {
      const a = optimalAllocation(model, c);
      out.push({ flops: c, loss: a.loss, params: a.params });
    } catch {
      // No optimum at this budget (a law without an interior minimum): leave a gap.
    }
  }
  return out;
}

/**
 * Loss against compute (log–log) for every checkpoint, coloured by size, with the law's
 * compute-optimal frontier running (dashed past the data) to the target, which is marked.
 */
export function computeSpec(input: ComputePlotInput): Spec {
  const { data, fit: f, target } = input;
  const drawn = pointRows(data);
  const points = drawn.rows;
  const flopsSeen = points.map((p) => p.flops as number);
  const targetC = target ? 6 * target.params * target.tokens : undefined;
  const [lo, hiData] = logExtent(flopsSeen, 0);
  const hi = Math.max(hiData, targetC ?? 0);
  const frontier = computeFrontier(f, logSpace(lo, hi, 80)).filter((r) => Number.isFinite(r.loss));
  const frontierRows: Row[] = frontier.map((r) => ({
    flops: r6(r.flops),
    loss: r6(r.loss),
    part: r.flops <= hiData ? "fitted range" : "extrapolated",
    optimalN: r.params === null ? null : countLabel(r.params),
  }));
  // The extrapolated part starts where the fitted one ends, so the line has no gap.
  const lastIn = frontierRows.filter((r) => r.part === "fitted range").at(-1);
  if (lastIn) frontierRows.push({ ...lastIn, part: "extrapolated" });
  const layers: Spec[] = [
    pointsLayer(points, data.params, { field: "flops", title: "C", format: ".2e" }),
  ];
  if (frontierRows.length) {
    layers.push({
      data: { values: frontierRows },
      mark: { type: "line", color: "#d62728", strokeWidth: 2 },
      encoding: {
        strokeDash: {
          field: "part",
          type: "nominal",
          title: "frontier",
          scale: {
            domain: ["fitted range", "extrapolated"],
            range: [
              [1, 0],
              [6, 4],
            ],
          },
        },
        tooltip: [
          { field: "flops", title: "C", format: ".2e" },
          { field: "loss", title: "best loss" },
          { field: "optimalN", title: "optimal N" },
        ],
      },
    });
  }
  const lossValues = points.map((p) => p.loss as number).concat(frontier.map((r) => r.loss));
  const subtitle = [
    f.law.inputs.length === 1 && f.law.inputs[0] === "flops"
      ? `red: the fitted compute law L(C) (${f.law.formula})`
      : "red: the law's compute-optimal frontier, min over N of L(N, C/6N)",
    ...drawnNote(drawn),
  ];
  if (target && targetC !== undefined) {
    const L = predictLoss(f, {
      params: [target.params],
      tokens: [target.tokens],
      flops: [targetC],
    })[0];
    lossValues.push(L);
    subtitle.push(
      `target N=${countLabel(target.params)}, D=${countLabel(target.tokens)}, C=${countLabel(targetC)}: predicted L = ${num(L)}`,
    );
    layers.push({
      data: {
        values: [
          {
            flops: r6(targetC),
            loss: r6(L),
            label: "target",
          },
        ],
      },
      layer: TARGET_MARK,
    });
  }
  return figure(`Loss vs compute: ${fitTitle(f)}`, subtitle, {
    width: 520,
    height: 340,
    encoding: {
      x: logChannel(
        "flops",
        TITLES.flops,
        logExtent([...flopsSeen, ...(targetC ? [targetC] : [])]),
      ),
      y: logChannel("loss", metricTitle(input.metric), logExtent(lossValues, 0.01)),
    },
    layer: layers,
  });
}
