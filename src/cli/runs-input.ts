import { basename, dirname, resolve } from "node:path";
import { earlyCut, toFitData } from "../data/fitdata.js";
import { type LoadOptions, loadRuns } from "../data/load.js";
import { fileStem } from "../data/manifest.js";
import { expandPaths } from "../data/paths.js";
import type { RunTable } from "../data/types.js";
import { InputError } from "../errors.js";
import type { FitData } from "../fit/types.js";
import type { DataRecord } from "../report/fit.js";
import { numberFlag } from "./args.js";
import { bool, type Flags, type FlagValues, flagHelp, str } from "./flags.js";
import type { Io } from "./io.js";
import { warningLine } from "./option-flags.js";

/** Where the project store lives unless `--db` says otherwise. */
export const DEFAULT_DB = "./scaleladder.duckdb";

/** Flags of every command that reads runs from a file or the store. */
export const RUNS_FLAGS = {
  db: str("PATH", "read runs from a store made by scaleladder import instead of FILE"),
  where: str(
    '"COND"',
    `keep rows satisfying a filter, applied first, over every column of the
file and family, model, params, tokens, flops, metric, value (alias loss),
seed, step, unique_tokens: comparisons, AND/OR/NOT, IN, BETWEEN, IS NULL, LIKE
and a few functions (abs, log10, lower, …; see docs/robustness.md);
e.g. --where "loss < 4 AND step > 0",
--where "task = 'lambada_openai' AND shots = 0"`,
  ),
  metric: str(
    "NAME",
    "metric to use (default loss): a column of a wide file, a value of a long one",
  ),
  format: str("F", "csv, tsv, json, jsonl or parquet (default: the file extension)"),
  "params-col": str(
    "NAME",
    `(and --tokens-col, --flops-col, --loss-col, --model-col, --family-col,
--seed-col, --step-col, --metric-col, --value-col) map columns`,
  ),
  "tokens-col": str("NAME"),
  "flops-col": str("NAME"),
  "loss-col": str("NAME"),
  "model-col": str("NAME"),
  "family-col": str("NAME"),
  "seed-col": str("NAME"),
  "step-col": str("NAME"),
  "metric-col": str("NAME"),
  "value-col": str("NAME"),
  "unique-tokens-col": str(
    "NAME",
    `column of unique tokens in the training data (default unique_tokens;
data-constrained runs, Muennighoff et al. 2023)`,
  ),
  "tokens-per-step": str("T", "derive tokens = step × T (sizes take suffixes: 4M)"),
  manifest: str(
    "CSV",
    `per-file model, params, family, seed (columns file,model,params,family,seed)
for exports with one file per run`,
  ),
  strict: bool(`refuse rows with an empty metric, params or tokens cell and checkpoints with
tokens = 0 (default: skip them and say how many)`),
  repeats: str(
    "first|last",
    `a checkpoint logged twice with different values (a resumed run logs its steps
again): keep the first or the last row (default: refuse the file)`,
  ),
} as const satisfies Flags;

/** What FILE may be, for the help of every command that reads runs. */
export const FILES_NOTE = `  FILE may be several files or quoted patterns ("runs/*.csv"; a file that exists is read as named),
  - for standard input, a named pipe, .gz or .zst; with several files a run without a model
  column is named by its file stem`;

/** Help text for {@link RUNS_FLAGS}. */
export const RUNS_HELP = `${flagHelp(RUNS_FLAGS)}
${FILES_NOTE}`;

/** Values of {@link RUNS_FLAGS}. */
export type RunsValues = FlagValues<typeof RUNS_FLAGS>;

