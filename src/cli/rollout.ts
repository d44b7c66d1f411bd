import { InputError } from "../errors.js";
import { rollout } from "../estimate/rollout.js";
import { familyNames } from "../estimate/selection.js";
import { rolloutText } from "../report/rollout.js";
import { numberFlag, parseFlags } from "./args.js";
import { FIT_HELP, FIT_OPTIONS, fitOptionsFromFlags } from "./fit-flags.js";
import { toJson } from "./io.js";
import type { Command } from "./main.js";
import { readTable, TABLE_HELP, TABLE_OPTIONS } from "./table-input.js";

const HELP = `usage: scaleladder rollout FILE|--corpus NAME|--builtin --family F [options]

Expanding-window evaluation, as the OLMo-core ladder analysis does: fit the law on the k smallest
models of the family (k = 2, 3, …), forecast every larger model's last 30% of tokens, and report
ARE, signed bias (over- vs under-prediction of the loss) and, with --bootstrap, whether the 95%
confidence and prediction intervals hold the target's final loss, by extrapolation distance.

${TABLE_HELP}
  --family F          family to roll out (default: the built-in ladder's with --builtin)
  --min-models k      smallest window (default 2)
  --min-tokens c      drop checkpoints with at most c tokens (default 1e10; 2.5e8 on --builtin)
  --protocol NAME     default or paper (as evaluate)
${FIT_HELP}
`;

export const rolloutCommand: Command = {
  summary: "expanding-window evaluation: fit on the k smallest models, forecast every larger one",
  async run(argv, io) {
    const { values, positionals } = parseFlags("rollout", argv, {
      ...FIT_OPTIONS,
      ...TABLE_OPTIONS,
      family: { type: "string" },
      "min-models": { type: "string" },
      "min-tokens": { type: "string" },
      protocol: { type: "string" },
    });
    if (values.help) {
      io.out(HELP);
      return 0;
    }
    const opts = fitOptionsFromFlags(values);
    const loaded = await readTable(values, positionals, "rollout", io);
    const names = familyNames(loaded.table);
    // One family in the input needs no --family (as evaluate).
    const family =
      (values.family as string | undefined) ??
      loaded.defaultFamily ??
      (names.length === 1 ? names[0] : undefined);
    if (!family)
      throw new InputError("no family given", {
        field: "--family",
        hint: "add --family NAME (scaleladder corpus list shows them)",
      });
    const protocol = (values.protocol as string | undefined) ?? "default";
    if (protocol !== "default" && protocol !== "paper")
      throw new InputError(`unknown protocol "${protocol}" (expected default | paper)`, {
        field: "--protocol",
      });
    const r = await rollout(loaded.table, {
      family,
      metric: values.metric as string | undefined,
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
