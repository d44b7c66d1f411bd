import { InputError } from "../errors.js";
import { rollout } from "../estimate/rollout.js";
import { familyNames } from "../estimate/selection.js";
import { rolloutText } from "../report/rollout.js";
import { numberFlag } from "./args.js";
import type { Command } from "./command.js";
import { FIT_FLAGS, FIT_HELP, fitOptionsFromFlags } from "./fit-flags.js";
import { flagHelp, parseFlags, str } from "./flags.js";
import { toJson } from "./io.js";
import { readTable, TABLE_FLAGS, TABLE_HELP } from "./table-input.js";

const ROLLOUT_FLAGS = {
  family: str("F", "family to roll out (default: the built-in ladder's with --builtin)"),
  "min-models": str("k", "smallest window (default 2)"),
  "min-tokens": str(
    "c",
    "drop checkpoints with at most c tokens (default 1e10; 2.5e8 on --builtin)",
  ),
  protocol: str("NAME", "default or paper (as evaluate)"),
} as const;

const FLAGS = { ...FIT_FLAGS, ...TABLE_FLAGS, ...ROLLOUT_FLAGS };

const HELP = `usage: scaleladder rollout FILE|--corpus NAME|--builtin --family F [options]

Expanding-window evaluation, as the OLMo-core ladder analysis does: fit the law on the k smallest
models of the family (k = 2, 3, …), forecast every larger model's last 30% of tokens, and report
ARE, signed bias (over- vs under-prediction of the loss) and, with --bootstrap, whether the 95%
confidence and prediction intervals hold the target's final loss, by extrapolation distance.

${TABLE_HELP}
${flagHelp(ROLLOUT_FLAGS)}
${FIT_HELP}
`;

export const rolloutCommand: Command = {
  flags: FLAGS,
  async run(argv, io) {
    const { values, positionals } = parseFlags("rollout", argv, FLAGS);
    if (values.help) {
      io.out(HELP);
      return 0;
    }
    const opts = fitOptionsFromFlags(values);
    const loaded = await readTable(values, positionals, "rollout", io);
    const names = familyNames(loaded.table);
    // One family in the input needs no --family (as evaluate).
    const family =
      values.family ?? loaded.defaultFamily ?? (names.length === 1 ? names[0] : undefined);
    if (!family)
      throw new InputError("no family given", {
        field: "--family",
        hint: "add --family NAME (scaleladder corpus list shows them)",
      });
    const protocol = values.protocol ?? "default";
    if (protocol !== "default" && protocol !== "paper")
      throw new InputError(`unknown protocol "${protocol}" (expected default | paper)`, {
        field: "--protocol",
      });
    const r = await rollout(loaded.table, {
      family,
      metric: values.metric,
      minModels: numberFlag(values, "min-models", { integer: true, min: 2 }),
      minTokens: numberFlag(values, "min-tokens", { min: 0 }) ?? loaded.defaultMinTokens,
      protocol,
      fit: opts.fit,
      resamples: opts.uncertainty.resamples,
      seed: opts.uncertainty.seed,
      level: opts.uncertainty.level,
      workers: opts.uncertainty.workers,
    });
    io.out(
      values.json
        ? toJson({ ...(loaded.label ? { label: loaded.label } : {}), ...r })
        : rolloutText(r, opts.uncertainty.level),
    );
    return 0;
  },
};