/** Reads the file-reading flags into loader options. */
export function loadOptionsFromFlags(values: RunsValues): LoadOptions {
  return {
    format: values.format,
    metric: values.metric,
    where: values.where,
    params: values["params-col"],
    tokens: values["tokens-col"],
    flops: values["flops-col"],
    loss: values["loss-col"],
    model: values["model-col"],
    family: values["family-col"],
    seed: values["seed-col"],
    step: values["step-col"],
    metricCol: values["metric-col"],
    valueCol: values["value-col"],
    uniqueTokens: values["unique-tokens-col"],
    tokensPerStep: numberFlag(values, "tokens-per-step", { positive: true }),
    manifest: values.manifest,
    strict: values.strict === true,
    repeats: values.repeats as LoadOptions["repeats"],
  };
}

/**
 * Reads the runs a command was pointed at: FILE with the column-mapping flags applied, or the store
 * named by `--db`; one metric (`--metric`, default loss), filtered by `--where`. Warnings (likely
 * unit mistakes) go to `io.err`. `extra` asks for further numeric file columns, returned in
 * `RunTable.extra` (the store keeps only canonical columns); `flag` maps each to the flag that named
 * it, for messages.
 */
export async function readRuns(
  values: RunsValues,
  positionals: string[],
  command: string,
  io?: Io,
  extra: { columns: readonly string[]; flag: string } = { columns: [], flag: "" },
  /** Without --metric, read every metric from the store (commands that pick one per family). */
  anyStoredMetric = false,
): Promise<RunTable> {
  const file = positionals[0] ?? values.manifest;
  const db = values.db;
  if (file && db) {
    throw new InputError("give FILE or --db, not both", {
      field: `scaleladder ${command}`,
      hint: `import the file first: scaleladder import ${file} --db ${db}`,
    });
  }
  if (!file && !db) {
    throw new InputError("no input file given", {
      field: `scaleladder ${command}`,
      hint: `scaleladder ${command} runs.csv, or --db ${DEFAULT_DB}`,
    });
  }
  const options = loadOptionsFromFlags(values);
  if (db && extra.columns.length > 0) {
    throw new InputError(`${extra.flag} needs FILE: the store keeps only the canonical columns`, {
      field: extra.flag,
      hint: `give the file instead of --db, or drop ${extra.flag}`,
    });
  }
  let table: RunTable;
  if (db) {
    const { openStore } = await import("../data/store.js");
    const store = await openStore(db);
    try {
      const metric = options.metric ?? (anyStoredMetric ? undefined : "loss");
      table = await store.query(options.where, { metric });
      if (table.length === 0) await explainEmpty(store, db, metric, options.where);
    } finally {
      await store.close();
    }
  } else {
    const paths = inputPaths(positionals, io);
    table = await loadRuns(paths, {
      defaultFamily: defaultFamilyOf(paths, options.manifest),
      ...options,
      metric: options.metric ?? "loss",
      extraColumns: extra.columns,
    });
  }
  for (const w of table.warnings ?? []) io?.err(warningLine(w));
  return table;
}

/**
 * The family of rows without a family column: the file's name (or, for several files, their
 * folder's), as import gives them, so a file and the store it was imported into agree.
 */
export function defaultFamilyOf(paths: readonly string[], manifest?: string): string {
  const first = paths[0] ?? manifest ?? "";
  if (paths.length > 1) return basename(dirname(resolve(first)));
  return first === "-" ? "stdin" : fileStem(first);
}

/** A store query that found nothing: say whether the metric or the filter is the cause. */
async function explainEmpty(
  store: Awaited<ReturnType<typeof import("../data/store.js").openStore>>,
  db: string,
  metric: string | undefined,
  where: string | undefined,
): Promise<never> {
  const all = await store.summary();
  const metrics = [...new Set(all.flatMap((f) => f.metrics))].sort();
  if (all.length === 0)
    throw new InputError("the store holds no runs", {
      file: db,
      hint: `add some: scaleladder import runs.csv --db ${db}`,
    });
  if (metric !== undefined && !metrics.includes(metric))
    throw new InputError(
      `no rows with metric "${metric}" in the store (it has ${metrics.join(", ")})`,
      {
        file: db,
        field: "--metric",
        hint: `pick one with --metric, e.g. --metric "${metrics[0]}"`,
      },
    );
  throw new InputError(
    `no rows satisfy --where "${where ?? ""}"${metric ? ` with metric "${metric}"` : ""}`,
    {
      file: db,
      field: "--where",
      hint: `loosen the condition; families: ${all
        .map((f) => f.family)
        .slice(0, 12)
        .join(", ")}`,
    },
  );
}

