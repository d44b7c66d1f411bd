import type { DuckDBConnection } from "@duckdb/node-api";
import { closest, InputError, throwProblems } from "../errors.js";
import {
  type CanonOptions,
  ColumnReader,
  canonSelect,
  cellProblems,
  defineMacros,
  metricFilterSql,
  PARSED_COLUMNS,
} from "./canonical.js";
import { type Locator, rowProblems, unitWarnings } from "./checks.js";
import { type ColumnMapping, type Field, type ResolvedColumns, resolveColumns } from "./columns.js";
import { checkWhere, rows, sqlString } from "./duckdb.js";
import type { Format } from "./formats.js";
import { lineMapper } from "./lines.js";
import { type RawSource, readSource } from "./source.js";

/** How to read a file of runs: its format, column mapping, metric, family and row filter. */
export interface LoadOptions extends ColumnMapping, CanonOptions {
  /** csv, tsv, json, jsonl or parquet; defaults to the file extension. */
  format?: string;
  /** SQL condition over the canonical columns (and `loss`, another name for `value`). */
  where?: string;
}

/** Problems listed before stopping. */
export const MAX_PROBLEMS = 20;

/** Canonical columns a `--where` may use. */
export const WHERE_COLUMNS = [
  "family",
  "model",
  "params",
  "tokens",
  "flops",
  "metric",
  "value",
  "loss",
  "seed",
  "step",
  "arch",
  "dataset",
  "source",
  "unique_tokens",
];

/** A file read, checked and filtered into a temporary canonical table. */
export interface Staged {
  readonly table: string;
  readonly rows: number;
  readonly warnings: string[];
  /** Points problems found later (e.g. against a store) at the file's lines. */
  readonly at: Locator;
}

/**
 * Reads a file into temporary table `name` of canonical rows (`CANON_COLUMNS`), in file order:
 * unreadable cells are reported first (up to {@link MAX_PROBLEMS}, each with file:line:column),
 * then `where` filters, then the kept rows are checked (sizes, duplicates, token order).
 * @throws InputError (or InputErrors) for any problem; nothing is kept
 */
export async function stageFile(
  conn: DuckDBConnection,
  file: string,
  o: LoadOptions,
  name = "sl_canon",
): Promise<Staged> {
  await defineMacros(conn);
  const raw = await readSource(conn, file, "sl_raw", o.format);
  try {
    if (raw.rows === 0) {
      throw new InputError("no rows (the file has a header but no data)", {
        file,
        hint: "add one row per model checkpoint",
      });
    }
    const res = resolveColumns(raw.columns, o, file);
    const rc = new ColumnReader(raw.columns, raw.types);
    if (res.kind === "long" && res.metricFilter !== undefined)
      await checkMetricExists(conn, raw, rc, res);
    const at = fileLocator(raw, res);
    await conn.run(`CREATE OR REPLACE TEMP TABLE sl_all AS ${canonSelect(raw.table, rc, res, o)}`);
    const cells = await cellProblems(conn, "sl_all", raw.table, rc, res, MAX_PROBLEMS + 1);
    throwProblems(
      cells.slice(0, MAX_PROBLEMS).map((c) => {
        const what =
          c.field === "value"
            ? (res.metricName ?? "value")
            : c.field === "extra"
              ? c.column
              : c.field;
        const where = at.where(c.r, c.field, c.column);
        return c.raw === null || c.raw.trim() === ""
          ? new InputError(`${what} is empty`, {
              ...where,
              hint: "fill in the value or remove the row",
            })
          : new InputError(`${what} is not a finite number (${JSON.stringify(c.raw.trim())})`, {
              ...where,
              hint: "use plain or scientific notation, or a size suffix such as 125M",
            });
      }),
      Math.max(0, cells.length - MAX_PROBLEMS),
    );
    await conn.run("DROP TABLE sl_raw");
    const kept = await applyWhere(conn, "sl_all", name, o.where, PARSED_COLUMNS);
    await conn.run("DROP TABLE sl_all");
    const problems = await rowProblems(conn, name, at, MAX_PROBLEMS + 1);
    throwProblems(problems.slice(0, MAX_PROBLEMS), Math.max(0, problems.length - MAX_PROBLEMS));
    return { table: name, rows: kept, warnings: await unitWarnings(conn, name, file), at };
  } finally {
    await conn.run("DROP TABLE IF EXISTS sl_raw; DROP TABLE IF EXISTS sl_all");
  }
}

