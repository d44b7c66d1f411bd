import { readFileSync } from "node:fs";
import { InputError } from "../errors.js";
import { computeForLoss } from "../plan/allocation.js";
import { compareScalingRules } from "../plan/compare.js";
import { dataConstrainedPlan } from "../plan/data-constrained.js";
import { allocationWithIntervals, type FitModel, modelFromFitJson } from "../plan/from-fit.js";
import { inferenceAwarePlan } from "../plan/inference.js";
import type { PlanModel } from "../plan/model.js";
import { getPreset } from "../plan/presets.js";
import { replicatesByRefit } from "../plan/refit.js";
import { computeUnits } from "../plan/units.js";
import { fmt } from "../report/fit.js";
import { unitsText } from "../report/units.js";
import { numberFlag } from "./args.js";
import type { Command } from "./command.js";
import { flagHelp, parseFlags } from "./flags.js";
import { budgetFromFlags, hardwareFromFlags } from "./flops.js";
import { toJson } from "./io.js";
import {
  DATA_FLAGS,
  MODEL_FLAGS,
  PLAN_OPTIONS,
  type PlanValues,
  READ_FLAGS,
} from "./plan-flags.js";

const HELP = `usage: scaleladder plan --budget C (--preset NAME | --fit fit.json) [options]
       scaleladder plan FILE --approach 1|2|3|data-constrained [options]

Compute-optimal model size N, tokens D and loss for a budget C = 6·N·D: the Chinchilla closed form
for the chinchilla law, numerical optimisation along the iso-FLOP line for any other law.

${flagHelp(MODEL_FLAGS, 24)}

From data (FILE with params, tokens or flops, loss; column flags as in \`scaleladder fit\`):
${flagHelp(DATA_FLAGS, 24)}
${flagHelp(READ_FLAGS, 24)}
`;

/** The model named by --preset or --fit. */
async function modelFromFlags(values: PlanValues): Promise<PlanModel | FitModel> {
  const preset = values.preset;
  const file = values.fit;
  if (preset && file)
    throw new InputError("give either --preset or --fit, not both", { field: "--preset" });
  if (preset) return getPreset(preset);
  if (!file)
    throw new InputError("no law to plan with", {
      field: "scaleladder plan",
      hint: "add --preset hoffmann or --fit fit.json",
    });
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    throw new InputError(`cannot read fit JSON (${(e as Error).message.split("\n")[0]})`, {
      file,
      hint: "write it with scaleladder fit --json",
    });
  }
  const m = modelFromFitJson(json, file);
  const runs = values.runs;
  if (m.replicates.length > 0 || !m.bootstrap || !runs) return m;
  // Loaded lazily: only this path (and --approach) reads run files.
  const { fitDataOf, loadPlanRows } = await import("./plan-data.js");
  const data = fitDataOf(await loadPlanRows(values, [runs]));
  const workers = numberFlag(values, "workers", { integer: true, min: 1 });
  return { ...m, replicates: await replicatesByRefit(m, json, data, { source: runs, workers }) };
}

