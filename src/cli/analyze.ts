import { existsSync, readFileSync } from "node:fs";
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
import { getLaw } from "../laws/index.js";
import { analysisText, toCsv } from "../report/analysis-tables.js";
import {
  COVERAGE_FLAGS,
  COVERAGE_HELP,
  listOfFamilies,
  readAnalysisTable,
  runCoverage,
} from "./analyze-coverage.js";
import { numberFlag } from "./args.js";
import type { Command } from "./command.js";
import { bool, flagHelp, parseFlags, str, strs } from "./flags.js";
import { checkOutput, toJson, writeFileAtomic } from "./io.js";
import { inFlagText } from "./option-flags.js";
import { plotFormat, writeAnalysisFigures } from "./plot-output.js";
import { progressReporter } from "./progress.js";
import { TABLE_FLAGS, TABLE_HELP } from "./table-input.js";

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
  "include-failed":
    bool(`let bound-hit, unconverged and failed fits into the aggregates (default: only
converged fits; the others are counted per status). Stars are always converged.`),
  law: str(
    "NAME",
    `fit another law under the default protocol (e.g. hitchhiker-tied, the guide's
3-parameter tied form) to compare its ARE with the 5-parameter law's`,
  ),
  shard: str(
    "i/n",
    `run only share i of n of the chunks (chunk j goes to shard j mod n + 1) and
write their chunk files into --out DIR/chunks; no tables (see --merge)`,
  ),
  merge: strs(
    "DIR,…",
    `combine the chunk files of shard folders into --out and write the tables:
the same bytes as one run (docs/hitchhiker.md, "Scale-out")`,
  ),
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

