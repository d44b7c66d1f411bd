import { extname, join } from "node:path";
import type { AnalysisSummary } from "../analysis/summary.js";
import type { ResultRow } from "../analysis/types.js";
import { toFitData } from "../data/fitdata.js";
import type { RunTable } from "../data/types.js";
import { closest, InputError } from "../errors.js";
import type { FitData } from "../fit/types.js";
import type { PlotTarget } from "../report/plots/fit.js";
import type { Spec } from "../report/plots/index.js";
import { numberFlag } from "./args.js";
import { type FlagValues, flagHelp, str } from "./flags.js";
import type { Io } from "./io.js";
import { writeFileAtomic } from "./io.js";

/** The `--plot FILE` flag of fit, predict, evaluate, plan and analyze. */
export const PLOT_FLAGS = {
  plot: str("FILE", "also write the figure of this result: .svg, .png, .vl.json or .html"),
} as const;

/** Help line for {@link PLOT_FLAGS}. */
export const PLOT_HELP = flagHelp(PLOT_FLAGS);

/** Figure formats by file ending. */
export const PLOT_FORMATS = [".svg", ".png", ".vl.json", ".html"] as const;
export type PlotFormat = (typeof PLOT_FORMATS)[number];

/**
 * The format a file name asks for.
 * @throws InputError for any other ending
 */
export function plotFormat(path: string, flag = "--plot"): PlotFormat {
  const lower = path.toLowerCase();
  const f = PLOT_FORMATS.find((e) => lower.endsWith(e));
  if (!f) {
    throw new InputError(`cannot tell the figure format of "${path}" (ending "${extname(path)}")`, {
      field: flag,
      hint: `end the name with ${PLOT_FORMATS.join(", ")}`,
    });
  }
  return f;
}

/** Renders a figure to the format its file name asks for and writes it atomically. */
export async function writePlot(path: string, spec: Spec, io?: Io, flag = "--plot"): Promise<void> {
  const format = plotFormat(path, flag);
  const render = await import("../report/render.js");
  const bytes =
    format === ".svg"
      ? await render.renderSvg(spec)
      : format === ".png"
        ? await render.renderPng(spec)
        : format === ".html"
          ? render.toHtml(spec, titleOf(spec))
          : `${JSON.stringify(spec, null, 2)}\n`;
  writeFileAtomic(path, bytes);
  io?.err(`scaleladder: wrote ${path}\n`);
}

/**
 * When `--plot FILE` was given, builds the figure (lazily: it may cost a few ms, and its modules are
 * loaded only then) and writes it.
 */
export async function maybePlot(
  values: { plot?: string },
  build: () => Spec | Promise<Spec>,
  io?: Io,
): Promise<void> {
  const path = values.plot;
  if (path === undefined) return;
  plotFormat(path);
  await writePlot(path, await build(), io);
}

function titleOf(spec: Spec): string {
  const t = spec.title as { text?: string } | string | undefined;
  return typeof t === "string" ? t : (t?.text ?? "scaleladder figure");
}

/**
 * `analyze --plot FILE` (the aggregated heatmaps of the first protocol) and `analyze --figures DIR`
 * (every family's and the aggregated heatmaps, each as PNG and .vl.json).
 */
export async function writeAnalysisFigures(
  values: { plot?: string; figures?: string },
  rows: readonly ResultRow[],
  summary: AnalysisSummary,
  io?: Io,
): Promise<void> {
  if (values.plot === undefined && values.figures === undefined) return;
  const { aggregateHeatmap, analysisFigures } = await import("../report/analysis-figures.js");
  if (values.plot !== undefined) {
    const protocol = [...new Set(rows.map((r) => r.protocol))].sort()[0] ?? "default";
    const spec = aggregateHeatmap(summary, protocol);
    if (spec) await writePlot(values.plot, spec, io);
    else io?.err("scaleladder: warning: no main-grid cells to draw; --plot skipped\n");
  }
  const dir = values.figures;
  if (dir === undefined) return;
  const figures = analysisFigures(rows, summary);
  for (const f of figures) {
    await writePlot(join(dir, `${f.name}.png`), f.spec);
    await writePlot(join(dir, `${f.name}.vl.json`), f.spec);
  }
  io?.err(`scaleladder: wrote ${figures.length} figures to ${dir}\n`);
}

/** Flags of the commands that fit runs to draw them (plot, report); each command words their help. */
export const TARGET_FLAGS = {
  family: str("F"),
  "target-params": str("N"),
  "target-tokens": str("D"),
  "target-model": str("M"),
} as const;

/**
 * The target of `--target-params N --target-tokens D`, or undefined when neither is given.
 * @throws InputError when only one is given
 */
export function targetFromFlags(
  values: FlagValues<typeof TARGET_FLAGS>,
): { params: number; tokens: number } | undefined {
  const N = numberFlag(values, "target-params", { positive: true });
  const D = numberFlag(values, "target-tokens", { positive: true });
  if ((N === undefined) !== (D === undefined)) {
    throw new InputError("give both --target-params and --target-tokens", {
      field: N === undefined ? "--target-params" : "--target-tokens",
      hint: "e.g. --target-params 70B --target-tokens 1.4T",
    });
  }
  return N !== undefined && D !== undefined ? { params: N, tokens: D } : undefined;
}

/**
 * Fit input from the rows of `--family F` (every row without it). With `heldOut` (`--target-model
 * MODEL`), that model's rows are left out of the fit and returned as the target, with its size, its
 * last checkpoint's tokens and its actual curve.
 * @throws InputError when the family has no rows or the model none in it
 */
export function familyData(
  table: RunTable,
  family: string | undefined,
  heldOut?: string,
): { data: FitData; rows: number[]; target?: PlotTarget } {
  const all = Array.from({ length: table.length }, (_, i) => i).filter(
    (i) => family === undefined || table.family[i] === family,
  );
  if (all.length === 0) {
    throw new InputError(`no rows of family "${family}"`, {
      field: "--family",
      hint: "scaleladder runs lists the families",
    });
  }
  if (heldOut === undefined) return { data: toFitData(table, all), rows: all };
  const held = all.filter((i) => table.model[i] === heldOut);
  if (held.length === 0) {
    const near = closest(heldOut, [...new Set(all.map((i) => table.model[i]))]);
    throw new InputError(`no rows of model "${heldOut}"${family ? ` in family ${family}` : ""}`, {
      field: "--target-model",
      hint: near ? `did you mean "${near}"?` : "scaleladder runs lists the models",
    });
  }
  const rows = all.filter((i) => table.model[i] !== heldOut);
  const order = [...held].sort((a, b) => table.tokens[a] - table.tokens[b]);
  return {
    data: toFitData(table, rows),
    rows,
    target: {
      params: table.params[order[0]],
      tokens: table.tokens[order[order.length - 1]],
      actual: {
        tokens: order.map((i) => table.tokens[i]),
        loss: order.map((i) => table.value[i]),
      },
    },
  };
}
