import { join, resolve } from "node:path";
import { byCell, readChunk, saveChunk } from "../analysis/chunks.js";
import { planChunks } from "../analysis/experiments.js";
import { runChunksParallel } from "../analysis/parallel.js";
import { summarizeAnalysis } from "../analysis/summary.js";
import {
  type Chunk,
  EXPERIMENTS,
  type ExperimentName,
  type ProtocolName,
  RESULT_COLUMNS,
  type ResultRow,
} from "../analysis/types.js";
import { closest, InputError } from "../errors.js";
import { analysisText, toCsv } from "../report/analysis-tables.js";
import { numberFlag } from "./args.js";
import type { Command } from "./command.js";
import { bool, flagHelp, parseFlags, str } from "./flags.js";
import { checkOutput, toJson, writeFileAtomic } from "./io.js";
import { plotFormat, writeAnalysisFigures } from "./plot-output.js";
import { progressReporter } from "./progress.js";
import { readTable, TABLE_FLAGS, TABLE_HELP } from "./table-input.js";

const ANALYZE_FLAGS = {
  families: str("A,B", "families to analyse (default: all)"),
  experiment: str("LIST", `${EXPERIMENTS.join(", ")} (default: all)`),
  protocol: str(
    "NAME",
    `default (Huber on logs, global optimum), paper (ColPret's least squares from one
start, with its quirks), or both (side by side; chunks already on disk are reused,
so --protocol both after a default run only adds the paper's fits) (default: default)`,
  ),
  out: str("DIR", "output folder (default ./scaleladder-analysis)"),
  fresh: bool("ignore chunks saved by an earlier run"),
  workers: str("W", "worker threads (default: all cores)"),
  json: bool("print the summary as JSON"),
  plot: str("FILE", "also write the aggregated ARE heatmaps (.svg, .png, .vl.json, .html)"),
  figures: str(
    "DIR",
    `also write the paper's heatmaps (Fig. 1 layout) for every family and the
aggregates, as PNG and Vega-Lite JSON`,
  ),
  timing: bool(`also write fit times (fitMs), wall-clock seconds and fit counts into the
files; without it (--no-timing, the default) the same corpus and settings give
byte-identical files, also after a resume`),
  "no-timing": bool("leave fit times out of the files (the default)"),
} as const;

const FLAGS = { ...TABLE_FLAGS, ...ANALYZE_FLAGS };

const HELP = `usage: scaleladder analyze [--corpus NAME|FILE|--builtin] [options]

Runs the Hitchhiker's Guide meta-analysis (Choshen et al. 2025; HITCHHIKER_SPEC §3) over every
family: thousands of forecasts, each scored by ARE, written as tidy tables (CSV and JSON) per
experiment, plus aggregated heatmaps, the cheapest configuration reaching 15/10/5% ARE per family,
the end-of-training table with the datablations families merged (c4-all, oscar-all), the PCA of
fitted parameters, and a per-family comparison of the two protocols. Runs on worker
threads; interrupting keeps finished chunks on disk and a rerun resumes.

${TABLE_HELP}
                      (default: --corpus hitchhiker-colpret, with the Pythia families of
                      pythia-evals when that folder is beside it)
${flagHelp(ANALYZE_FLAGS)}
`;