/**
 * Copies the rows of `from` that satisfy `where` (all rows without one) into `to`.
 * @throws InputError when the condition does not parse or keeps no rows
 */
export async function applyWhere(
  conn: DuckDBConnection,
  from: string,
  to: string,
  where?: string,
  drop: readonly string[] = [],
): Promise<number> {
  const exclude = drop.length > 0 ? ` EXCLUDE (${drop.join(", ")})` : "";
  if (where === undefined || where.trim() === "") {
    await conn.run(`CREATE OR REPLACE TEMP TABLE ${to} AS SELECT *${exclude} FROM ${from}`);
  } else {
    const view = `(SELECT *${exclude}, value AS loss FROM ${from})`;
    await checkWhere(conn, view, where, WHERE_COLUMNS);
    await conn.run(
      `CREATE OR REPLACE TEMP TABLE ${to} AS SELECT * EXCLUDE (loss) FROM ${view} WHERE (${where})`,
    );
  }
  const n = Number((await rows(conn, `SELECT count(*) AS n FROM ${to}`))[0].n);
  if (n === 0) {
    throw new InputError(where ? `no rows satisfy --where "${where}"` : "no rows", {
      field: where ? "--where" : undefined,
      hint: where ? "loosen the condition; columns: " + WHERE_COLUMNS.join(", ") : "add rows",
    });
  }
  return n;
}

/** In a long file, the metric asked for must occur; otherwise list those that do. */
async function checkMetricExists(
  conn: DuckDBConnection,
  raw: RawSource,
  rc: ColumnReader,
  res: ResolvedColumns,
): Promise<void> {
  const n = Number(
    (
      await rows(conn, `SELECT count(*) AS n FROM ${raw.table} WHERE ${metricFilterSql(rc, res)}`)
    )[0].n,
  );
  if (n > 0) return;
  const metrics = (
    await rows(
      conn,
      `SELECT DISTINCT ${rc.text(res.columns.metric!)} AS m FROM ${raw.table} ORDER BY m LIMIT 50`,
    )
  ).map((r) => String(r.m));
  const near = closest(res.metricFilter!, metrics);
  throw new InputError(`no rows with metric "${res.metricFilter}" (found: ${metrics.join(", ")})`, {
    file: raw.file,
    field: "--metric",
    hint: near
      ? `did you mean --metric "${near}"?`
      : `pick one with --metric NAME, e.g. --metric ${sqlString(metrics[0] ?? "loss")}`,
  });
}

/** Points at cells of a staged file: CSV/TSV columns by number, others by name. */
function fileLocator(raw: RawSource, res: ResolvedColumns): Locator {
  let lineOf: ((r: number) => number) | undefined;
  const line = (r: number) => {
    lineOf ??= lineMapper(raw.file, raw.format);
    return lineOf(r);
  };
  const sourceOf = (field: Field): string | undefined => {
    if (field === "tokens" && res.tokensFrom !== "tokens") return res.columns[res.tokensFrom];
    return res.columns[field];
  };
  const byNumber = raw.format === "csv" || raw.format === "tsv";
  const noun = rowsAreLines(raw.format) ? "line" : "row";
  return {
    where(r, field, column) {
      const col = column ?? sourceOf(field);
      return {
        file: raw.file,
        line: line(r),
        column: col === undefined ? undefined : byNumber ? raw.columns.indexOf(col) + 1 : col,
      };
    },
    label: (r) => `${noun} ${line(r)}`,
    suffix: () => "",
  };
}

function rowsAreLines(f: Format): boolean {
  return f === "csv" || f === "tsv" || f === "jsonl";
}