export const planCommand: Command = {
  summary: "compute-optimal model size, tokens and loss for a budget",
  flags: PLAN_OPTIONS,
  async run(argv, io) {
    const { values, positionals } = parseFlags("plan", argv, PLAN_OPTIONS);
    if (values.help) {
      io.out(HELP);
      return 0;
    }
    const hw = hardwareFromFlags(values);
    const budget = budgetFromFlags(values, hw);
    if (values.approach !== undefined || positionals.length > 0) {
      return (await import("./plan-approaches.js")).runApproach(values, positionals, budget, io);
    }

    const m = await modelFromFlags(values);
    const target = numberFlag(values, "target-loss", { positive: true });
    const U = numberFlag(values, "unique-tokens", { positive: true });
    const T = numberFlag(values, "inference-tokens", { min: 0 });
    if (budget === undefined && target === undefined) {
      throw new InputError("no budget", {
        field: "scaleladder plan",
        hint: "add --budget 1e23 (or --gpus K --days T --gpu NAME), or --target-loss L",
      });
    }
    const out: Record<string, unknown> = {};
    const text: string[] = [`law        ${m.name}: ${m.law.formula}  (${m.reference})`];
    if (budget !== undefined) {
      const fm = m as Partial<FitModel>;
      const a = allocationWithIntervals(m, fm.replicates ?? [], budget, fm.level ?? 0.95, U);
      Object.assign(out, {
        params: a.params,
        tokens: a.tokens,
        loss: a.loss,
        flops: a.flops,
        tokensPerParam: a.tokensPerParam,
        method: a.method,
        ...(a.intervals
          ? { intervals: a.intervals, replicates: a.replicatesUsed, level: fm.level }
          : {}),
        units: computeUnits(budget, hw),
      });
      if (a.warning) out.warnings = [a.warning];
      if (fm.bootstrap && !a.intervals) {
        out.warnings = [
          ...((out.warnings as string[]) ?? []),
          "the fit has a bootstrap but the JSON holds no replicates: add --runs FILE for intervals",
        ];
      }
      const iv = (k: "params" | "tokens" | "loss") =>
        a.intervals ? `  [${fmt(a.intervals[k][0])}, ${fmt(a.intervals[k][1])}]` : "";
      text.push(
        ...unitsText(budget, hw),
        `optimal    (${a.method})${a.intervals ? `  ${Math.round((fm.level ?? 0.95) * 100)}% bootstrap intervals over ${a.replicatesUsed} replicates` : ""}`,
        `  N        ${fmt(a.params)}${iv("params")}`,
        `  D        ${fmt(a.tokens)}${iv("tokens")}`,
        `  D/N      ${fmt(a.tokensPerParam)}`,
        `  loss     ${fmt(a.loss, 5)}${iv("loss")}`,
        ...((out.warnings as string[] | undefined) ?? []).map((w) => `warning: ${w}`),
      );
    }
    if (target !== undefined) {
      const t = computeForLoss(m, target);
      out.targetLoss = t;
      text.push(
        `target     loss ${target}: C = ${fmt(t.flops)} FLOPs (${fmt(computeUnits(t.flops).pfDays)} PF-days), N = ${fmt(t.params)}, D = ${fmt(t.tokens)}`,
      );
    }
    if (values.compare && budget !== undefined) {
      const rows = compareScalingRules(m, budget);
      out.compare = rows;
      text.push(
        "",
        "budget      Kaplan rule (N ∝ C^0.73)           Chinchilla rule (law optimum)",
        "            N          D          loss     N          D          loss",
      );
      for (const r of rows) {
        const cell = (x: { params: number; tokens: number; loss: number }) =>
          `${fmt(x.params).padEnd(10)} ${fmt(x.tokens).padEnd(10)} ${fmt(x.loss, 5).padEnd(8)}`;
        text.push(`×${String(r.factor).padEnd(10)} ${cell(r.kaplan)} ${cell(r.chinchilla)}`);
      }
    }
    if (U !== undefined && budget !== undefined) {
      const p = dataConstrainedPlan(m, budget, U);
      out.dataConstrained = p;
      text.push(
        "",
        `data       ${fmt(U)} unique tokens: N = ${fmt(p.constrained.params)}, D = ${fmt(p.constrained.tokens)} (${fmt(p.constrained.epochs)} epochs), loss ${fmt(p.constrained.loss, 5)}`,
        `           unlimited data would give N = ${fmt(p.unconstrained.params)}, D = ${fmt(p.unconstrained.tokens)}, loss ${fmt(p.unconstrained.loss, 5)}; that allocation on U gives ${fmt(p.naive.loss, 5)}`,
      );
    }
    if (T !== undefined && budget !== undefined) {
      const p = inferenceAwarePlan(m, budget, T);
      out.inference = p;
      text.push(
        "",
        `inference  ${fmt(T)} tokens served, same loss ${fmt(p.trainingOptimal.loss, 5)}:`,
        `           training-optimal N = ${fmt(p.trainingOptimal.params)}, D = ${fmt(p.trainingOptimal.tokens)}, total ${fmt(p.trainingOptimal.totalFlops)} FLOPs`,
        `           inference-aware  N = ${fmt(p.inferenceAware.params)}, D = ${fmt(p.inferenceAware.tokens)}, total ${fmt(p.inferenceAware.totalFlops)} FLOPs`,
        `           ${fmt(p.paramsRatio)}× the size, ${fmt(p.tokensRatio)}× the tokens, ${(p.savings * 100).toFixed(1)}% less total compute`,
      );
    }
    io.out(values.json ? toJson(out) : `${text.join("\n")}\n`);
    return 0;
  },
};
