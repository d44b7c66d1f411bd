import type { DuckDBConnection } from "@duckdb/node-api";
import { AS_READ, ColumnReader, canonSelect, defineMacros, keepsEveryRecord } from "./canonical.js";
import { checkpointsDistinct, describeUnits, scanRows } from "./checks.js";
import { resolveColumns } from "./columns.js";
import { readSource } from "./source.js";
import { type LoadOptions, namesCanonicalOnly, type StageInput } from "./stage.js";

/**
 * The canonical rows of one file as a SELECT of `columns` (stored column names) straight from the
 * file, for an insert into the store that needs no staging table; or undefined when the file needs
 * the staged route anyway (a `where` over the file's own columns, a metric to pick, a run named by
 * its file, extra columns). A `where` over canonical columns drops rows before any check, as the
 * staged route applies it first.
 * The SELECT fails on any row with a cell the staged route would skip as empty or refuse as
 * unreadable: such required cells give NULL where the store allows none, and an optional number
 * read from a cell (steps, flops, tokens beside another clock, unique tokens) that is NULL raises
 * an error; so does an untrained checkpoint (tokens = 0), which the staged route skips with a
 * count (deleting it from the store's new rows instead made the commit append them all again).
 * Such a file is then staged, which says what is wrong with it, or skips those rows with a count.
 * Values, sizes and repeats are checked after the insert ({@link checkDirect}).
 */
export async function directSelect(
  conn: DuckDBConnection,
  input: StageInput,
  o: LoadOptions,
  columns: string,
): Promise<string | undefined> {
  const where = o.where?.trim() ? o.where : undefined;
  if (where !== undefined && !namesCanonicalOnly(where)) return undefined;
  await defineMacros(conn);
  const raw = await readSource(conn, input.path, "sl_raw", o.format, { view: true });
  await conn.run("DROP VIEW sl_raw");
  if (raw.rows === 0) return undefined;
  const fixed = input.fixed ?? o.fixed;
  const co = { ...o, fixed };
  const res = resolveColumns(raw.columns, o, input.label ?? input.path, {
    params: fixed?.params !== undefined,
  });
  if (!keepsEveryRecord(res, co) || res.extra.length > 0) return undefined;
  const rc = new ColumnReader(raw.columns, raw.types);
  const c = res.columns;
  const optional = (["step", "flops", "tokens", "unique_tokens"] as const)
    .filter((f) => c[f])
    .map((f) => AS_READ[f]);
  const explain = [...optional.map((x) => `${x} IS NULL`), "tokens = 0"];
  // CASE tries its branches in order, row by row: a row the filter drops is never explained.
  const kept = where === undefined ? "" : `WHEN NOT coalesce((${where}), false) THEN false `;
  const guard = `WHERE CASE ${kept}WHEN ${explain.join(" OR ")} THEN error('scaleladder: a cell to explain') ELSE true END`;
  const canon = canonSelect(raw.reader, rc, res, co, "CAST(NULL AS BIGINT)");
  return `SELECT ${columns} FROM (SELECT *, value AS loss FROM (${canon})) ${guard}`;
}

/**
 * Checks canonical rows just written to the store (`table`, a relation over them) as the staged
 * route checks a file: values, one size per model, no checkpoint twice, tokens never falling.
 * Returns the unit warnings of a clean table, or undefined when anything needs the staged route
 * (which places each problem at its file line, or picks the first of repeated rows).
 */
export async function checkDirect(
  conn: DuckDBConnection,
  table: string,
  label: string,
): Promise<string[] | undefined> {
  const scan = await scanRows(conn, table);
  if (scan.problems || scan.units.n === 0) return undefined;
  if (!(await checkpointsDistinct(conn, table))) return undefined;
  return describeUnits(scan.units, label);
}
