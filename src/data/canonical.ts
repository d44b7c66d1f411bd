import type { DuckDBConnection } from "@duckdb/node-api";
import type { Field, ResolvedColumns } from "./columns.js";
import { sqlIdent, sqlString } from "./duckdb.js";

/** Columns of a canonical staging table; `r` is the row's position in its source. */
export const CANON_COLUMNS =
  "r BIGINT, family VARCHAR, model VARCHAR, params DOUBLE, tokens DOUBLE, flops DOUBLE, metric VARCHAR, value DOUBLE, seed VARCHAR, step DOUBLE, arch VARCHAR, dataset VARCHAR, source VARCHAR, unique_tokens DOUBLE";

/** The staging column of the i-th `extraColumns` entry (fixed names, so no file name can clash). */
export const extraColumn = (i: number): string => `_x${i}`;

/** The staging column of the i-th source column kept as it is (see {@link CanonSelectOptions}). */
export const keptColumn = (i: number): string => `_k${i}`;

/**
 * SQL twins of `parseSize` (size.ts): plain, scientific or suffixed numbers (`125M`, `1.3B`,
 * `1.4T`), NULL for anything else, including NaN and ±Inf. `_` separators and JSON quotes are
 * dropped. Defined once per connection. A macro's argument is pasted wherever it is named, so
 * `sl_num` binds the cleaned text and the number read from it to lambda variables: each is then
 * computed once a cell, where the nested macros computed the regular expression many times over
 * (2M suffixed sizes: 11.7 → 4.4 s of CPU on one thread, the same values). An empty cell (NULL)
 * skips the lambdas, which cost it as much as a suffixed size (W&B-like 2M rows, loss, acc and
 * tokens read: 0.55–0.67 → 0.33–0.38 s).
 */
export async function defineMacros(conn: DuckDBConnection): Promise<void> {
  const number = String.raw`^([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*[kKmMbBgGtTpP]$`;
  await conn.run(`
    CREATE OR REPLACE TEMP MACRO sl_clean(x) AS trim(replace(x, '_', ''), ' "' || chr(9) || chr(13));
    CREATE OR REPLACE TEMP MACRO sl_suffix(t) AS TRY_CAST(regexp_extract(t, '${number}', 1) AS DOUBLE)
      * CASE upper(right(t, 1)) WHEN 'K' THEN 1e3 WHEN 'M' THEN 1e6 WHEN 'B' THEN 1e9 WHEN 'G' THEN 1e9
        WHEN 'T' THEN 1e12 WHEN 'P' THEN 1e15 END;
    CREATE OR REPLACE TEMP MACRO sl_any(t) AS coalesce(TRY_CAST(t AS DOUBLE), sl_suffix(t));
    CREATE OR REPLACE TEMP MACRO sl_finite(v) AS CASE WHEN isfinite(v) THEN v END;
    CREATE OR REPLACE TEMP MACRO sl_num(x) AS CASE WHEN isfinite(TRY_CAST(x AS DOUBLE)) THEN TRY_CAST(x AS DOUBLE)
      WHEN x IS NULL THEN NULL ELSE list_transform([sl_clean(x)], t -> list_transform([sl_any(t)], v -> sl_finite(v))[1])[1] END;
  `);
}

const NUMERIC_TYPE =
  /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|DOUBLE|DECIMAL.*)$/;

/** How one source column is read: as a number, or as trimmed text. */
export class ColumnReader {
  constructor(
    private readonly names: readonly string[],
    private readonly types: readonly string[],
  ) {}

  isNumericType(col: string): boolean {
    return NUMERIC_TYPE.test(this.types[this.names.indexOf(col)] ?? "");
  }

  /** A DOUBLE expression for a column, NULL where the cell is empty or not a finite number. */
  num(col: string): string {
    const c = sqlIdent(col);
    return this.isNumericType(col)
      ? `sl_finite(CAST(${c} AS DOUBLE))`
      : `sl_num(CAST(${c} AS VARCHAR))`;
  }

  /** The cell as text, NULL where empty. Whole numbers in numeric columns print without `.0`. */
  text(col: string): string {
    const c = sqlIdent(col);
    if (this.isNumericType(col)) {
      return `CASE WHEN CAST(${c} AS DOUBLE) = round(CAST(${c} AS DOUBLE)) AND abs(CAST(${c} AS DOUBLE)) < 1e15 THEN CAST(CAST(${c} AS HUGEINT) AS VARCHAR) ELSE CAST(${c} AS VARCHAR) END`;
    }
    return `NULLIF(trim(CAST(${c} AS VARCHAR)), '')`;
  }

