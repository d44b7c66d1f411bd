import type { Approach2Result, IsoFlopData } from "../../plan/approach2.js";
import type { BudgetGroups } from "../../plan/budgets.js";
import { logSpace } from "../../plan/contours.js";
import {
  countLabel,
  figure,
  logChannel,
  logExtent,
  lossChannel,
  num,
  r6,
  type Spec,
  TITLES,
} from "./axes.js";
import { paddedRange } from "./fit.js";
import type { Row } from "./points.js";

/** What the `isoflop` figure draws: Approach 2's rows, their grouping by budget, and its result. */
export interface IsoFlopPlotInput {
  readonly data: IsoFlopData;
  readonly grouping: BudgetGroups;
  readonly result: Approach2Result;
}

/**
 * Chinchilla's Approach 2 (Hoffmann et al. 2022, Fig. 3): left, loss against N per FLOP budget
 * with the fitted parabolas in ln N and their minima (hollow: left out of the power law); right,
 * the minima N* and D* = C/(6N*) against C with the fitted power laws and their exponents.
 */
export function isoflopSpec(input: IsoFlopPlotInput): Spec {
  const { data, grouping, result: r } = input;
  const budgetLabel = (k: number) => countLabel(Number(grouping.budgets[k].toPrecision(2)));
  const labels = Array.from(grouping.budgets, (_, k) => budgetLabel(k));
  const points: Row[] = [];
  const curves: Row[] = [];
  grouping.groups.forEach((g, k) => {
    for (const i of g)
      points.push({ params: r6(data.params[i]), loss: r6(data.loss[i]), budget: labels[k] });
    const p = r.profiles[k];
    const Ns = g.map((i) => data.params[i]);
    const u0 = Math.log(p.params);
    for (const N of logSpace(Math.min(...Ns), Math.max(...Ns), 40)) {
      const d = Math.log(N) - u0;
      curves.push({ params: r6(N), loss: r6(p.loss + p.curvature * d * d), budget: labels[k] });
    }
  });
  const minima: Row[] = r.profiles.map((p, k) => ({
    params: r6(p.params),
    tokens: r6(p.tokens),
    loss: r6(p.loss),
    flops: r6(p.flops),
    budget: labels[k],
    used: p.used ? "used" : "left out",
  }));
  const color = {
    field: "budget",
    type: "ordinal",
    title: "budget C (FLOPs)",
    scale: { domain: labels, scheme: "plasma" },
  };
  const losses = points.map((q) => q.loss as number);
  const left: Spec = {
    width: 380,
    height: 300,
    title: "loss vs N per FLOP budget",
    encoding: {
      x: logChannel("params", TITLES.params, logExtent(points.map((q) => q.params as number))),
      y: lossChannel("loss", TITLES.loss, paddedRange(losses)),
    },
    layer: [
      {
        data: { values: points },
        mark: { type: "point", filled: true, size: 28 },
        encoding: { color },
      },
      {
        data: { values: curves },
        mark: { type: "line", strokeWidth: 1.5, clip: true },
        encoding: { color },
      },
      {
        data: {
          values: minima.filter((m) => Number.isFinite(m.loss as number) && (m.loss as number) > 0),
        },
        mark: { type: "point", shape: "diamond", size: 90, strokeWidth: 2, clip: true },
        encoding: {
          fill: { condition: { test: "datum.used === 'used'", value: "#111" }, value: "white" },
          stroke: { value: "#111" },
        },
      },
    ],
  };
  const used = r.profiles.filter((p) => p.used);
  const C = logSpace(
    Math.min(...used.map((p) => p.flops), ...grouping.budgets) / 1.5,
    Math.max(...used.map((p) => p.flops), ...grouping.budgets) * 1.5,
    20,
  );
  const fitRows: Row[] = [];
  if (Number.isFinite(r.exponentN)) {
    for (const c of C) {
      const N = Math.exp(r.lnCoefficientN) * c ** r.exponentN;
      fitRows.push({ flops: r6(c), value: r6(N), quantity: `N* ∝ C^${num(r.exponentN, 3)}` });
      fitRows.push({
        flops: r6(c),
        value: r6(c / (6 * N)),
        quantity: `D* ∝ C^${num(r.exponentD, 3)}`,
      });
    }
  }
  const optima: Row[] = used.flatMap((p) => [
    { flops: r6(p.flops), value: r6(p.params), quantity: `N* ∝ C^${num(r.exponentN, 3)}` },
    { flops: r6(p.flops), value: r6(p.tokens), quantity: `D* ∝ C^${num(r.exponentD, 3)}` },
  ]);
  const values = [...optima, ...fitRows].map((q) => q.value as number);
  const right: Spec = {
    width: 300,
    height: 300,
    title: "optimal N* and D* vs C",
    encoding: {
      x: logChannel("flops", TITLES.flops, logExtent([...C])),
      y: logChannel("value", "N* (parameters), D* (tokens)", logExtent(values)),
      color: {
        field: "quantity",
        type: "nominal",
        title: "fitted power law",
        scale: { range: ["#1f77b4", "#ff7f0e"] },
      },
    },
    layer: [
      { data: { values: fitRows }, mark: { type: "line", strokeWidth: 1.5 } },
      { data: { values: optima }, mark: { type: "point", filled: true, size: 50 } },
    ],
  };
  const iv = r.interval
    ? `; ${Math.round(100 * (r.bootstrap?.level ?? 0.95))}% bootstrap a ∈ [${num(r.interval.exponentN[0], 3)}, ${num(r.interval.exponentN[1], 3)}]`
    : "";
  return figure(
    "Approach 2: IsoFLOP profiles",
    [
      `N* ∝ C^a with a = ${num(r.exponentN, 3)}, D* ∝ C^b with b = ${num(r.exponentD, 3)}${iv} (Hoffmann et al. 2022: 0.49, 0.51); ${used.length} of ${r.profiles.length} budgets used; groups by ${r.grouping}`,
    ],
    {
      hconcat: [left, right],
      resolve: { scale: { color: "independent" }, legend: { color: "independent" } },
    },
  );
}
