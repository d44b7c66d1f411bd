import { type FitWithUncertainty, predictWithInterval } from "../estimate/uncertainty.js";
import type { FitData } from "../fit/types.js";
import { extent } from "../math/stats.js";
import { allocationWithIntervals, fittedPlanModel } from "../plan/from-fit.js";
import type { ReportInput } from "./document.js";
import type { DataRecord } from "./fit.js";
import type { PlotTarget } from "./plots/fit.js";
import { fitFigure } from "./plots/fit-figure.js";
import { plotSpec } from "./plots/index.js";

/** What a report is made from; {@link assembleReport} turns it into a {@link ReportInput}. */
export interface ReportRequest {
  /** The rows fitted. */
  readonly data: FitData;
  readonly fit: FitWithUncertainty;
  /** How the rows are described: source, counts, filters, what N is. */
  readonly record: DataRecord;
  /** The family reported on, when the report is about one. */
  readonly family?: string;
  /** A target to forecast; `actual` holds a held-out model's rows. */
  readonly target?: PlotTarget;
  /** FLOPs to plan for; planned only when the fitted law allocates compute (see `planable`). */
  readonly budget?: number;
  /** The command or page settings that made the report, for reproduction. */
  readonly command: string;
  readonly version: string;
}

/**
 * Everything a report shows, the same from the CLI and the page: the data summary, the fit, the
 * forecast at the target, the plan for the budget, and the figures (fit, residuals, loss against
 * compute; iso-loss contours when the law allocates compute; the bootstrap's parameters when it
 * has at least two replicates).
 */
export function assembleReport(r: ReportRequest): ReportInput {
  const { data, fit: u, target, budget } = r;
  const replicates = u.replicates.flatMap((x) => (x.theta ? [x.theta] : []));
  const level = u.bootstrap?.level ?? 0.95;
  const source = r.record.source;
  const { model, planable } = fittedPlanModel(u.fit, source);
  const file = source.split(/[\\/]/).pop() ?? source;
  const figure = (name: string, caption: string, spec: ReportInput["figures"][number]["spec"]) => ({
    name,
    caption,
    spec,
  });
  const figures = [
    figure(
      "fit",
      "Loss against tokens per run with the fitted law",
      fitFigure("fit", data, u, target, source),
    ),
    figure(
      "residuals",
      "Relative residuals of the fit",
      fitFigure("residuals", data, u, undefined, source),
    ),
    figure(
      "compute",
      "Loss against compute with the law's compute-optimal frontier",
      fitFigure("compute", data, u, target),
    ),
    ...(planable
      ? [
          figure(
            "contours",
            "Iso-loss contours of the fitted law with the efficient frontier",
            plotSpec("contours", { model, runs: data, budget }),
          ),
        ]
      : []),
    ...(replicates.length >= 2
      ? [
          figure(
            "bootstrap",
            "Fitted parameters across bootstrap resamples",
            fitFigure("bootstrap", data, u),
          ),
        ]
      : []),
  ];
  const held = target?.actual;
  return {
    title: `Scaling-law report: ${u.fit.law.name} law on ${file}${r.family ? ` (${r.family})` : ""}`,
    data: {
      ...r.record,
      ranges: { params: extent(data.params), tokens: extent(data.tokens), loss: extent(data.loss) },
    },
    fit: u,
    target: target && {
      params: target.params,
      tokens: target.tokens,
      actual: held && held.loss.length > 0 ? held.loss[held.loss.length - 1] : undefined,
      estimate: predictWithInterval(u, {
        params: target.params,
        tokens: target.tokens,
        flops: 6 * target.params * target.tokens,
      }),
    },
    plan:
      budget !== undefined && planable
        ? allocationWithIntervals(model, replicates, budget, level)
        : undefined,
    figures,
    command: r.command,
    version: r.version,
  };
}
