import { compareFamilies } from "../analysis/compare.js";
import { InputError } from "../errors.js";
import { compareText } from "../report/compare.js";
import { numberFlag } from "./args.js";
import type { Command } from "./command.js";
import { FIT_FLAGS, FIT_HELP, fitOptionsFromFlags } from "./fit-flags.js";
import { flagHelp, parseFlags, str, strs } from "./flags.js";
import { toJson } from "./io.js";
import { readTable, TABLE_FLAGS, TABLE_HELP } from "./table-input.js";

const COMPARE_FLAGS = {
  family: strs("F", "give twice: A, then B"),
  "at-params": str("N", "target size (default: 10× the largest model of either family)"),
  "at-tokens": str("D", "target tokens (default: 10× that model's tokens)"),
  shared: str("MODE", "auto (default), yes or no: share the exponents"),
  "min-tokens": str("c", "drop checkpoints with at most c tokens (default 1e10)"),
} as const;

const FLAGS = { ...FIT_FLAGS, ...TABLE_FLAGS, ...COMPARE_FLAGS };

const HELP = `usage: scaleladder compare FILE|--corpus NAME --family A --family B [options]

Compares two recipes (families): fits the law to each alone and with shared exponents, uses the
shared fit when the data cannot tell the exponents apart (ΔAIC over runs ≤ 0; the output says which
and why), and reports B's effective compute multiplier over A at the target (the compute A needs to
match B's compute-optimal loss, over the target's compute), with a bootstrap interval, and whether
A and B rank the same at the target as at the largest trained size.

${TABLE_HELP}
${flagHelp(COMPARE_FLAGS)}
${FIT_HELP}
`;

export const compareCommand: Command = {
  flags: FLAGS,
  async run(argv, io) {
    const { values, positionals } = parseFlags("compare", argv, FLAGS);
    if (values.help) {
      io.out(HELP);
      return 0;
    }
    const families = values.family ?? [];
    if (families.length !== 2)
      throw new InputError(`give exactly two families, got ${families.length}`, {
        field: "--family",
        hint: "scaleladder compare FILE --family A --family B",
      });
    const shared = values.shared ?? "auto";
    if (shared !== "auto" && shared !== "yes" && shared !== "no")
      throw new InputError(`--shared must be auto, yes or no, got "${shared}"`, {
        field: "--shared",
      });
    const N = numberFlag(values, "at-params", { positive: true });
    const D = numberFlag(values, "at-tokens", { positive: true });
    if ((N === undefined) !== (D === undefined))
      throw new InputError("give --at-params and --at-tokens together", {
        field: N === undefined ? "--at-params" : "--at-tokens",
      });
    const opts = fitOptionsFromFlags(values);
    const loaded = await readTable(values, positionals, "compare", io);
    const c = compareFamilies(loaded.table, {
      familyA: families[0],
      familyB: families[1],
      metric: values.metric,
      at: N !== undefined && D !== undefined ? { params: N, tokens: D } : undefined,
      minTokens: numberFlag(values, "min-tokens", { min: 0 }) ?? loaded.defaultMinTokens,
      fit: opts.fit,
      shared,
      resamples: opts.uncertainty.resamples,
      seed: opts.uncertainty.seed,
      level: opts.uncertainty.level,
    });
    io.out(values.json ? toJson(c) : compareText(c));
    return 0;
  },
};
