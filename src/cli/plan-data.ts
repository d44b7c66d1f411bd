import { readFileSync } from "node:fs";
import { parseDelimited } from "../data/csv.js";
import { parseSize } from "../data/size.js";
import type { RunTable } from "../data/types.js";
import { InputError } from "../errors.js";
import type { FitData } from "../fit/types.js";
import { numberFlag } from "./args.js";
import { readRuns } from "./runs-input.js";

/**
 * Reads one extra numeric column (e.g. `budget`, `unique_tokens`) of a CSV/TSV file, row-aligned
 * with `loadRuns` (both skip blank lines and keep file order).
 * @throws InputError for a missing column or a bad cell (file:line:column)
 */
export function readExtraColumn(file: string, name: string): Float64Array {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    throw new InputError("cannot read file", { file, hint: "check the path" });
  }
  const d = parseDelimited(text, file, file.toLowerCase().endsWith(".tsv") ? "\t" : ",");
  const c = d.header.indexOf(name);
  if (c < 0)
    throw new InputError(`missing column "${name}" (found: ${d.header.join(", ")})`, {
      file,
      line: 1,
    });
  return Float64Array.from(d.rows, (row, r) => {
    const v = parseSize(row[c]);
    if (!(v > 0) || !Number.isFinite(v)) {
      throw new InputError(`${name} must be a positive number, got ${JSON.stringify(row[c])}`, {
        file,
        line: d.lines[r],
        column: c + 1,
      });
    }
    return v;
  });
}

/** Loaded runs with the rows kept after `--drop-highest K` (the K highest-loss rows removed). */
export interface PlanRows {
  readonly table: RunTable;
  readonly rows: number[];
  readonly file: string;
  readonly filters: string[];
}

/** Loads FILE with the column-mapping flags and applies `--drop-highest`. */
export async function loadPlanRows(
  values: Record<string, unknown>,
  positionals: string[],
): Promise<PlanRows> {
  const table = await readRuns(values, positionals, "plan");
  const drop = numberFlag(values, "drop-highest", { integer: true, min: 0 }) ?? 0;
  let rows = Array.from({ length: table.length }, (_, i) => i);
  const filters: string[] = [];
  if (drop > 0) {
    // As Besiroglu et al. 2024 do: keep losses strictly below the K-th highest.
    const threshold = [...table.value].sort((a, b) => a - b)[table.length - drop];
    rows = rows.filter((i) => table.value[i] < threshold);
    filters.push(`dropped the ${drop} highest-loss rows`);
  }
  return { table, rows, file: positionals[0], filters };
}

/** Fit input for the kept rows (runs numbered by model, as the bootstrap expects). */
export function fitDataOf(p: PlanRows, uniqueTokens?: Float64Array): FitData {
  const pick = (a: Float64Array) => Float64Array.from(p.rows, (i) => a[i]);
  const runOf = new Map<string, number>();
  const run = Int32Array.from(p.rows, (i) => {
    const key = `${p.table.family[i]}\u0000${p.table.model[i]}\u0000${p.table.seed[i]}`;
    if (!runOf.has(key)) runOf.set(key, runOf.size);
    return runOf.get(key) ?? 0;
  });
  return {
    params: pick(p.table.params),
    tokens: pick(p.table.tokens),
    flops: pick(p.table.flops),
    loss: pick(p.table.value),
    run,
    ...(uniqueTokens ? { uniqueTokens: pick(uniqueTokens) } : {}),
  };
}