/**
 * The files named on the command line, patterns expanded in our code (a file that exists is read as
 * named); the matches are listed on `io.err` when a pattern was used.
 */
export function inputPaths(positionals: readonly string[], io?: Io): string[] {
  const paths = expandPaths(positionals);
  if (paths.length !== positionals.length || paths.some((p, i) => p !== positionals[i])) {
    const shown = paths.length > 8 ? [...paths.slice(0, 8), `… ${paths.length - 8} more`] : paths;
    const n = paths.length === 1 ? "1 file" : `${paths.length} files`;
    io?.err(`scaleladder: reading ${n}: ${shown.join(", ")}\n`);
  }
  return paths;
}

/** The row filters a command applied, for the fit record (`where: loss < 4`, `metric: loss`). */
export function runFilters(values: RunsValues): string[] {
  const out = [`metric: ${values.metric ?? "loss"}`];
  if (values.where) out.push(`where: ${values.where}`);
  return out;
}

/** The early-cut flag of `fit` and `predict`. */
export const EARLY_CUT_FLAGS = {
  "min-tokens": str(
    "C",
    `drop checkpoints with at most C tokens from runs with several checkpoints
(default 1e10, the Hitchhiker's Guide's cut, as evaluate; 0 keeps all);
final-loss-only data (one row per run) is never cut`,
  ),
} as const;

/** Help text for {@link EARLY_CUT_FLAGS}. */
export const EARLY_CUT_HELP = flagHelp(EARLY_CUT_FLAGS);

/** The guide's early cut, as evaluate applies it (estimate/forecast.ts DEFAULT_MIN_TOKENS). */
const GUIDE_CUT = 1e10;

/**
 * Fit input and its provenance record from a run table, after the early cut of `--min-tokens`
 * (pass `values` without the flag to use the default; `cut: false` for commands without it).
 * `note` says how many rows the cut dropped, for the command to print once it has succeeded.
 * @throws InputError when the cut leaves nothing to fit
 */
export function fitInput(
  table: RunTable,
  filters: string[] = [],
  cut: { values: Record<string, unknown> } | false = false,
): { data: FitData; record: DataRecord; note?: string } {
  let rows: number[] | undefined;
  let note: string | undefined;
  if (cut) {
    const c = numberFlag(cut.values, "min-tokens", { min: 0 }) ?? GUIDE_CUT;
    const kept = earlyCut(table, c);
    if (kept.rows.length === 0)
      throw new InputError(`every row is at or below ${c} tokens: nothing left to fit`, {
        field: "--min-tokens",
        hint: "lower it, or --min-tokens 0 to keep every checkpoint",
      });
    if (kept.dropped > 0) {
      rows = kept.rows;
      filters = [...filters, `checkpoints with tokens > ${c} (runs with one row kept whole)`];
      note = `scaleladder: dropped ${kept.dropped} of ${table.length} checkpoints at or below ${c.toExponential(0)} tokens (the guide's early cut; --min-tokens 0 keeps them)\n`;
    }
  }
  const data = toFitData(table, rows);
  return {
    data,
    note,
    record: {
      source: table.origin,
      rows: rows?.length ?? table.length,
      // toFitData numbers runs 0, 1, … as they appear: the count of distinct ids is the count of names.
      runs: data.runNames.length,
      filters,
      paramsDefinition:
        "as given in the params column (total parameters unless the source says otherwise)",
    },
  };
}
