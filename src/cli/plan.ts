import { readFileSync } from "node:fs";
import { InputError } from "../errors.js";
import { fitWithUncertainty } from "../estimate/uncertainty.js";
import { computeForLoss } from "../plan/allocation.js";
import { compareScalingRules } from "../plan/compare.js";
import { dataConstrainedPlan } from "../plan/data-constrained.js";
import { allocationWithIntervals, type FitModel, modelFromFitJson } from "../plan/from-fit.js";
import { inferenceAwarePlan } from "../plan/inference.js";
import type { PlanModel } from "../plan/model.js";
import { getPreset } from "../plan/presets.js";
import { computeUnits } from "../plan/units.js";
import { fmt } from "../report/fit.js";
import { plotSpec } from "../report/plots/index.js";
import { formatCount } from "../report/units.js";
import { numberFlag, parseFlags } from "./args.js";
import {
  BUDGET_OPTIONS,
  budgetFromFlags,
  currencyFromFlags,
  hardwareFromFlags,
  hardwareJson,
  unitsText,
} from "./flops.js";
import { toJson } from "./io.js";
import type { Command } from "./main.js";
import { maybePlot, PLOT_OPTIONS } from "./plot-output.js";
import { RUNS_OPTIONS } from "./runs-input.js";

const HELP = `usage: scaleladder plan --budget C (--preset NAME | --fit fit.json) [options]
       scaleladder plan FILE --approach 1|2|3|data-constrained [options]

Compute-optimal model size N, tokens D and loss for a budget C = 6·N·D: the Chinchilla closed form
for the chinchilla law, numerical optimisation along the iso-FLOP line for any other law.

  --budget C              budget in FLOPs (or --gpus K --days T --gpu NAME [--mfu U])
  --preset NAME           hoffmann (Hoffmann et al. 2022), epoch (Besiroglu et al. 2024),
                          kaplan (Kaplan et al. 2020: N ∝ C^0.73), muennighoff (data-constrained)
  --fit FILE              the JSON of \`scaleladder fit --json\`; with bootstrap, intervals need the
                          replicates: give the fitted runs with --runs FILE (and its column flags)
  --target-loss L         the least compute that reaches loss L, with its N and D
  --compare               Kaplan's vs Chinchilla's rule at budgets ×1, ×10, ×100, ×1000
  --unique-tokens U       data-constrained plan: best epochs and size with U unique tokens
  --inference-tokens T    inference-aware plan: minimise 6ND + 2N·T at equal loss (Sardana et al. 2024)
  --json                  print one JSON object
  --plot FILE             also write the figure (.svg, .png, .vl.json, .html): iso-loss contours
                          of the law; with --approach 2 the IsoFLOP profiles

From data (FILE with params, tokens or flops, loss; column flags as in \`scaleladder fit\`):
  --approach 1            lower envelope of training curves → N_opt, D_opt power laws
  --approach 2            IsoFLOP parabolas per budget → power laws (prints Approach 3 beside it)
  --approach 3            fit the Chinchilla law, then the closed form
  --approach data-constrained   fit Muennighoff et al.'s law (needs unique tokens: a unique_tokens
                          column, --unique-tokens-col NAME, or a store that has them)
  --budget-col NAME       group Approach 2 by this column (default: automatic clustering of FLOPs)
  --budgets C1,C2,...     group Approach 2 by these nominal budgets (±0.05 decades)
  --bandwidth W           clustering bandwidth in decades of FLOPs (default 0.03)
  --unique-tokens-col NAME  column of unique tokens (default unique_tokens)
  --drop-highest K        drop the K highest-loss rows first (Besiroglu et al. 2024 drop 5)
  --bootstrap K --seed S --level P   percentile intervals (default 0 resamples)
`;

