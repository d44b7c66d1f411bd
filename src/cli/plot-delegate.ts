import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { AnalysisSummary } from "../analysis/summary.js";
import type { ResultRow } from "../analysis/types.js";
import { InputError } from "../errors.js";
import { aggregateHeatmap, familyHeatmap } from "../report/analysis-figures.js";
import { type PlotKind, plotSpec } from "../report/plots/index.js";
import { parseFlags, str } from "./flags.js";
import { budgetFromFlags, hardwareFromFlags } from "./flops.js";
import type { Io } from "./io.js";
import { modelFromFlags, planCommand } from "./plan.js";
import { PLAN_OPTIONS } from "./plan-flags.js";
import { writePlot } from "./plot-output.js";

/**
 * The figures that belong to another command's result: `plot isoflop|contours` run `plan`,
 * `plot forecast` runs `evaluate`, each with `--plot` set to `--out`; `plot heatmap` reads the
 * folder an `analyze` run wrote.
 */
export async function delegatePlot(kind: PlotKind, argv: string[], io: Io): Promise<number> {
  if (kind === "heatmap") return heatmapFromFolder(argv, io);
  const i = argv.findIndex((a) => a === "--out" || a.startsWith("--out="));
  if (i < 0 && !argv.includes("--help") && !argv.includes("-h")) {
    throw new InputError("no output file", {
      field: "--out",
      hint: `add --out ${kind}.png (or .svg, .vl.json, .html)`,
    });
  }
  const args = [...argv];
  if (i >= 0) {
    if (args[i] === "--out") args.splice(i, 1, "--plot");
    else args.splice(i, 1, `--plot=${args[i].slice("--out=".length)}`);
  }
  if (kind === "forecast") return (await import("./evaluate.js")).evaluateCommand.run(args, io);
  if (kind === "isoflop" && !args.some((a) => a.startsWith("--approach")))
    args.push("--approach", "2");
  if (kind === "contours" && !args.some((a) => a.startsWith("--approach"))) {
    // From runs: fit the Chinchilla law (Approach 3) and overlay them; else a preset or fit JSON.
    if (parseFlags("plot contours", args, PLAN_OPTIONS).positionals.length > 0)
      args.push("--approach", "3");
    else return contoursFromModel(args, io);
  }
  return planCommand.run(args, io);
}

/** `plot contours --preset NAME|--fit F [--budget C] --out FILE`: no budget needed. */
async function contoursFromModel(args: string[], io: Io): Promise<number> {
  const { values } = parseFlags("plot contours", args, PLAN_OPTIONS);
  if (values.help) return planCommand.run(["--help"], io);
  const budget = budgetFromFlags(values, hardwareFromFlags(values));
  const model = await modelFromFlags(values);
  await writePlot(values.plot ?? "", plotSpec("contours", { model, budget }), io, "--out");
  return 0;
}

/** `plot heatmap DIR [--family F] [--protocol P] --out FILE`. */
async function heatmapFromFolder(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseFlags("plot heatmap", argv, {
    out: str("FILE"),
    family: str("F"),
    protocol: str("default|paper"),
  });
  if (values.help) {
    io.out(
      "usage: scaleladder plot heatmap DIR [--family F] [--protocol default|paper] --out FILE\n\nDIR is the folder of scaleladder analyze --out DIR. Without --family: the aggregated heatmaps.\n",
    );
    return 0;
  }
  const dir = positionals[0];
  if (!dir)
    throw new InputError("no analysis folder given", {
      field: "scaleladder plot heatmap",
      hint: "scaleladder analyze --out DIR first, then scaleladder plot heatmap DIR --out h.png",
    });
  const out = values.out;
  if (!out)
    throw new InputError("no output file", { field: "--out", hint: "add --out heatmap.png" });
  const summary = readJson<AnalysisSummary>(join(dir, "summary.json"));
  const protocol = values.protocol ?? "default";
  const family = values.family;
  let spec = null;
  if (family) {
    const rows = readJson<ResultRow[]>(join(dir, "grid.json")).map(nullToNaN);
    const extra = ["window", "number-vs-size"].flatMap((e) => {
      try {
        return readJson<ResultRow[]>(join(dir, `${e}.json`)).map(nullToNaN);
      } catch {
        return [];
      }
    });
    spec = familyHeatmap([...rows, ...extra], summary, family, protocol);
    if (!spec) {
      const known = [...new Set(rows.map((r) => r.family))].join(", ");
      throw new InputError(`no grid rows of family "${family}" (${protocol} protocol) in ${dir}`, {
        field: "--family",
        hint: `families: ${known}`,
      });
    }
  } else {
    spec = aggregateHeatmap(summary, protocol);
    if (!spec)
      throw new InputError(`no aggregated heatmap for protocol "${protocol}" in ${dir}`, {
        field: "--protocol",
        hint: "run scaleladder analyze with --experiment grid",
      });
  }
  await writePlot(out, spec, io, "--out");
  return 0;
}

function readJson<T>(path: string): T {
  try {
    return JSON.parse(readFileSync(path, "utf8")) as T;
  } catch (e) {
    throw new InputError(`cannot read ${(e as Error).message.split("\n")[0]}`, {
      file: path,
      hint: "give the folder written by scaleladder analyze --out DIR",
    });
  }
}

/** JSON has no NaN: the analysis wrote null for a failed fit's ARE. */
function nullToNaN(r: ResultRow): ResultRow {
  return { ...r, are: r.are ?? Number.NaN, scaleUp: r.scaleUp ?? Number.NaN };
}
