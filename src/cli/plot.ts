import { InputError } from "../errors.js";
import { fitWithUncertainty } from "../estimate/uncertainty.js";
import { fitFigure } from "../report/plots/fit-figure.js";
import { PLOT_KINDS, type PlotKind } from "../report/plots/index.js";
import type { Command } from "./command.js";
import { FIT_FLAGS, FIT_HELP, fitOptionsFromFlags } from "./fit-flags.js";
import { flagHelp, parseFlags, str } from "./flags.js";
import type { Io } from "./io.js";
import { familyData, plotFormat, targetFromFlags, writePlot } from "./plot-output.js";
import { readTable, TABLE_FLAGS, TABLE_HELP } from "./table-input.js";

const FIGURE_FLAGS = {
  out: str("FILE", "the figure (.svg, .png, .vl.json, .html)"),
  family: str("F", "plot only this family's rows (fit, residuals, compute, bootstrap)"),
  "target-params": str("N", "target model size, e.g. 70B"),
  "target-tokens": str("D", "target training tokens, e.g. 1.4T"),
  "target-model": str(
    "M",
    "hold model M out of the fit and forecast it (its actual curve as crosses)",
  ),
} as const;

const FLAGS = { ...FIGURE_FLAGS, ...FIT_FLAGS, ...TABLE_FLAGS };

const HELP = `usage: scaleladder plot KIND [FILE|--builtin|--corpus NAME] [options] --out FILE

Draws one figure as a Vega-Lite spec and writes it as .svg, .png, .vl.json or .html (one
self-contained page that opens offline). KIND:

  fit        loss vs tokens per run, coloured by size, with the fitted curves; with
             --target-params/--target-tokens the target's dashed curve, point and bootstrap
             band (--bootstrap, default 100 with a target)
  residuals  relative residual (L̂−L)/L against tokens and against N
  compute    loss vs FLOPs with the law's compute-optimal frontier and the target
  bootstrap  pairwise scatter of the fitted parameters across resamples (--bootstrap, default 200)
  isoflop    Approach 2: same as scaleladder plan FILE --approach 2 --plot OUT
  contours   iso-loss contours: same as scaleladder plan (--preset NAME | --fit F | FILE --approach 3) --plot OUT
  forecast   same as scaleladder evaluate ... --plot OUT
  heatmap    ARE heatmaps from an analysis folder: scaleladder plot heatmap DIR [--family F]

${flagHelp(FIGURE_FLAGS)}
${FIT_HELP}
${TABLE_HELP}
`;

/** Kinds drawn from a fit of the runs in FILE. */
const FIT_KINDS = ["fit", "residuals", "compute", "bootstrap"] as const;

export const plotCommand: Command = {
  flags: FLAGS,
  async run(argv, io) {
    const [kind, ...rest] = argv;
    if (!kind || kind === "--help" || kind === "-h") {
      io.out(HELP);
      return kind ? 0 : 2;
    }
    if (!(PLOT_KINDS as readonly string[]).includes(kind)) {
      const { closest } = await import("../errors.js");
      const near = closest(kind, PLOT_KINDS);
      throw new InputError(`unknown figure "${kind}" (expected ${PLOT_KINDS.join(" | ")})`, {
        field: "scaleladder plot",
        hint: near ? `did you mean "${near}"?` : "run scaleladder plot --help",
      });
    }
    if ((FIT_KINDS as readonly string[]).includes(kind))
      return plotFromFit(kind as PlotKind, rest, io);
    const { delegatePlot } = await import("./plot-delegate.js");
    return delegatePlot(kind as PlotKind, rest, io);
  },
};

/** fit, residuals, compute, bootstrap: read runs, fit, draw. */
async function plotFromFit(kind: PlotKind, argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseFlags(`plot ${kind}`, argv, FLAGS);
  if (values.help) {
    io.out(HELP);
    return 0;
  }
  const out = outFlag(values);
  const opts = fitOptionsFromFlags(values);
  const given = targetFromFlags(values);
  const heldOut = values["target-model"];
  if (given && heldOut) {
    throw new InputError("give --target-model or --target-params/--target-tokens, not both", {
      field: "--target-model",
    });
  }
  // A band needs resamples: default to some where the figure draws one.
  if (
    values.bootstrap === undefined &&
    (kind === "bootstrap" || (kind === "fit" && (given || heldOut)))
  )
    opts.uncertainty.resamples = kind === "bootstrap" ? 200 : 100;
  const { table } = await readTable(values, positionals, `plot ${kind}`, io);
  const { data, rows, target: held } = familyData(table, values.family, heldOut);
  const target = held ?? given;
  const u = await fitWithUncertainty(data, opts.fit, opts.uncertainty);
  const metric = table.metric[rows[0]];
  await writePlot(out, fitFigure(kind, data, u, target, table.origin, metric), io, "--out");
  return 0;
}

/** The --out flag, checked for a known figure format. */
export function outFlag(values: { out?: string }): string {
  const out = values.out;
  if (!out) {
    throw new InputError("no output file", {
      field: "--out",
      hint: "add --out fit.png (or .svg, .vl.json, .html)",
    });
  }
  plotFormat(out, "--out");
  return out;
}