export const PLAN_OPTIONS = {
  ...BUDGET_OPTIONS,
  ...RUNS_OPTIONS,
  ...PLOT_OPTIONS,
  preset: { type: "string" },
  fit: { type: "string" },
  runs: { type: "string" },
  "target-loss": { type: "string" },
  compare: { type: "boolean" },
  "unique-tokens": { type: "string" },
  "inference-tokens": { type: "string" },
  approach: { type: "string" },
  "budget-col": { type: "string" },
  budgets: { type: "string" },
  bandwidth: { type: "string" },
  "min-group": { type: "string" },
  "drop-highest": { type: "string" },
  bootstrap: { type: "string" },
  seed: { type: "string" },
  level: { type: "string" },
  workers: { type: "string" },
  json: { type: "boolean" },
} as const;

/** The model named by --preset or --fit. */
export async function modelFromFlags(
  values: Record<string, unknown>,
): Promise<PlanModel | FitModel> {
  const preset = values.preset as string | undefined;
  const file = values.fit as string | undefined;
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
  if (m.replicates.length > 0 || !m.bootstrap || !values.runs) return m;
  return { ...m, replicates: await replicatesByRefit(m, json as Record<string, unknown>, values) };
}

/**
 * The fit JSON records its bootstrap settings but not the replicates: refit the same runs with the
 * same settings and seed (the bootstrap is deterministic), check the point fit agrees, and return
 * the replicates' parameters.
 */
async function replicatesByRefit(
  m: FitModel,
  json: Record<string, unknown>,
  values: Record<string, unknown>,
): Promise<Float64Array[]> {
  const s = (json.settings ?? {}) as Record<string, unknown>;
  // Loaded lazily: only this path (and --approach) reads run files.
  const { fitDataOf, loadPlanRows } = await import("./plan-data.js");
  const rows = await loadPlanRows({ ...values, "drop-highest": values["drop-highest"] }, [
    values.runs as string,
  ]);
  const os = (s.objectiveSettings ?? {}) as Record<string, number>;
  const u = await fitWithUncertainty(
    fitDataOf(rows),
    {
      law: m.law.name,
      objective: s.objective as string | undefined,
      delta: os.delta,
      overWeight: os.overWeight,
      fix: (s.fixed ?? {}) as Record<string, number>,
      optimizer: s.optimizer as string | undefined,
      starts: s.starts as "vp-grid" | undefined,
    },
    {
      resamples: m.bootstrap?.resamples,
      seed: m.bootstrap?.seed,
      level: m.bootstrap?.level,
      workers: numberFlag(values, "workers", { integer: true, min: 1 }),
    },
  );
  m.law.params.forEach((p, j) => {
    if (Math.abs(u.fit.theta[j] - m.theta[j]) > 1e-6 * Math.abs(m.theta[j])) {
      throw new InputError(
        `refitting ${values.runs} gives ${p.name} = ${u.fit.theta[j]}, not the fit's ${m.theta[j]}`,
        {
          field: "--runs",
          hint: "give the runs the fit was made on, with the same column and filter flags",
        },
      );
    }
  });
  return u.replicates.flatMap((r) => (r.theta ? [r.theta] : []));
}

export const planCommand: Command = {
  summary: "compute-optimal model size, tokens and loss for a budget",
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
    const out: Record<string, unknown> = {};
    const text: string[] = [`law        ${m.name}: ${m.law.formula}  (${m.reference})`];
    if (m.note) {
      text.push(`note       ${m.note}`);
      out.note = m.note;
    }
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
        ...hardwareJson(hw, currency),
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
        ...unitsText(budget, hw, currency),
        `optimal    (${a.method})${a.intervals ? `  ${Math.round((fm.level ?? 0.95) * 100)}% bootstrap intervals over ${a.replicatesUsed} replicates` : ""}`,
        `  N        ${formatCount(a.params, "params")} (${fmt(a.params)})${iv("params")}`,
        `  D        ${formatCount(a.tokens, "tokens")} (${fmt(a.tokens)})${iv("tokens")}`,
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
    await maybePlot(values, () => plotSpec("contours", { model: m, budget }), io);
    return 0;
  },
};
