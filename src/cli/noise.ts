import { builtinLadder, LADDER_FAMILY } from "../data/simulate/ladder.js";
import { InputError } from "../errors.js";
import { seedNoise } from "../estimate/noise.js";
import { noiseText } from "../report/noise.js";
import { numberFlag } from "./args.js";
import type { Command } from "./command.js";
import { bool, flagHelp, parseFlags, str } from "./flags.js";
import { toJson } from "./io.js";
import { readTable, TABLE_FLAGS, TABLE_HELP } from "./table-input.js";

const NOISE_FLAGS = {
  seeds: str("K", "seeds per size of the built-in ladder (default 3)"),
  family: str("F", "family (default: the built-in ladder's with --builtin)"),
  json: bool("print one JSON object"),
} as const;

const FLAGS = { ...TABLE_FLAGS, ...NOISE_FLAGS };

const HELP = `usage: scaleladder noise FILE|--corpus NAME|--builtin --family F [options]

Estimates the ARE floor of a family from runs that differ only in seed: for each pair of seeds of
a model, the mean relative difference of their losses over the last 30% of training. The
Hitchhiker's Guide puts this floor at about 4% (Choshen et al. 2025, §4).

${TABLE_HELP}
${flagHelp(NOISE_FLAGS)}
`;

export const noiseCommand: Command = {
  flags: FLAGS,
  async run(argv, io) {
    const { values, positionals } = parseFlags("noise", argv, FLAGS);
    if (values.help) {
      io.out(HELP);
      return 0;
    }
    const seeds = numberFlag(values, "seeds", { integer: true, min: 2, max: 20 }) ?? 3;
    const loaded = values.builtin
      ? {
          table: builtinLadder(numberFlag(values, "ladder-seed", { integer: true, min: 0 }) ?? 0, {
            seedsPerSize: seeds,
          }),
          label: "simulated",
          defaultFamily: LADDER_FAMILY,
        }
      : await readTable(values, positionals, "noise", io);
    const family = values.family ?? loaded.defaultFamily;
    if (!family)
      throw new InputError("no family given", { field: "--family", hint: "add --family NAME" });
    const est = seedNoise(loaded.table, family, values.metric);
    if (values.json) {
      io.out(toJson({ ...(loaded.label ? { label: loaded.label } : {}), ...est }));
      return 0;
    }
    io.out(noiseText(est, family, loaded.label));
    return 0;
  },
};
