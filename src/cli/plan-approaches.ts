import { parseSize } from "../data/size.js";
import { InputError } from "../errors.js";
import { fitWithUncertainty } from "../estimate/uncertainty.js";
import { MUENNIGHOFF_PUBLISHED } from "../laws/data-constrained.js";
import { approach1 } from "../plan/approach1.js";
import { approach2 } from "../plan/approach2.js";
import { approach3 } from "../plan/approach3.js";
import { clusterFlops, groupByBudgetColumn, snapToBudgets } from "../plan/budgets.js";
import { dataConstrainedPlan } from "../plan/data-constrained.js";
import { allocationWithIntervals } from "../plan/from-fit.js";
import { fmt } from "../report/fit.js";
import { fitFigure } from "../report/plots/fit-figure.js";
import { plotSpec, type Spec } from "../report/plots/index.js";
import { numberFlag } from "./args.js";
import { type Io, toJson } from "./io.js";
import { inFlagText } from "./option-flags.js";
import { budgetColumn, dataConstrainedFitData, fitDataOf, loadPlanRows } from "./plan-data.js";
import type { PlanValues } from "./plan-flags.js";
import { maybePlot } from "./plot-output.js";

/** `plan FILE --approach …`: Chinchilla's approaches 1–3 or the data-constrained fit, from data. */
export async function runApproach(
  values: PlanValues,
  positionals: string[],
  budget: number | undefined,
  io: Io,
): Promise<number> {
  const approach = String(values.approach ?? "");
  if (values.approach === undefined) {
    throw new InputError("a file needs --approach 1, 2, 3 or data-constrained", {
      field: "scaleladder plan",
      hint: "add --approach 3 to fit the Chinchilla law and allocate the budget; or plan without a file from --preset NAME or --fit fit.json",
    });
  }
  if (!["1", "2", "3", "data-constrained"].includes(approach)) {
    throw new InputError(`must be 1, 2, 3 or data-constrained, got "${approach}"`, {
      field: "--approach",
    });
  }
  // Flags this approach would ignore are refused, before any file is read.
  const unused =
    budget !== undefined &&
    (approach === "1" ||
      approach === "2" ||
      (approach === "data-constrained" && values["unique-tokens"] === undefined));
  if (unused) {
    throw new InputError(
      `a budget does nothing with --approach ${approach}${approach === "data-constrained" ? " without --unique-tokens" : ""}`,
      {
        field: "--budget",
        hint:
          approach === "data-constrained"
            ? "add --unique-tokens U to plan under a data limit, or drop the budget"
            : "--approach 3 (or --preset) allocates a budget; drop it here",
      },
    );
  }
  const resamples = numberFlag(values, "bootstrap", { integer: true, min: 0, max: 1e6 }) ?? 0;
  const seed = numberFlag(values, "seed", { integer: true, min: 0 }) ?? 0;
  const level = numberFlag(values, "level", { min: 0.5, max: 0.999 }) ?? 0.95;
  // Flags that would do nothing are refused rather than silently ignored (as fit's are).
  if (approach === "1" && resamples > 0) {
    throw new InputError("--bootstrap does nothing with --approach 1", {
      field: "--bootstrap",
      hint: "the lower envelope has no intervals here; use --approach 2 or 3 for them",
    });
  }
  const idle = (["level", "seed", "workers"] as const).find((k) => values[k] !== undefined);
  if (resamples === 0 && idle) {
    throw new InputError(`--${idle} does nothing without --bootstrap K`, {
      field: `--${idle}`,
      hint: `add --bootstrap 1000 for intervals, or drop --${idle}`,
    });
  }
  const p = await loadPlanRows(values, positionals);
  const data = approach === "data-constrained" ? dataConstrainedFitData(p) : fitDataOf(p);
  const source = { file: p.file, rows: p.rows.length, filters: p.filters };
  const lines = [
    `data       ${p.file}: ${p.rows.length} rows${p.filters.length ? `, ${p.filters.join("; ")}` : ""}`,
  ];
  const out: Record<string, unknown> = { approach, data: source };
  if (values.plot !== undefined && approach === "1") {
    throw new InputError("--plot draws approaches 2, 3 and data-constrained, not 1", {
      field: "--plot",
      hint: "use --approach 2 (IsoFLOP profiles) or 3 (contours of the fitted law)",
    });
  }
  let figure: () => Spec = () => ({});

  if (approach === "1") {
    const r = approach1({
      run: data.run ?? new Int32Array(0),
      params: data.params,
      flops: data.flops,
      loss: data.loss,
    });
    Object.assign(out, {
      exponentN: r.exponentN,
      exponentD: r.exponentD,
      edgePoints: r.edgePoints,
      envelope: r.envelope,
    });
    lines.push(
      `approach 1 (lower envelope, ${r.envelope.flops.length} points, ${r.edgePoints} won by the smallest/largest run left out)`,
      `  N_opt ∝ C^${fmt(r.exponentN)}   D_opt ∝ C^${fmt(r.exponentD)}   (Hoffmann et al. 2022: 0.50, 0.50)`,
    );
  }
  if (approach === "2") {
    const grouping = values["budget-col"]
      ? groupByBudgetColumn(budgetColumn(p, values["budget-col"] ?? ""))
      : values.budgets
        ? snapToBudgets(data.flops, String(values.budgets).split(",").map(parseSize))
        : clusterFlops(data.flops, {
            bandwidth: numberFlag(values, "bandwidth", { positive: true }),
            minSize: numberFlag(values, "min-group", { integer: true, min: 3 }),
          });
    const r = approach2(data, grouping, { resamples, seed, level });
    figure = () => plotSpec("isoflop", { data, grouping, result: r });
    const a3 = approach3(data);
    Object.assign(out, {
      ...r,
      approach3: {
        exponentN: a3.exponentN,
        exponentD: a3.exponentD,
        params: a3.fit.params,
        status: a3.fit.status,
      },
    });
    const iv = r.interval
      ? `  ${Math.round(level * 100)}% bootstrap [${fmt(r.interval.exponentN[0])}, ${fmt(r.interval.exponentN[1])}] (${r.bootstrap?.succeeded}/${resamples})`
      : "";
    lines.push(
      `approach 2 (IsoFLOP profiles; groups by ${r.grouping})`,
      "  budget      runs  N_opt       loss",
      ...r.profiles.map(
        (q) =>
          `  ${fmt(q.flops).padEnd(11)} ${String(q.n).padEnd(5)} ${fmt(q.params).padEnd(11)} ${fmt(q.loss, 5)}${q.used ? "" : `  (left out: ${q.reason})`}`,
      ),
      `  N_opt ∝ C^${fmt(r.exponentN)}${iv}   D_opt ∝ C^${fmt(r.exponentD)}   (Hoffmann et al. 2022: 0.49 [0.462, 0.534])`,
      `approach 3 (Chinchilla law fitted to the same rows, ${a3.fit.status}): N_opt ∝ C^${fmt(a3.exponentN)}, D_opt ∝ C^${fmt(a3.exponentD)}`,
      ...r.warnings.map((w) => `warning: ${inFlagText(w)}`),
    );
  }
  if (approach === "3") {
    const u = await fitWithUncertainty(
      data,
      { law: "chinchilla" },
      { resamples, seed, level, workers: numberFlag(values, "workers", { integer: true, min: 1 }) },
    );
    const a3 = approach3(data);
    figure = () => plotSpec("contours", { model: a3.model, runs: data, budget });
    Object.assign(out, {
      exponentN: a3.exponentN,
      exponentD: a3.exponentD,
      fit: { params: a3.fit.params, status: a3.fit.status },
    });
    lines.push(
      `approach 3 (${a3.fit.status}): E ${fmt(a3.fit.params.E)}, A ${fmt(a3.fit.params.A)}, B ${fmt(a3.fit.params.B)}, α ${fmt(a3.fit.params.alpha)}, β ${fmt(a3.fit.params.beta)}`,
      `  N_opt ∝ C^${fmt(a3.exponentN)}   D_opt ∝ C^${fmt(a3.exponentD)}`,
    );
    if (budget !== undefined) {
      const reps = u.replicates.flatMap((r) => (r.theta ? [r.theta] : []));
      const a = allocationWithIntervals(a3.model, reps, budget, level);
      Object.assign(out, {
        params: a.params,
        tokens: a.tokens,
        loss: a.loss,
        flops: a.flops,
        intervals: a.intervals,
      });
      lines.push(
        `  at C = ${fmt(budget)}: N = ${fmt(a.params)}, D = ${fmt(a.tokens)}, loss ${fmt(a.loss, 5)}${a.intervals ? ` (N ${Math.round(level * 100)}% [${fmt(a.intervals.params[0])}, ${fmt(a.intervals.params[1])}])` : ""}`,
      );
    }
  }
  if (approach === "data-constrained") {
    const u = await fitWithUncertainty(
      data,
      { law: "data-constrained" },
      { resamples, seed, level, workers: numberFlag(values, "workers", { integer: true, min: 1 }) },
    );
    const f = u.fit;
    figure = () => fitFigure("fit", data, u, undefined, p.file);
    Object.assign(out, {
      law: "data-constrained",
      params: f.params,
      status: f.status,
      statusMessage: f.statusMessage,
      intervals: u.intervals,
      published: { RDstar: MUENNIGHOFF_PUBLISHED.RDstar, RNstar: MUENNIGHOFF_PUBLISHED.RNstar },
    });
    const iv = (k: string) =>
      u.intervals[k] ? ` [${fmt(u.intervals[k][0])}, ${fmt(u.intervals[k][1])}]` : "";
    lines.push(
      `data-constrained law (${f.status}${f.statusMessage ? `: ${f.statusMessage}` : ""})`,
      ...f.law.params.map(
        (q) => `  ${q.name.padEnd(8)} ${fmt(f.params[q.name]).padStart(11)}${iv(q.name)}`,
      ),
      `  R*_D = ${fmt(f.params.RDstar)} (published ${MUENNIGHOFF_PUBLISHED.RDstar.toFixed(1)}), R*_N = ${fmt(f.params.RNstar)} (published ${MUENNIGHOFF_PUBLISHED.RNstar.toFixed(1)}); Muennighoff et al. 2023, App. A`,
    );
    const U = numberFlag(values, "unique-tokens", { positive: true });
    if (budget !== undefined && U !== undefined) {
      const plan = dataConstrainedPlan(
        { name: "fit", law: f.law, theta: f.theta, reference: p.file },
        budget,
        U,
      );
      out.plan = plan;
      lines.push(
        `  at C = ${fmt(budget)} with U = ${fmt(U)}: N = ${fmt(plan.constrained.params)}, D = ${fmt(plan.constrained.tokens)} (${fmt(plan.constrained.epochs)} epochs), loss ${fmt(plan.constrained.loss, 5)}`,
      );
    }
  }
  io.out(values.json ? toJson(out) : `${lines.join("\n")}\n`);
  await maybePlot(values, figure, io);
  return 0;
}