  /** Whether a cell of `col` holds anything at all, given its text (`CAST(cell AS VARCHAR)`). */
  presentText(col: string, text: string): string {
    return this.isNumericType(col)
      ? `${text} IS NOT NULL`
      : `NULLIF(trim(${text}), '') IS NOT NULL`;
  }
}

/** Numbers read from cells that {@link canonSelect} keeps the text of where it cannot read them. */
const CARRIED = ["params", "tokens", "flops", "step", "value", "unique_tokens"] as const;

/** A canonical field read as a number from a cell of its own. */
export type NumberField = (typeof CARRIED)[number];

/**
 * Each number's column in canonSelect's output as read from its own cell: tokens, flops and steps
 * before derivation fills them in (`_tk`, `_fl`, `_st`), the others as they are.
 */
export const AS_READ: Record<NumberField, string> = {
  params: "params",
  tokens: "_tk",
  flops: "_fl",
  step: "_st",
  value: "value",
  unique_tokens: "unique_tokens",
};

/** Each number's column in canonSelect's innermost SELECT (before derivation). */
const PARSED_AS: Record<NumberField, string> = {
  params: "p",
  tokens: "tk",
  flops: "fl",
  step: "st",
  value: "v",
  unique_tokens: "unique_tokens",
};

/**
 * The column of {@link canonSelect} (with `carry`) that keeps the text of the cells it could not
 * read as numbers although they hold something: NULL in every row read whole and in every row
 * whose unread cells are empty (one mostly-NULL column, ≈ 8 bytes a row, where a column per cell
 * cost 32), else a JSON array with one entry per {@link carriedCells} (null where read or empty).
 * So problems are quoted, and empty cells told from unreadable ones, without reading the file again.
 */
export const RAW_COLUMN = "_raw";

/** Cells whose text {@link RAW_COLUMN} carries: a canonical field, or the i-th extra column. */
export type Carried = Field | number;

/** The cells {@link RAW_COLUMN} carries, in its order: each read number's source column. */
function carriedCells(res: ResolvedColumns): { key: Carried; col: string; parsed: string }[] {
  return [
    ...CARRIED.filter((f) => res.columns[f] !== undefined).map((f) => ({
      key: f as Carried,
      col: res.columns[f]!,
      parsed: PARSED_AS[f],
    })),
    ...res.extra.map((e, i) => ({ key: i as Carried, col: e.column, parsed: extraColumn(i) })),
  ];
}

/**
 * SQL for the carried text of one cell (`key`) of a row of a table made with `carry`: NULL where
 * the cell was read as a number or is empty.
 */
export function rawText(res: ResolvedColumns, key: Carried): string {
  const i = carriedCells(res).findIndex((k) => k.key === key);
  if (i < 0) throw new Error(`no carried cell ${String(key)}`);
  return `json_extract_string(${RAW_COLUMN}, '$[${i}]')`;
}

/** What is known about a whole file from outside it (its name, a manifest), used where it has no column. */
export interface FixedFields {
  readonly model?: string;
  readonly params?: number;
  readonly family?: string;
  readonly seed?: string;
}

/** Options fixed by the command rather than the file. */
export interface CanonOptions {
  tokensPerStep?: number;
  /** Family for every row, overriding any family column. */
  setFamily?: string;
  /** Family for rows that have none. */
  defaultFamily?: string;
  /** Values for the whole file where it has no such column (one file per run). */
  fixed?: FixedFields;
}

/**
 * Whether {@link canonSelect} keeps every record of its source, one output row each, in order: then
 * a table made from it can number its rows by `rowid` instead of a streaming window.
 */
export function keepsEveryRecord(res: ResolvedColumns, o: CanonOptions): boolean {
  const filtered = res.kind === "long" && res.metricFilter !== undefined;
  // A file named for its run names its model by a window over all rows, which need not keep order.
  const windowed = !res.columns.model && o.fixed?.model !== undefined;
  return !filtered && !windowed;
}

/**
 * Columns of {@link canonSelect} that do not come from the file's cells: constants (the file has no
 * such column) and copies of other columns, each with the expression that gives it from the rest.
 * A staging table need not hold them (a constant string column takes 16 bytes a row in memory).
 */
