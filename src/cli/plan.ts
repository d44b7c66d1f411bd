import { readFileSync } from "node:fs";
import { InputError } from "../errors.js";
import { planBudget } from "../plan/budget-plan.js";
import { type FitModel, modelFromFitJson } from "../plan/from-fit.js";
import type { PlanModel } from "../plan/model.js";
import { getPreset } from "../plan/presets.js";
import { replicatesByRefit } from "../plan/refit.js";
import { planJson, planText } from "../report/plan.js";
import { plotSpec } from "../report/plots/index.js";
import { numberFlag } from "./args.js";
import type { Command } from "./command.js";
import { flagHelp, parseFlags } from "./flags.js";
import { budgetFromFlags, currencyFromFlags, hardwareFromFlags } from "./flops.js";
import { toJson } from "./io.js";
import {
  DATA_FLAGS,
  MODEL_FLAGS,
  PLAN_OPTIONS,
  type PlanValues,
  READ_FLAGS,
} from "./plan-flags.js";
import { maybePlot } from "./plot-output.js";

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
export async function modelFromFlags(values: PlanValues): Promise<PlanModel | FitModel> {
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
  flags: PLAN_OPTIONS,
  async run(argv, io) {
    const { values, positionals } = parseFlags("plan", argv, PLAN_OPTIONS);
    if (values.help) {
      io.out(HELP);
      return 0;
    }
    const hw = hardwareFromFlags(values);
    const currency = currencyFromFlags(values, hw);
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
    const plan = planBudget(m, {
      budget,
      hardware: hw,
      targetLoss: target,
      compare: values.compare,
      uniqueTokens: U,
      inferenceTokens: T,
      currency,
    });
    const fm = m as Partial<FitModel>;
    const p =
      fm.bootstrap && plan.allocation && !plan.allocation.intervals
        ? {
            ...plan,
            warnings: [
              ...plan.warnings,
              "the fit has a bootstrap but the JSON holds no replicates: add --runs FILE for intervals",
            ],
          }
        : plan;
    io.out(values.json ? toJson(planJson(p)) : planText(p));
    await maybePlot(values, () => plotSpec("contours", { model: m, budget }), io);
    return 0;
  },
};
