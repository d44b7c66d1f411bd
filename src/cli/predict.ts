import { InputError } from "../errors.js";
import { predict } from "../estimate/predict.js";
import { getLaw } from "../laws/index.js";
import { fitJson, fitText, fmt } from "../report/fit.js";
import { numberFlag } from "./args.js";
import type { Command } from "./command.js";
import { FIT_FLAGS, FIT_HELP, fitOptionsFromFlags } from "./fit-flags.js";
import { flagHelp, parseFlags, str } from "./flags.js";
import { toJson } from "./io.js";
import { fitInput, RUNS_FLAGS, RUNS_HELP, readRuns, runFilters } from "./runs-input.js";

const TARGET_FLAGS = {
  params: str("N", "target model size"),
  tokens: str("D", "target training tokens"),
  flops: str("C", "target compute (default 6·N·D)"),
} as const;

const FLAGS = { ...FIT_FLAGS, ...RUNS_FLAGS, ...TARGET_FLAGS };

const HELP = `usage: scaleladder predict FILE --params N --tokens D [options]

Fits a law to the runs in FILE, then predicts the loss of a model with N parameters trained on D
tokens (sizes take suffixes: 125M, 70B, 1.4T). With --bootstrap K, prints a percentile interval.

${flagHelp(TARGET_FLAGS)}
${FIT_HELP}
${RUNS_HELP}
`;

export const predictCommand: Command = {
  summary: "predict a target model's loss, with a bootstrap interval",
  flags: FLAGS,
  async run(argv, io) {
    const { values, positionals } = parseFlags("predict", argv, FLAGS);
    if (values.help) {
      io.out(HELP);
      return 0;
    }
    const opts = fitOptionsFromFlags(values);
    const N = numberFlag(values, "params", { positive: true });
    const D = numberFlag(values, "tokens", { positive: true });
    const C = numberFlag(values, "flops", { positive: true });
    if (N === undefined && D === undefined && C === undefined) {
      throw new InputError("nothing to predict", {
        field: "scaleladder predict",
        hint: "give --params N --tokens D, e.g. --params 70B --tokens 1.4T",
      });
    }
    const at = {
      params: N,
      tokens: D,
      flops: C ?? (N !== undefined && D !== undefined ? 6 * N * D : undefined),
    };
    // Checked before reading and fitting: a bootstrap can take seconds.
    const law = getLaw(String(opts.fit.law), { column: opts.fit.column });
    for (const col of law.inputs) {
      if (at[col] === undefined) {
        throw new InputError(`law ${law.name} needs --${col}`, {
          field: `--${col}`,
          hint: `add --${col} VALUE`,
        });
      }
    }
    const { data, record } = fitInput(
      await readRuns(values, positionals, "predict", io),
      runFilters(values),
    );
    const p = await predict(
      data,
      at,
      { ...opts.fit, now: () => performance.now() },
      opts.uncertainty,
    );
    const u = p.fit;
    if (values.json) {
      io.out(
        toJson({
          prediction: { loss: p.value, interval: p.interval, at },
          fit: fitJson(u, record, !values["no-timing"]),
        }),
      );
    } else {
      io.out(fitText(u, record));
      // Only what the user gave (a compute law may have neither N nor D).
      const where = [
        ["N", N],
        ["D", D],
        ["C", C],
      ]
        .flatMap(([k, v]) => (v === undefined ? [] : [`${k}=${fmt(v as number)}`]))
        .join(", ");
      const iv = p.interval
        ? `  ${Math.round((u.bootstrap?.level ?? 0.95) * 100)}% interval [${fmt(p.interval[0])}, ${fmt(p.interval[1])}]`
        : "";
      io.out(`\npredicted loss at ${where}: ${fmt(p.value, 5)}${iv}\n`);
    }
    return 0;
  },
};
