import type { BudgetPlan } from "../plan/budget-plan.js";
import type { FitModel } from "../plan/from-fit.js";
import { computeUnits } from "../plan/units.js";
import { fmt } from "./fit.js";
import { formatCount, hardwareJson, unitsText } from "./units.js";

/** The `plan --json` object: the allocation's fields, then each answer asked for. */
export function planJson(p: BudgetPlan): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (p.model.note) out.note = p.model.note;
  const a = p.allocation;
  const budget = p.request.budget;
  if (a && budget !== undefined) {
    Object.assign(out, {
      params: a.params,
      tokens: a.tokens,
      loss: a.loss,
      flops: a.flops,
      tokensPerParam: a.tokensPerParam,
      method: a.method,
      ...(a.intervals
        ? {
            intervals: a.intervals,
            replicates: a.replicatesUsed,
            level: (p.model as Partial<FitModel>).level,
          }
        : {}),
      units: computeUnits(budget, p.request.hardware),
      ...hardwareJson(p.request.hardware, p.request.currency),
    });
    if (p.warnings.length > 0) out.warnings = p.warnings;
  }
  if (p.target) out.targetLoss = p.target;
  if (p.compare) out.compare = p.compare;
  if (p.dataConstrained) out.dataConstrained = p.dataConstrained;
  if (p.inference) out.inference = p.inference;
  return out;
}

/** The plan as text: the law, the budget in every unit, the allocation, then each answer. */
export function planText(p: BudgetPlan): string {
  const m = p.model;
  const text: string[] = [`law        ${m.name}: ${m.law.formula}  (${m.reference})`];
  if (m.note) text.push(`note       ${m.note}`);
  const a = p.allocation;
  const budget = p.request.budget;
  if (a && budget !== undefined) {
    const iv = (k: "params" | "tokens" | "loss") =>
      a.intervals ? `  [${fmt(a.intervals[k][0])}, ${fmt(a.intervals[k][1])}]` : "";
    text.push(
      ...unitsText(budget, p.request.hardware, p.request.currency),
      `optimal    (${a.method})${a.intervals ? `  ${Math.round(p.level * 100)}% bootstrap intervals over ${a.replicatesUsed} replicates` : ""}`,
      `  N        ${formatCount(a.params, "params")} (${fmt(a.params)})${iv("params")}`,
      `  D        ${formatCount(a.tokens, "tokens")} (${fmt(a.tokens)})${iv("tokens")}`,
      `  D/N      ${fmt(a.tokensPerParam)}`,
      `  loss     ${fmt(a.loss, 5)}${iv("loss")}`,
      ...p.warnings.map((w) => `warning: ${w}`),
    );
  }
  if (p.target) {
    const t = p.target;
    text.push(
      `target     loss ${p.request.targetLoss}: C = ${fmt(t.flops)} FLOPs (${fmt(computeUnits(t.flops).pfDays)} PF-days), N = ${fmt(t.params)}, D = ${fmt(t.tokens)}`,
    );
  }
  if (p.compare) {
    text.push(
      "",
      "budget      Kaplan rule (N ∝ C^0.73)           Chinchilla rule (law optimum)",
      "            N          D          loss     N          D          loss",
    );
    const cell = (x: { params: number; tokens: number; loss: number }) =>
      `${fmt(x.params).padEnd(10)} ${fmt(x.tokens).padEnd(10)} ${fmt(x.loss, 5).padEnd(8)}`;
    for (const r of p.compare)
      text.push(`×${String(r.factor).padEnd(10)} ${cell(r.kaplan)} ${cell(r.chinchilla)}`);
  }
  const U = p.request.uniqueTokens;
  if (p.dataConstrained && U !== undefined) {
    const d = p.dataConstrained;
    text.push(
      "",
      `data       ${fmt(U)} unique tokens: N = ${fmt(d.constrained.params)}, D = ${fmt(d.constrained.tokens)} (${fmt(d.constrained.epochs)} epochs), loss ${fmt(d.constrained.loss, 5)}`,
      `           unlimited data would give N = ${fmt(d.unconstrained.params)}, D = ${fmt(d.unconstrained.tokens)}, loss ${fmt(d.unconstrained.loss, 5)}; that allocation on U gives ${fmt(d.naive.loss, 5)}`,
    );
  }
  const T = p.request.inferenceTokens;
  if (p.inference && T !== undefined) {
    const q = p.inference;
    text.push(
      "",
      `inference  ${fmt(T)} tokens served, same loss ${fmt(q.trainingOptimal.loss, 5)}:`,
      `           training-optimal N = ${fmt(q.trainingOptimal.params)}, D = ${fmt(q.trainingOptimal.tokens)}, total ${fmt(q.trainingOptimal.totalFlops)} FLOPs`,
      `           inference-aware  N = ${fmt(q.inferenceAware.params)}, D = ${fmt(q.inferenceAware.tokens)}, total ${fmt(q.inferenceAware.totalFlops)} FLOPs`,
      `           ${fmt(q.paramsRatio)}× the size, ${fmt(q.tokensRatio)}× the tokens, ${(q.savings * 100).toFixed(1)}% less total compute`,
    );
  }
  return `${text.join("\n")}\n`;
}