export function canonConstants(res: ResolvedColumns, o: CanonOptions): Record<string, string> {
  const c = res.columns;
  const fx = o.fixed ?? {};
  const out: Record<string, string> = {};
  if (o.setFamily !== undefined) out.family = sqlString(o.setFamily);
  else if (!c.family) out.family = sqlString(fx.family ?? o.defaultFamily ?? "");
  if (res.kind !== "long") out.metric = sqlString(res.metricName ?? "loss");
  if (!c.seed) out.seed = sqlString(fx.seed ?? "0");
  for (const f of ["arch", "dataset", "source"] as const)
    if (!c[f]) out[f] = "CAST(NULL AS VARCHAR)";
  if (!c.unique_tokens) out.unique_tokens = "CAST(NULL AS DOUBLE)";
  if (!c.step) {
    out.step = "CAST(NULL AS DOUBLE)";
    out._st = "CAST(NULL AS DOUBLE)";
  } else out._st = "step";
  if (!c.flops) {
    out._fl = "CAST(NULL AS DOUBLE)";
    // canonSelect's coalesce(fl, 6 * p * tokens) with fl NULL: the same product.
    out.flops = "6 * params * tokens";
  }
  if (res.tokensFrom === "tokens") out._tk = "tokens";
  else if (!c.tokens) out._tk = "CAST(NULL AS DOUBLE)";
  return out;
}

/** The row filter that keeps one metric of a long file ("TRUE" for wide files). */
export function metricFilterSql(rc: ColumnReader, res: ResolvedColumns): string {
  return res.kind === "long" && res.metricFilter !== undefined
    ? `${rc.text(res.columns.metric!)} = ${sqlString(res.metricFilter)}`
    : "TRUE";
}

/** What {@link canonSelect} adds to the canonical columns. */
export interface CanonSelectOptions {
  /** The text of unreadable cells, in {@link RAW_COLUMN}. */
  readonly carry?: boolean;
  /**
   * Source columns passed through as they are, the i-th as {@link keptColumn}(i): what a filter
   * over the file's own columns needs, so the file is not read again and joined back by row (a join
   * that ran out of memory at 20M rows).
   */
  readonly keep?: readonly string[];
}

/**
 * The SELECT that turns a raw source table into canonical rows. Derives tokens = flops/(6·params)
 * or step × tokensPerStep, and flops = 6·params·tokens where the file has none. Without a model
 * column a run is named by its size (`N=…`) when steps are given, else by size and tokens
 * (`N=… D=…`, final-loss tables), so the same row always gets the same name. Columns asked for
 * with `extraColumns` ride along as `_x0, _x1, …` so filters keep them aligned with their rows.
 */
export function canonSelect(
  src: string,
  rc: ColumnReader,
  res: ResolvedColumns,
  o: CanonOptions,
  row = "rowid",
  add: CanonSelectOptions = {},
): string {
  const c = res.columns;
  const fx = o.fixed ?? {};
  const num = (f: Field) => (c[f] ? rc.num(c[f]) : "CAST(NULL AS DOUBLE)");
  const text = (f: Field) => (c[f] ? rc.text(c[f]) : "CAST(NULL AS VARCHAR)");
  const orFixed = (f: Field, v: string | undefined) =>
    v === undefined ? text(f) : `coalesce(${text(f)}, ${sqlString(v)})`;
  const params =
    c.params || fx.params === undefined ? num("params") : `CAST(${fx.params} AS DOUBLE)`;
  const tokens =
    res.tokensFrom === "tokens"
      ? "tk"
      : res.tokensFrom === "flops"
        ? "fl / (6 * p)"
        : `st * ${Number(o.tokensPerStep ?? Number.NaN)}`;
  const family =
    o.setFamily !== undefined
      ? sqlString(o.setFamily)
      : `coalesce(${orFixed("family", fx.family)}, ${sqlString(o.defaultFamily ?? "")})`;
  const bySize = c.step
    ? `'N=' || CAST(p AS VARCHAR)`
    : c.unique_tokens
      ? // Data-constrained final losses: runs of one size and length differ in unique data.
        `'N=' || CAST(p AS VARCHAR) || ' D=' || CAST(tokens AS VARCHAR) || coalesce(' U=' || CAST(unique_tokens AS VARCHAR), '')`
      : `'N=' || CAST(p AS VARCHAR) || ' D=' || CAST(tokens AS VARCHAR)`;
  // A file named for its run holds one size; one holding several is a ladder, named by size within it.
  const model = c.model
    ? "mo"
    : fx.model !== undefined
      ? `CASE WHEN min(p) OVER () IS NOT DISTINCT FROM max(p) OVER () THEN ${sqlString(fx.model)} ELSE ${sqlString(`${fx.model} `)} || ${bySize} END`
      : bySize;
  const metric = res.kind === "long" ? text("metric") : sqlString(res.metricName ?? "loss");
  const extra = res.extra.map((e, i) => `, ${rc.num(e.column)} AS ${extraColumn(i)}`).join("");
  const extraOut = res.extra.map((_, i) => `, ${extraColumn(i)}`).join("");
  const keep = add.keep ?? [];
  const keptIn = keep.map((col, i) => `, ${sqlIdent(col)} AS ${keptColumn(i)}`).join("");
  const keptOut = keep.map((_, i) => `, ${keptColumn(i)}`).join("");
  // The cell's text rides through the derivation (a reference, not a copy) and is kept only where
  // its number is NULL although the cell holds something.
  const carried = add.carry ? carriedCells(res) : [];
  const textIn = carried.map((k, i) => `, CAST(${sqlIdent(k.col)} AS VARCHAR) AS _s${i}`).join("");
  const kept = carried.map(
    (k, i) =>
      `CASE WHEN ${k.parsed} IS NULL AND ${rc.presentText(k.col, `_s${i}`)} THEN _s${i} END`,
  );
  const textOut =
    kept.length === 0
      ? ""
      : `, CASE WHEN ${kept.map((k) => `${k} IS NOT NULL`).join(" OR ")} THEN CAST(to_json([${kept.join(", ")}]) AS VARCHAR) END AS ${RAW_COLUMN}`;
  return `
    SELECT r, family, ${model} AS model, p AS params, tokens, coalesce(fl, 6 * p * tokens) AS flops, metric, v AS value,
      seed, st AS step, arch, dataset, source, unique_tokens${extraOut}${keptOut}, tk AS _tk, fl AS _fl, st AS _st${textOut}
    FROM (
      SELECT *, ${tokens} AS tokens FROM (
        SELECT ${row} AS r, ${family} AS family, ${text("model")} AS mo, ${params} AS p, ${num("tokens")} AS tk,
          ${num("flops")} AS fl, ${num("step")} AS st, ${metric} AS metric, ${num("value")} AS v,
          coalesce(${orFixed("seed", fx.seed)}, '0') AS seed, ${text("arch")} AS arch, ${text("dataset")} AS dataset, ${text("source")} AS source,
          ${num("unique_tokens")} AS unique_tokens${extra}${keptIn}${textIn}
        FROM ${src} WHERE ${metricFilterSql(rc, res)}))`;
}

