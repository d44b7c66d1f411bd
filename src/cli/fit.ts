import { InputError } from "../errors.js";
import { fitWithUncertainty } from "../estimate/uncertainty.js";
import { fitQuality, residuals } from "../fit/quality.js";
import type { FitData, FitResult } from "../fit/types.js";
import { fitJson, fitText } from "../report/fit.js";
import type { Command } from "./command.js";
import { FIT_FLAGS, FIT_HELP, fitOptionsFromFlags } from "./fit-flags.js";
import { bool, flagHelp, parseFlags } from "./flags.js";
import { toJson } from "./io.js";
import { maybePlot, PLOT_FLAGS, PLOT_HELP } from "./plot-output.js";
import {
  EARLY_CUT_FLAGS,
  EARLY_CUT_HELP,
  fitInput,
  RUNS_FLAGS,
  RUNS_HELP,
  readRuns,
  runFilters,
} from "./runs-input.js";

const FIT_OUTPUT_FLAGS = {
  residuals: bool(`with --json: each row's params, tokens, loss, fitted value and relative
residual (L − L̂)/L`),
} as const;

const HELP = `usage: scaleladder fit FILE [options]

Fits a scaling law to the runs in FILE (CSV, TSV, JSON, JSONL or Parquet with params, tokens,
loss; optional flops, family, model, seed, step) and prints the parameters, the objective and
whether the fit converged.

It also prints how well the law describes the rows: mean and largest |L − L̂|/L and the RMSE of
log loss.

${flagHelp(FIT_OUTPUT_FLAGS)}
${FIT_HELP}
${EARLY_CUT_HELP}
${PLOT_HELP}
${RUNS_HELP}
`;

const FLAGS = {
  ...FIT_OUTPUT_FLAGS,
  ...FIT_FLAGS,
  ...PLOT_FLAGS,
  ...RUNS_FLAGS,
  ...EARLY_CUT_FLAGS,
};

export const fitCommand: Command = {
  flags: FLAGS,
  async run(argv, io) {
    const { values, positionals } = parseFlags("fit", argv, FLAGS);
    if (values.help) {
      io.out(HELP);
      return 0;
    }
    if (values.residuals && !values.json) {
      throw new InputError("--residuals needs --json", {
        field: "--residuals",
        hint: "add --json (the text output prints the summary line only)",
      });
    }
    const opts = fitOptionsFromFlags(values);
    const { data, record, note } = fitInput(
      await readRuns(values, positionals, "fit", io),
      runFilters(values),
      { values },
    );
    const u = await fitWithUncertainty(
      data,
      { ...opts.fit, now: () => performance.now() },
      opts.uncertainty,
    );
    const quality = fitQuality(u.fit, data);
    if (!values.json) {
      io.out(fitText(u, record, quality));
    } else {
      const rows = values.residuals ? residualRows(u.fit, data) : undefined;
      io.out(
        toJson({
          ...fitJson(u, record, !values["no-timing"]),
          quality,
          ...(rows ? { residuals: rows } : {}),
        }),
      );
    }
    await maybePlot(
      values,
      async () =>
        (await import("../report/plots/fit-figure.js")).fitFigure(
          "fit",
          data,
          u,
          undefined,
          record.source,
        ),
      io,
    );
    if (note) io.err(note);
    return 0;
  },
};

/** Per-row fitted values and residuals for `fit --json --residuals`. */
function residualRows(fit: FitResult, data: FitData) {
  const r = residuals(fit, data);
  return Array.from(r.fitted, (fitted, i) => ({
    params: data.params[i],
    tokens: data.tokens[i],
    loss: data.loss[i],
    fitted,
    residual: r.residual[i],
  }));
}
