import { fitWithUncertainty } from "../estimate/uncertainty.js";
import { fitJson, fitText } from "../report/fit.js";
import type { Command } from "./command.js";
import { FIT_FLAGS, FIT_HELP, fitOptionsFromFlags } from "./fit-flags.js";
import { parseFlags } from "./flags.js";
import { toJson } from "./io.js";
import { fitInput, RUNS_FLAGS, RUNS_HELP, readRuns, runFilters } from "./runs-input.js";

const HELP = `usage: scaleladder fit FILE [options]

Fits a scaling law to the runs in FILE (CSV, TSV, JSON, JSONL or Parquet with params, tokens,
loss; optional flops, family, model, seed, step) and prints the parameters, the objective and
whether the fit converged.

${FIT_HELP}
${RUNS_HELP}
`;

const FLAGS = { ...FIT_FLAGS, ...RUNS_FLAGS };

export const fitCommand: Command = {
  summary: "fit a scaling law to runs and report its parameters",
  flags: FLAGS,
  async run(argv, io) {
    const { values, positionals } = parseFlags("fit", argv, FLAGS);
    if (values.help) {
      io.out(HELP);
      return 0;
    }
    const opts = fitOptionsFromFlags(values);
    const { data, record } = fitInput(
      await readRuns(values, positionals, "fit", io),
      runFilters(values),
    );
    const u = await fitWithUncertainty(
      data,
      { ...opts.fit, now: () => performance.now() },
      opts.uncertainty,
    );
    io.out(values.json ? toJson(fitJson(u, record, !values["no-timing"])) : fitText(u, record));
    return 0;
  },
};