/** A cell that could not be read: its row, canonical field, source column and raw text. */
export interface CellProblem {
  readonly r: number;
  readonly field: Field;
  readonly column: string;
  readonly raw: string | null;
}

/** Helper columns of the SELECT above: each optional number as parsed, before derivation. */
export const PARSED_COLUMNS = ["_tk", "_fl", "_st"];

/**
 * Cells of the rows in use that are empty where a value is required, or not finite numbers. Works
 * on the canonical table alone (`canon`, from {@link canonSelect} with `carry`: numbers already
 * parsed, NULL where unreadable, the text of unreadable cells beside them), so the file is not
 * read again. Returns at most `limit` problems, in file order.
 */
export async function cellProblems(
  conn: DuckDBConnection,
  canon: string,
  res: ResolvedColumns,
  limit: number,
): Promise<CellProblem[]> {
  const c = res.columns;
  const required = new Set<Field>(["params", "value", res.tokensFrom]);
  const checks: { field: Field; col: string; isNull: string; bad: string; raw: string }[] = [];
  const check = (field: Field, col: string, value: string, raw: string) => {
    checks.push({
      field,
      col,
      isNull: `${value} IS NULL`,
      bad: required.has(field) ? `${value} IS NULL` : `${value} IS NULL AND ${raw} IS NOT NULL`,
      raw,
    });
  };
  for (const f of CARRIED) {
    const col = c[f];
    if (col) check(f, col, AS_READ[f], rawText(res, f));
  }
  res.extra.forEach((e, i) => {
    check("extra", e.column, extraColumn(i), rawText(res, i));
  });
  if (c.model)
    checks.push({
      field: "model",
      col: c.model,
      isNull: "model IS NULL",
      bad: "model IS NULL",
      raw: "CAST(NULL AS VARCHAR)",
    });
  if (checks.length === 0) return [];
  const anyNull = checks.map((k) => k.isNull).join(" OR ");
  const found = await conn.runAndReadAll(`
    SELECT r, ${checks.map((k, i) => `(${k.bad}) AS bad${i}, ${k.raw} AS raw${i}`).join(", ")}
    FROM (SELECT * FROM ${canon} WHERE ${anyNull})
    WHERE ${checks.map((k) => `(${k.bad})`).join(" OR ")} ORDER BY r LIMIT ${limit}`);
  const out: CellProblem[] = [];
  for (const o of found.getRowObjects()) {
    checks.forEach((k, i) => {
      if (o[`bad${i}`] === true) {
        const raw = o[`raw${i}`];
        out.push({
          r: Number(o.r),
          field: k.field,
          column: k.col,
          raw: k.field === "model" || raw === null ? null : String(raw),
        });
      }
    });
  }
  return out.slice(0, limit);
}
