import type { DuckDBConnection } from "@duckdb/node-api";
import {
  AS_READ,
  ColumnReader,
  canonSelect,
  defineMacros,
  keepsEveryRecord,
  keptColumn,
} from "./canonical.js";
import { checkpointsDistinct, describeUnits, scanRows } from "./checks.js";
import { resolveColumns } from "./columns.js";
import { readSource } from "./source.js";
import {
  countSkipped,
  type LoadOptions,
  namesCanonicalOnly,
  type StageInput,
  skipRule,
} from "./stage.js";

/** What the quick route's first SELECT raises at a row that a second one would skip. */
export const ROW_TO_SKIP = "scaleladder: a row to skip";

/** The quick route's SELECTs of a file, and how to count the rows the second skips. */
export interface DirectSelect {
  /**
   * The canonical rows as `columns` (stored column names), when the file has no incomplete row:
   * it fails at the first one, with {@link ROW_TO_SKIP} unless `strict`.
   */
  readonly select: string;
  /** The same, skipping incomplete rows as the staged route does ({@link skipRule}); not with `strict`. */
  readonly skipping?: string;
  /**
   * The rows {@link skipping} leaves out, by reason, counted as the staged route counts them: read
   * from the file again.
   */
  skipped(): Promise<Map<string, number>>;
}

/**
 * The canonical rows of one file as SELECTs straight from the file, for an insert into the store
 * that needs no staging table; or undefined when the file needs the staged route anyway (a `where`
 * over the file's own columns, a metric to pick, a run named by its file, extra columns). A
 * `where` over canonical columns drops rows before any check, and incomplete rows (an empty
 * metric, params or tokens cell, or tokens = 0) are skipped after it, as the staged route does.
 * The first SELECT fails at an incomplete row, so a clean file never pays for counting them; the
 * second skips them. Both fail on any row the staged route would refuse or that needs its words
 * (an unreadable cell; an empty cell of an optional number, such as steps, flops or tokens beside
 * the clock tokens come from, or unique tokens; with `strict`, an incomplete row): such a
 * file is then staged, which says what is wrong with it. Values, sizes and repeats are checked
 * after the insert ({@link checkDirect}).
 */
export async function directSelect(
  conn: DuckDBConnection,
  input: StageInput,
  o: LoadOptions,
  columns: string,
): Promise<DirectSelect | undefined> {
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
  // The cells a row is skipped without (its tokens come from `tokensFrom`); any other number is
  // optional, and explained wherever it is NULL.
  const needed = (["value", "params", res.tokensFrom] as const).filter((f) => c[f] !== undefined);
  const optional = (["step", "flops", "tokens", "unique_tokens"] as const)
    .filter((f) => c[f] && f !== res.tokensFrom)
    .map((f) => `${AS_READ[f]} IS NULL`);
  const rule = skipRule(res, true);
  const rows = (keep: readonly string[] = []) =>
    `(SELECT *, value AS loss FROM (${canonSelect(raw.reader, rc, res, co, "CAST(NULL AS BIGINT)", { keep })}))`;
  // A needed cell's text rides along (a reference, not a copy), to tell an empty one from text.
  const explain = [
    ...optional,
    ...needed.map((f, i) => `(${AS_READ[f]} IS NULL AND ${rc.presentText(c[f]!, keptColumn(i))})`),
  ];
  // CASE tries its branches in order, row by row: a row the filter drops is never explained, and
  // a row is skipped only when nothing in it needs explaining.
  const kept = where === undefined ? "" : `WHEN NOT coalesce((${where}), false) THEN false `;
  const select = (incomplete: string) =>
    `SELECT ${columns} FROM ${rows(needed.map((f) => c[f]!))} WHERE CASE ${kept}WHEN ${explain.join(" OR ")} THEN error('scaleladder: a cell to explain') WHEN ${rule.candidates} THEN ${incomplete} ELSE true END`;
  return {
    select: select(
      o.strict ? "error('scaleladder: a cell to explain')" : `error('${ROW_TO_SKIP}')`,
    ),
    skipping: o.strict ? undefined : select(`(${rule.why}) IS NULL`),
    skipped: () =>
      countSkipped(
        conn,
        rule,
        where === undefined
          ? rows()
          : `(SELECT * FROM ${rows()} WHERE coalesce((${where}), false))`,
      ),
  };
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
