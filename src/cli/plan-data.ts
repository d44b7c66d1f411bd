import { toFitData } from "../data/fitdata.js";
import type { RunTable } from "../data/types.js";
import { InputError } from "../errors.js";
import type { FitData } from "../fit/types.js";
import { numberFlag } from "./args.js";
import type { PlanValues } from "./plan-flags.js";
import { readRuns } from "./runs-input.js";

/** Loaded runs with the rows kept after `--drop-highest K` (the K highest-loss rows removed). */
export interface PlanRows {
  readonly table: RunTable;
  readonly rows: number[];
  /** FILE, or `db:PATH` for runs read from the store. */
  readonly file: string;
  readonly filters: string[];
}

/**
 * Loads FILE (or the store) with the column-mapping flags and applies `--drop-highest`. With
 * `--budget-col NAME` the loader also carries that column, row for row, into `table.extra`.
 */
export async function loadPlanRows(values: PlanValues, positionals: string[]): Promise<PlanRows> {
  const budgetCol = values["budget-col"];
  const table = await readRuns(values, positionals, "plan", undefined, {
    columns: budgetCol ? [budgetCol] : [],
    flag: "--budget-col",
  });
  const drop = numberFlag(values, "drop-highest", { integer: true, min: 0 }) ?? 0;
  let rows = Array.from({ length: table.length }, (_, i) => i);
  const filters: string[] = [];
  if (drop > 0) {
    // As Besiroglu et al. 2024 do: keep losses strictly below the K-th highest.
    const threshold = [...table.value].sort((a, b) => a - b)[table.length - drop];
    rows = rows.filter((i) => table.value[i] < threshold);
    filters.push(`dropped the ${drop} highest-loss rows`);
  }
  return { table, rows, file: positionals[0] ?? table.origin, filters };
}

/** Fit input for the kept rows (runs numbered by family, model and seed, as the bootstrap expects). */
export function fitDataOf(p: PlanRows): FitData {
  return toFitData(p.table, p.rows);
}

/**
 * Fit input for the data-constrained law: every kept row must say how many unique tokens its run
 * had, since filling in U = D would silently fit a different law.
 * @throws InputError naming the source and the first model that lacks them
 */
export function dataConstrainedFitData(p: PlanRows): FitData {
  const u = p.table.uniqueTokens;
  const missing = p.rows.find((i) => !(u && u[i] > 0));
  if (missing !== undefined && !u) {
    throw new InputError("no unique tokens (--approach data-constrained needs them)", {
      file: p.file,
      hint: "add a unique_tokens column, or map one with --unique-tokens-col NAME",
    });
  }
  if (missing !== undefined) {
    throw new InputError(
      `no unique tokens for model "${p.table.model[missing]}" (family "${p.table.family[missing]}")`,
      {
        file: p.file,
        hint: `--approach data-constrained needs them on every row: add --where "unique_tokens IS NOT NULL"`,
      },
    );
  }
  return fitDataOf(p);
}

/**
 * The `--budget-col` value of each kept row, read by the loader beside the row itself.
 * @throws InputError for an empty or non-positive budget, naming the model
 */
export function budgetColumn(p: PlanRows, name: string): Float64Array {
  const col = p.table.extra?.[name];
  if (!col) throw new Error(`budget column "${name}" was not loaded`);
  return Float64Array.from(p.rows, (i) => {
    const b = col[i];
    if (!(b > 0)) {
      throw new InputError(
        `${name} must be positive, got ${Number.isNaN(b) ? "an empty cell" : b} (model "${p.table.model[i]}")`,
        {
          file: p.file,
          field: "--budget-col",
          hint: "fill in each row's nominal FLOPs budget, or drop the row with --where",
        },
      );
    }
    return b;
  });
}