const FLAGS = { ...TABLE_FLAGS, ...ANALYZE_FLAGS, ...COVERAGE_FLAGS };

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
${COVERAGE_HELP}
`;

export const analyzeCommand: Command = {
  flags: FLAGS,
  async run(argv, io) {
    const { values, positionals } = parseFlags("analyze", argv, FLAGS);
    if (values.help) {
      io.out(HELP);
      return 0;
    }
    if (values.plot !== undefined) plotFormat(values.plot);
    if (values.experiment === "coverage") return runCoverage(values, positionals, io);
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
    const loaded = await readAnalysisTable(values, positionals, io);
    const families = listOfFamilies(values);
    const law = values.law;
    if (law !== undefined) {
      getLaw(law);
      if (protocols.includes("paper"))
        throw new InputError("--law applies to the default protocol only", {
          field: "--law",
          hint: "the paper protocol reproduces ColPret's 5-parameter fits; drop --protocol paper",
        });
    }
    const planned = planChunks(loaded.table, { experiments, protocols, families, law });
    const shard = shardFlag(values.shard);
    const chunks = shard ? planned.filter((_, j) => j % shard.n === shard.i - 1) : planned;
    const source = `${loaded.table.origin}:${loaded.table.length}`;
    const merge = values.merge?.flatMap((m) => m.split(",")).filter(Boolean);
    if (merge && shard)
      throw new InputError("give --shard or --merge, not both", { field: "--merge" });
    if (merge) mergeShards(merge, dir, chunks, source);

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
    if (shard) {
      io.out(
        `shard ${shard.i}/${shard.n}: ${chunks.length} of ${planned.length} chunks in ${join(dir, "chunks")} (${resumed} already there, ${seconds.toFixed(1)} s); combine the shards with scaleladder analyze --merge DIR,… --out OUT\n`,
      );
      return 0;
    }
    // Workers finish chunks in any order; sorting by each cell's settings makes tables and sums
    // independent of scheduling, so reruns (and any --workers) write the same bytes.
    rows.sort(byCell);
    const summary = summarizeAnalysis(rows, { includeFailed: Boolean(values["include-failed"]) });
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
        ...(law ? { law } : {}),
        families: families ?? "all",
        workers: values.workers ?? "all cores",
      },
    };
    // The file keeps only what determines the results, so a resumed run, any --workers, or shards
    // merged write the bytes of one fresh run; times, counts of fits and folders go to the screen.
    const fileMeta = {
      source: meta.source,
      ...(loaded.label ? { label: loaded.label } : {}),
      settings: { experiments, protocols, ...(law ? { law } : {}), families: families ?? "all" },
    };
    writeFileAtomic(
      join(dir, "summary.json"),
      toJson({ meta: timing ? meta : fileMeta, ...summary }),
    );
    io.out(values.json ? toJson({ meta, ...summary }) : inFlagText(analysisText(summary, meta)));
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
    aggregate: [
      s.aggregate,
      ["protocol", "bin", "fraction", "are", "median", "trimmedMean", "count"],
    ],
    "scale-up": [
      s.scaleUp,
      ["protocol", "bin", "fraction", "are", "median", "trimmedMean", "count"],
    ],
    "self-prediction-runs": [
      s.selfPrediction,
      ["protocol", "bin", "fraction", "are", "median", "trimmedMean", "count"],
    ],
    cheapest: [
      s.cheapest,
      ["protocol", "family", "threshold", "trainModels", "fraction", "flops", "are", "largest"],
    ],
    protocols: [
      s.protocols,
      [
        "family",
        "cells",
        "defaultWins",
        "medianDifference",
        "better",
        "defaultMedian",
        "paperMedian",
        "defaultAre",
        "paperAre",
        "defaultTrimmed",
        "paperTrimmed",
      ],
    ],
    "end-of-training-families": [
      s.endOfTraining,
      ["protocol", "family", "models", "m", "are", "median", "trimmedMean", "fits", "members"],
    ],
  } as const;
  for (const [name, [data, cols]] of Object.entries(tables)) {
    if (data.length === 0) continue;
    writeFileAtomic(join(dir, `${name}.csv`), toCsv(data as readonly object[], cols as never));
    writeFileAtomic(join(dir, `${name}.json`), toJson(data));
  }
  if (s.params.length)
    writeFileAtomic(
      join(dir, "params-pca.json"),
      toJson({ convergedAtLeast3Sizes: s.params, allFits: s.paramsAllFits }),
    );
}

/** Parses `--shard i/n` (1 ≤ i ≤ n). */
function shardFlag(raw: string | undefined): { i: number; n: number } | null {
  if (raw === undefined) return null;
  const m = /^(\d+)\/(\d+)$/.exec(raw.trim());
  const i = m ? Number(m[1]) : Number.NaN;
  const n = m ? Number(m[2]) : Number.NaN;
  if (!(i >= 1 && n >= 1 && i <= n))
    throw new InputError(`--shard must be i/n with 1 ≤ i ≤ n, got "${raw}"`, {
      field: "--shard",
      hint: "e.g. --shard 2/3 (Slurm: --shard $((SLURM_ARRAY_TASK_ID+1))/$SLURM_ARRAY_TASK_COUNT)",
    });
  return { i, n };
}

/**
 * Copies the chunk files of shard folders into `dir/chunks`, each checked against the chunk it
 * claims to be (same cells, same data); the run then resumes them all and computes nothing.
 * @throws InputError when a shard folder is missing or some chunk is in no shard
 */
function mergeShards(
  dirs: readonly string[],
  dir: string,
  chunks: readonly Chunk[],
  source: string,
) {
  for (const d of dirs)
    if (!existsSync(join(d, "chunks")))
      throw new InputError(`no chunks folder in ${d}`, {
        field: "--merge",
        hint: "give the --out folders of the shard runs",
      });
  const missing: string[] = [];
  for (const c of chunks) {
    if (readChunk(dir, c, source)) continue;
    const from = dirs.find((d) => readChunk(d, c, source));
    if (from === undefined) missing.push(c.id);
    else
      writeFileAtomic(
        join(dir, "chunks", `${c.id}.json`),
        readFileSync(join(from, "chunks", `${c.id}.json`), "utf8"),
      );
  }
  if (missing.length)
    throw new InputError(
      `${missing.length} of ${chunks.length} chunks are in none of the shard folders (e.g. ${missing[0]})`,
      {
        field: "--merge",
        hint: "run the missing shards with the same corpus and settings, or give all their folders",
      },
    );
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
