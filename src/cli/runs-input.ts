import { toFitData } from "../data/fitdata.js";
import { loadRuns } from "../data/load.js";
import type { RunTable } from "../data/types.js";
import { InputError } from "../errors.js";
import type { FitData } from "../fit/types.js";
import type { DataRecord } from "../report/fit.js";
import { numberFlag } from "./args.js";

/** Flags of every command that reads runs from a file. */
export const RUNS_OPTIONS = {
  format: { type: "string" },
  "params-col": { type: "string" },
  "tokens-col": { type: "string" },
  "flops-col": { type: "string" },
  "loss-col": { type: "string" },
  "model-col": { type: "string" },
  "family-col": { type: "string" },
  "seed-col": { type: "string" },
  "step-col": { type: "string" },
  "tokens-per-step": { type: "string" },
} as const;

/** Reads the runs a command was pointed at (FILE), with the column-mapping flags applied. */
export function readRuns(values: Record<string, unknown>, positionals: string[], command: string): RunTable {
  const file = positionals[0];
  if (!file) {
    throw new InputError("no input file given", { field: `scaleladder ${command}`, hint: `scaleladder ${command} runs.csv` });
  }
  if (positionals.length > 1) {
    throw new InputError(`unexpected argument "${positionals[1]}"`, { field: `scaleladder ${command}`, hint: "give one input file" });
  }
  const s = (k: string) => values[k] as string | undefined;
  return loadRuns(file, {
    format: s("format"),
    params: s("params-col"),
    tokens: s("tokens-col"),
    flops: s("flops-col"),
    loss: s("loss-col"),
    model: s("model-col"),
    family: s("family-col"),
    seed: s("seed-col"),
    step: s("step-col"),
    tokensPerStep: numberFlag(values, "tokens-per-step", { positive: true }),
  });
}

/** Fit input and its provenance record from a run table. */
export function fitInput(table: RunTable, filters: string[] = []): { data: FitData; record: DataRecord } {
  const data = toFitData(table);
  return {
    data,
    record: {
      source: table.origin,
      rows: table.length,
      runs: new Set(data.run).size,
      filters,
      paramsDefinition: "as given in the params column (total parameters unless the source says otherwise)",
    },
  };
}
