import { evaluateVerdict } from "../analysis/verdict.js";
import { closest, InputError } from "../errors.js";
import { BORROW_PRESETS, borrowFrom, borrowPreset } from "../estimate/borrow.js";
import { forecastDownstream } from "../estimate/downstream.js";
import type { ForecastSpec } from "../estimate/forecast.js";
import { forecastWithInterval } from "../estimate/forecast-interval.js";
import { familyNames, type TrainingModels } from "../estimate/selection.js";
import { downstreamJson, downstreamText } from "../report/downstream.js";
import { forecastJson, forecastText } from "../report/forecast.js";
import { plotSpec } from "../report/plots/index.js";
import { numberFlag } from "./args.js";
import type { Command } from "./command.js";
import {
  DOWNSTREAM_FLAGS,
  DOWNSTREAM_HELP,
  downstreamFromFlags,
  downstreamTable,
  wantsDownstream,
} from "./downstream-flags.js";
import { FIT_FLAGS, FIT_HELP, fitOptionsFromFlags } from "./fit-flags.js";
import { bool, type FlagValues, flagHelp, parseFlags, str } from "./flags.js";
import { toJson } from "./io.js";
import { withFlagWarnings } from "./option-flags.js";
import { maybePlot, PLOT_FLAGS, PLOT_HELP } from "./plot-output.js";
import { readTable, TABLE_FLAGS, TABLE_HELP } from "./table-input.js";

const EVALUATE_FLAGS = {
  family: str(
    "F",
    `family to evaluate (default: the only one in the input, or the built-in
ladder's with --builtin; a file without a family column is one family)`,
  ),
  target: str("MODEL", "model to predict (default: the largest; the smallest with --scale-down)"),
  models: str("k|A,B,..", "train on the k smallest models below the target, or on the named ones"),
  pick: str("NAME", "smallest (default) or largest: which k models of the pool"),
  "scale-down": bool("predict the smallest model from the larger ones (pool above the target)"),
  fraction: str("p", "keep checkpoints with tokens < p·T (default 1)"),
  "min-tokens": str(
    "c",
    `drop checkpoints with at most c tokens (default 1e10, the paper's cut;
2.5e8 on the built-in ladder, whose small runs are short)`,
  ),
  "partial-target": bool("also fit on the target's own checkpoints up to p of its run (§5.1)"),
  protocol: str(
    "NAME",
    `default (Huber on logs, global optimum) or paper (ColPret's least squares
from one start, T over the training models jointly, strict < at p = 1)`,
  ),
  borrow: str("FAMILY", "fix A and alpha at their fit on another family (§5)"),
  "borrow-preset": str(
    "P",
    `fix A and alpha at published values: ${Object.keys(BORROW_PRESETS).join(", ")}`,
  ),
  "borrow-params": str("L", "which parameters to borrow (default A,alpha)"),
} as const;

const FLAGS = {
  ...FIT_FLAGS,
  ...TABLE_FLAGS,
  ...EVALUATE_FLAGS,
  ...PLOT_FLAGS,
  ...DOWNSTREAM_FLAGS,
};
type Values = FlagValues<typeof FLAGS>;

const HELP = `usage: scaleladder evaluate FILE|--corpus NAME|--builtin --family F [options]

Forecasts a target model of a family from smaller ones, the way the Hitchhiker's Guide scores
scaling laws (Choshen et al. 2025): fit on the training models' checkpoints, predict the target's
last 30% of tokens, and report the ARE (mean |L − L̂|/L) beside two no-fit baselines.

${TABLE_HELP}
${flagHelp(EVALUATE_FLAGS)}
${FIT_HELP}
${PLOT_HELP}
${DOWNSTREAM_HELP}
`;

