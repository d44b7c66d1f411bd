import { toFitData } from "../data/fitdata.js";
import { type LoadOptions, loadRuns } from "../data/load.js";
import type { RunTable } from "../data/types.js";
import { InputError } from "../errors.js";
import type { FitData } from "../fit/types.js";
import type { DataRecord } from "../report/fit.js";
import { numberFlag } from "./args.js";
import { type Flags, type FlagValues, flagHelp, str } from "./flags.js";
import type { Io } from "./io.js";

/** Where the project store lives unless `--db` says otherwise. */
export const DEFAULT_DB = "./scaleladder.duckdb";

/** Flags of every command that reads runs from a file or the store. */
export const RUNS_FLAGS = {
  db: str("PATH", "read runs from a store made by scaleladder import instead of FILE"),
  where: str(
    '"SQL"',
    `keep rows satisfying a condition over family, model, params, tokens, flops,
metric, value (alias loss), seed, step, unique_tokens;
e.g. --where "loss < 4 AND step > 0"`,
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
} as const satisfies Flags;

/** Help text for {@link RUNS_FLAGS}. */
export const RUNS_HELP = flagHelp(RUNS_FLAGS);

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
): Promise<RunTable> {
  const file = positionals[0];
  const db = values.db;
  if (positionals.length > 1) {
    throw new InputError(`unexpected argument "${positionals[1]}"`, {
      field: `scaleladder ${command}`,
      hint: "give one input file",
    });
  }
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
      table = await store.query(options.where, { metric: options.metric ?? "loss" });
    } finally {
      await store.close();
    }
  } else {
    table = await loadRuns(file, {
      ...options,
      metric: options.metric ?? "loss",
      extraColumns: extra.columns,
    });
  }
  for (const w of table.warnings ?? []) io?.err(`scaleladder: warning: ${w}\n`);
  return table;
}

/** The row filters a command applied, for the fit record (`where: loss < 4`, `metric: loss`). */
export function runFilters(values: RunsValues): string[] {
  const out = [`metric: ${values.metric ?? "loss"}`];
  if (values.where) out.push(`where: ${values.where}`);
  return out;
}

/** Fit input and its provenance record from a run table. */
export function fitInput(
  table: RunTable,
  filters: string[] = [],
): { data: FitData; record: DataRecord } {
  const data = toFitData(table);
  return {
    data,
    record: {
      source: table.origin,
      rows: table.length,
      runs: new Set(data.run).size,
      filters,
      paramsDefinition:
        "as given in the params column (total parameters unless the source says otherwise)",
    },
  };
}