export const analyzeCommand: Command = {
  summary: "reproduce the Hitchhiker's Guide meta-analysis over a corpus (parallel, resumable)",
  flags: FLAGS,
  async run(argv, io) {
    const { values, positionals } = parseFlags("analyze", argv, FLAGS);
    if (values.help) {
      io.out(HELP);
      return 0;
    }
    if (values.plot !== undefined) plotFormat(values.plot);
    const experiments = listFlag(
      values.experiment,
      EXPERIMENTS,
      "--experiment",
    ) as ExperimentName[];
    const protocolFlag = values.protocol ?? "default";
    if (!["default", "paper", "both"].includes(protocolFlag)) {
      throw new InputError(`unknown protocol "${protocolFlag}" (expected default | paper | both)`, {
        field: "--protocol",
      });
    }
    const protocols: ProtocolName[] =
      protocolFlag === "both" ? ["default", "paper"] : [protocolFlag as ProtocolName];
    // Before hours of fits: the output folder must be usable.
    const dir = resolve(values.out ?? "scaleladder-analysis");
    checkOutput(dir, "dir");
    const noSource =
      positionals.length === 0 &&
      values.corpus === undefined &&
      !values.builtin &&
      values.db === undefined;
    const loaded = await readTable(
      noSource ? { ...values, corpus: "hitchhiker-colpret" } : values,
      positionals,
      "analyze",
      io,
    );
    const families = values.families
      ?.split(",")
      .map((s) => s.trim())
      .filter(Boolean);
    const chunks = planChunks(loaded.table, { experiments, protocols, families });
    const source = `${loaded.table.origin}:${loaded.table.length}`;

    const rows: ResultRow[] = [];
    const pending: Chunk[] = [];
    for (const c of chunks) {
      const saved = values.fresh ? null : readChunk(dir, c, source);
      if (saved) rows.push(...saved);
      else pending.push(c);
    }
    const resumed = chunks.length - pending.length;
    const controller = new AbortController();
    const onSigint = () => controller.abort();
    process.once("SIGINT", onSigint);
    const t0 = performance.now();
    // Laws in the tables, and fits computed for them (a shared training set is fitted once).
    let laws = 0;
    let fits = 0;
    try {
      await runChunksParallel(loaded.table, pending, {
        workers: numberFlag(values, "workers", { integer: true, min: 1, max: 64 }),
        signal: controller.signal,
        onProgress: progressReporter(io),
        onChunk: (chunk, rs, fitted) => {
          saveChunk(dir, chunk, source, rs);
          laws += rs.filter((r) => r.fitMs !== null).length;
          fits += fitted;
          rows.push(...rs);
        },
      });
    } finally {
      process.removeListener("SIGINT", onSigint);
    }
    if (controller.signal.aborted) {
      io.err(
        `scaleladder: interrupted; finished chunks are saved in ${join(dir, "chunks")}; rerun the same command to resume\n`,
      );
      return 130;
    }
    const seconds = (performance.now() - t0) / 1000;
    // Workers finish chunks in any order; sorting by each cell's settings makes tables and sums
    // independent of scheduling, so reruns (and any --workers) write the same bytes.
    rows.sort(byCell);
    const summary = summarizeAnalysis(rows);
    // Files carry no wall-clock times unless asked: the same corpus and settings give the same bytes.
    const timing = Boolean(values.timing) && !values["no-timing"];
    writeTables(
      dir,
      timing ? rows : rows.map(({ fitMs: _ms, ...r }) => r as ResultRow),
      summary,
      timing,
    );
    const meta = {
      seconds,
      laws,
      fits,
      fitsPerSecond: fits / Math.max(seconds, 1e-9),
      out: dir,
      resumed,
      source: loaded.table.origin,
      ...(loaded.label ? { label: loaded.label } : {}),
      settings: {
        experiments,
        protocols,
        families: families ?? "all",
        workers: values.workers ?? "all cores",
      },
    };
    // Times, and counts that depend on scheduling and on what a resume found on disk, stay out of
    // the file unless asked for: the same corpus and settings give the same bytes.
    // (--workers too: results do not depend on it.)
    const { seconds: _s, fitsPerSecond: _f, laws: _l, fits: _n, resumed: _r, ...rest } = meta;
    const { workers: _w, ...settings } = rest.settings;
    const fileMeta = { ...rest, settings };
    writeFileAtomic(
      join(dir, "summary.json"),
      toJson({ meta: timing ? meta : fileMeta, ...summary }),
    );
    io.out(values.json ? toJson({ meta, ...summary }) : analysisText(summary, meta));
    await writeAnalysisFigures(values, rows, summary, io);
    return 0;
  },
};

/** Writes one tidy table per experiment and the aggregated tables, CSV and JSON. */
function writeTables(
  dir: string,
  rows: readonly ResultRow[],
  s: ReturnType<typeof summarizeAnalysis>,
  timing: boolean,
): void {
  const columns = timing ? RESULT_COLUMNS : RESULT_COLUMNS.filter((c) => c !== "fitMs");
  for (const experiment of EXPERIMENTS) {
    const rs = rows.filter((r) => r.experiment === experiment);
    if (rs.length === 0) continue;
    writeFileAtomic(join(dir, `${experiment}.csv`), toCsv(rs, columns));
    writeFileAtomic(join(dir, `${experiment}.json`), toJson(rs));
  }
  const tables = {
    aggregate: [s.aggregate, ["protocol", "bin", "fraction", "are", "count"]],
    "scale-up": [s.scaleUp, ["protocol", "bin", "fraction", "are", "count"]],
    cheapest: [
      s.cheapest,
      ["protocol", "family", "threshold", "trainModels", "fraction", "flops", "are", "largest"],
    ],
    protocols: [
      s.protocols,
      ["family", "cells", "defaultAre", "paperAre", "better", "defaultWins"],
    ],
    "end-of-training-families": [
      s.endOfTraining,
      ["protocol", "family", "models", "m", "are", "fits", "members"],
    ],
  } as const;
  for (const [name, [data, cols]] of Object.entries(tables)) {
    if (data.length === 0) continue;
    writeFileAtomic(join(dir, `${name}.csv`), toCsv(data as readonly object[], cols as never));
    writeFileAtomic(join(dir, `${name}.json`), toJson(data));
  }
  if (s.params.length) writeFileAtomic(join(dir, "params-pca.json"), toJson(s.params));
}

/** Parses a comma list against known names, defaulting to all of them. */
function listFlag(raw: string | undefined, known: readonly string[], flag: string): string[] {
  if (raw === undefined) return [...known];
  return raw.split(",").map((s) => {
    const n = s.trim();
    if (!known.includes(n)) {
      const near = closest(n, known);
      throw new InputError(`unknown experiment "${n}" (expected ${known.join(" | ")})`, {
        field: flag,
        hint: near ? `did you mean "${near}"?` : undefined,
      });
    }
    return n;
  });
}