export const evaluateCommand: Command = {
  flags: FLAGS,
  async run(argv, io) {
    const { values, positionals } = parseFlags("evaluate", argv, FLAGS);
    if (values.help) {
      io.out(HELP);
      return 0;
    }
    const opts = fitOptionsFromFlags(values);
    const loaded = await readTable(values, positionals, "evaluate", io);
    const names = familyNames(loaded.table);
    // One family in the input (a file without a family column is one): no need to name it.
    const family =
      values.family ?? loaded.defaultFamily ?? (names.length === 1 ? names[0] : undefined);
    if (family === undefined)
      throw new InputError(`no family given (the input has ${names.length})`, {
        field: "--family",
        hint: `add --family NAME: ${names.slice(0, 12).join(", ")}${names.length > 12 ? ", …" : ""}`,
      });
    if (!names.includes(family) && values.where !== undefined) {
      // The family may exist but not survive the filter: say so rather than "no family".
      const near = closest(family, names);
      throw new InputError(`no rows of family "${family}" satisfy --where "${values.where}"`, {
        field: "--family",
        hint: `${near ? `did you mean "${near}"? ` : ""}families left: ${names.slice(0, 12).join(", ")}; loosen --where`,
      });
    }
    const protocol = values.protocol ?? "default";
    if (protocol !== "default" && protocol !== "paper") {
      throw new InputError(`unknown protocol "${protocol}" (expected default | paper)`, {
        field: "--protocol",
      });
    }
    const minTokens = numberFlag(values, "min-tokens", { min: 0 }) ?? loaded.defaultMinTokens;
    const borrowed = borrowing(values, loaded.table, protocol, minTokens);
    const spec: ForecastSpec = {
      family,
      metric: values.metric,
      target: values.target,
      scaleDown: values["scale-down"] === true,
      train: trainingFlag(values),
      fraction: numberFlag(values, "fraction", { positive: true, max: 1 }),
      minTokens,
      partialTarget: values["partial-target"] === true,
      protocol,
      fit: {
        ...opts.fit,
        fix: { ...(borrowed?.params ?? {}), ...opts.fit.fix },
        now: () => performance.now(),
      },
    };
    if (wantsDownstream(values)) {
      const d = forecastDownstream(
        await downstreamTable(loaded.table, values, positionals, "evaluate", io),
        { ...spec, ...downstreamFromFlags(values) },
        opts.uncertainty,
      );
      io.out(
        values.json ? toJson(downstreamJson(d, loaded.label)) : downstreamText(d, loaded.label),
      );
      return 0;
    }
    const fw = await forecastWithInterval(loaded.table, spec, opts.uncertainty);
    const data = {
      source: loaded.table.origin,
      rows: fw.forecast.train.rows,
      runs: fw.forecast.train.models.length,
      filters: [
        `family = ${family}`,
        `tokens > ${spec.minTokens ?? 1e10}`,
        `fraction ${spec.fraction ?? 1}`,
      ],
      paramsDefinition: "as given in the params column",
    };
    const verdict = withFlagWarnings(
      evaluateVerdict(loaded.table, fw.forecast, {
        partialTarget: spec.partialTarget,
        borrowed: borrowed !== null,
        guideCut: loaded.defaultMinTokens,
      }),
    );
    const ctx = { data, borrowed, label: loaded.label, verdict };
    io.out(
      values.json ? toJson(forecastJson(fw, ctx, !values["no-timing"])) : forecastText(fw, ctx),
    );
    await maybePlot(values, () => plotSpec("forecast", { table: loaded.table, result: fw }), io);
    return 0;
  },
};

/** Reads --models and --pick into a training-model choice. */
function trainingFlag(values: Values): TrainingModels | undefined {
  const pick = values.pick ?? "smallest";
  if (pick !== "smallest" && pick !== "largest") {
    throw new InputError(`--pick must be smallest or largest, got "${pick}"`, { field: "--pick" });
  }
  const raw = values.models;
  if (raw === undefined) return values["scale-down"] ? { kind: "largest" } : undefined;
  if (/^\d+$/.test(raw.trim())) {
    const k = numberFlag(values, "models", { integer: true, min: 1 });
    return { kind: values["scale-down"] ? "largest" : pick, k };
  }
  return {
    kind: "list",
    models: raw
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean),
  };
}

/** Resolves --borrow / --borrow-preset into fixed parameters and their origin. */
function borrowing(
  values: Values,
  table: Parameters<typeof borrowFrom>[0],
  protocol: "default" | "paper",
  minTokens: number | undefined,
): { from: string; params: Record<string, number> } | null {
  const fam = values.borrow;
  const preset = values["borrow-preset"];
  if (fam && preset)
    throw new InputError("give --borrow or --borrow-preset, not both", { field: "--borrow" });
  const names = (values["borrow-params"] ?? "A,alpha").split(",").map((s) => s.trim());
  if (preset) {
    const all = borrowPreset(preset);
    const params = Object.fromEntries(names.filter((n) => n in all).map((n) => [n, all[n]]));
    return { from: `preset ${preset} (${BORROW_PRESETS[preset].source})`, params };
  }
  if (fam)
    return {
      from: `family ${fam}`,
      params: borrowFrom(table, fam, { params: names, protocol, minTokens }),
    };
  return null;
}
