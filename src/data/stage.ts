import type { DuckDBConnection } from "@duckdb/node-api";
import { closest, InputError, throwProblems } from "../errors.js";
import {
  AS_READ,
  type CanonOptions,
  ColumnReader,
  canonConstants,
  canonSelect,
  cellProblems,
  defineMacros,
  type FixedFields,
  keepsEveryRecord,
  keptColumn,
  metricFilterSql,
  type NumberField,
  PARSED_COLUMNS,
  RAW_COLUMN,
  rawText,
} from "./canonical.js";
import {
  CHECKPOINT,
  checkpointsDistinct,
  type Locator,
  rowProblems,
  runHash,
  unitWarnings,
  unprovenOf,
  unprovenRuns,
} from "./checks.js";
import { type ColumnMapping, type Field, type ResolvedColumns, resolveColumns } from "./columns.js";
import {
  allowPaths,
  checkWhere,
  duckReason,
  isMachineFailure,
  rows,
  sqlIdent,
  sqlString,
} from "./duckdb.js";
import type { Format } from "./formats.js";
import { lineMapper } from "./lines.js";
import { type RawSource, readingFile, readSource, VIEW_ROW } from "./source.js";
import { parseWhere, whereColumns } from "./where.js";

/** How to read a file of runs: its format, column mapping, metric, family and row filter. */
export interface LoadOptions extends ColumnMapping, CanonOptions {
  /** csv, tsv, json, jsonl or parquet; defaults to the file extension. */
  format?: string;
  /**
   * SQL condition over every column of the file (numbers where all its cells are numbers), the
   * canonical columns, and `loss` (another name for `value`). Applied first, so rows it drops are
   * never checked.
   */
  where?: string;
  /**
   * Refuse rows with an empty params, tokens or metric cell, and untrained checkpoints (tokens = 0),
   * instead of skipping them with a count.
   */
  strict?: boolean;
  /**
   * A checkpoint a run logs more than once with different values is refused, unless this keeps
   * the `first` or the `last` of its rows in file order (a run resumed from a saved state logs its
   * steps again: the last rows are the run that went on). Identical rows are kept once either way.
   */
  repeats?: "first" | "last";
  /** A CSV naming model, params, family and seed per run file (see `readManifest`). */
  manifest?: string;
}

/** One file to stage: the path read, the name used in messages, what is known from outside it. */
export interface StageInput {
  readonly path: string;
  readonly label?: string;
  readonly fixed?: FixedFields;
}

/** Problems listed before stopping. */
export const MAX_PROBLEMS = 20;

/** Canonical columns a `--where` may use (besides the file's own). */
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

/**
 * Whether a `where` names canonical columns alone, so the canonical rows can answer it without the
 * file's own columns.
 * @param columns the columns it may name, for the hint of a filter that does not parse
 */
export function namesCanonicalOnly(where: string, columns: readonly string[] = []): boolean {
  return [...whereColumns(parseWhere(where, columns))].every((c) => WHERE_COLUMNS.includes(c));
}

/** A file read, checked and filtered into a temporary canonical table. */
export interface Staged {
  readonly table: string;
  readonly rows: number;
  readonly warnings: string[];
  /** Points problems found later (e.g. against a store) at the file's lines. */
  readonly at: Locator;
  /**
   * No run repeats a checkpoint or has tokens falling (see checkpointsDistinct); where false, the
   * runs that may are in `unprovenOf(table)`, dropped with the table by {@link dropStaged}.
   */
  readonly ordered: boolean;
}

/**
 * Reads a file into temporary table `name` of canonical rows (`CANON_COLUMNS`), in file order:
 * `where` filters first, then rows with an empty required cell or no tokens yet are skipped
 * (counted in `warnings`; refused with `strict`), unreadable cells are reported (up to
 * {@link MAX_PROBLEMS}, each with file:line:column), and the kept rows are checked (sizes,
 * duplicates, token order).
 * @throws InputError (or InputErrors) for any problem; nothing is kept
 */
export async function stageFile(
  conn: DuckDBConnection,
  file: string | StageInput,
  o: LoadOptions,
  name = "sl_canon",
): Promise<Staged> {
  return stageFiles(conn, [typeof file === "string" ? { path: file } : file], o, name);
}

/**
 * {@link stageFile} for several files staged into one table: rows are numbered across the files
 * (file order, then row order) and checked together, so one run split over two files, or two files
 * naming one model with different sizes, are caught.
 */
export async function stageFiles(
  conn: DuckDBConnection,
  inputs: readonly StageInput[],
  o: LoadOptions,
  name = "sl_canon",
): Promise<Staged> {
  if (o.repeats !== undefined && o.repeats !== "first" && o.repeats !== "last") {
    throw new InputError(`repeats must be first or last, got "${String(o.repeats)}"`, {
      field: "repeats",
      hint: "last keeps the rows a resumed run logged again",
    });
  }
  await defineMacros(conn);
  // The first --where seals the connection (sealDb); the files still to read stay readable.
  allowPaths(
    conn,
    inputs.map((i) => i.path),
  );
  const parts: { offset: number; at: Locator }[] = [];
  const skipped = new Map<string, number>();
  let offset = 0;
  try {
    await dropStaged(conn, name);
    for (const input of inputs) {
      const one = await stageOne(conn, input, o, name, offset, inputs.length === 1);
      parts.push({ offset, at: one.at });
      for (const [why, n] of one.skipped) skipped.set(why, (skipped.get(why) ?? 0) + n);
      offset += one.rows;
    }
  } finally {
    await conn.run(
      "DROP VIEW IF EXISTS sl_raw; DROP VIEW IF EXISTS sl_all; DROP TABLE IF EXISTS sl_all_t",
    );
  }
  const label =
    (inputs[0].label ?? inputs[0].path) +
    (inputs.length > 1 ? ` (and ${inputs.length - 1} more)` : "");
  const alone = inputs.length === 1;
  const repeated = o.repeats
    ? await keepOneOfRepeats(conn, alone ? `${name}_t` : name, name, o.repeats)
    : 0;
  const kept = Number((await rows(conn, `SELECT count(*) AS n FROM ${name}`))[0].n);
  const notes = [
    ...skipNotes(label, skipped),
    ...(repeated > 0
      ? [
          `${label}: ${repeated === 1 ? "1 row logs a checkpoint of its" : `${repeated} rows log a checkpoint of their`} run again; kept the ${o.repeats} of each`,
        ]
      : []),
  ];
  if (kept === 0) {
    throw new InputError(
      o.where ? `no rows satisfy \`where\` "${o.where}"` : "no rows left to use",
      {
        file: o.where ? undefined : label,
        field: o.where ? "where" : undefined,
        hint: notes.length > 0 ? notes.join("; ") : "loosen the condition",
      },
    );
  }
  const at = parts.length === 1 ? parts[0].at : unionLocator(parts);
  const ordered = await checkpointsDistinct(conn, name, true);
  const problems = await rowProblems(conn, name, at, MAX_PROBLEMS + 1, ordered);
  throwProblems(problems.slice(0, MAX_PROBLEMS), Math.max(0, problems.length - MAX_PROBLEMS));
  return {
    table: name,
    rows: kept,
    warnings: [...notes, ...(await unitWarnings(conn, name, label))],
    at,
    ordered,
  };
}

/** Why rows with tokens = 0 are skipped, as the warning says it. */
export const UNTRAINED = "untrained checkpoints (tokens = 0)";

/** The warning that says how many rows were skipped and why (none when nothing was). */
export function skipNotes(label: string, skipped: ReadonlyMap<string, number>): string[] {
  if (skipped.size === 0) return [];
  // Each reason is said in the plural ("rows with no loss"); one row is said in the singular.
  const one = (why: string) => why.replace(/^rows /, "row ").replace(/checkpoints /, "checkpoint ");
  const what = [...skipped].map(([why, n]) => `${n} ${n === 1 ? one(why) : why}`).join("; ");
  return [`${label}: skipped ${what} (\`strict\` refuses them)`];
}

/**
 * Drops a staged relation: the view over `<name>_t` that a single file is staged as, or the
 * table of several files (or of `stageTable`).
 */
export async function dropStaged(conn: DuckDBConnection, name: string): Promise<void> {
  const view = await rows(
    conn,
    `SELECT 1 FROM duckdb_views() WHERE view_name = ${sqlString(name)} AND temporary`,
  );
  if (view.length > 0) await conn.run(`DROP VIEW ${name}; DROP TABLE IF EXISTS ${name}_t`);
  else await conn.run(`DROP TABLE IF EXISTS ${name}`);
  await conn.run(`DROP TABLE IF EXISTS ${unprovenOf(name)}`);
}

/** Locates rows of several staged files by their row ranges. */
function unionLocator(parts: readonly { offset: number; at: Locator }[]): Locator {
  const find = (r: number) => {
    let i = parts.length - 1;
    while (i > 0 && parts[i].offset > r) i--;
    return { at: parts[i].at, r: r - parts[i].offset };
  };
  return {
    where: (r, field, column) => {
      const p = find(r);
      return p.at.where(p.r, field, column);
    },
    label: (r) => {
      const p = find(r);
      const w = p.at.where(p.r, "model");
      return `${p.at.label(p.r)} of ${w.file}`;
    },
    suffix: (r) => {
      const p = find(r);
      return p.at.suffix(p.r);
    },
    otherCells: async (rs) => {
      // Each file's rows by its own numbers, asked of that file's locator in one call.
      const asked = new Map<Locator, { offset: number; rs: number[] }>();
      for (const r of rs) {
        const p = find(r);
        const a = asked.get(p.at) ?? { offset: r - p.r, rs: [] };
        a.rs.push(p.r);
        asked.set(p.at, a);
      }
      const out = new Map<number, ReadonlyMap<string, string | null>>();
      const distinct = new Map<string, number>();
      for (const [at, a] of asked) {
        if (!at.otherCells) continue;
        const got = await at.otherCells(a.rs);
        for (const [r, c] of got.rows) out.set(r + a.offset, c);
        // A column's values across the files: at least its most in one file.
        for (const [c, n] of got.distinct) distinct.set(c, Math.max(n, distinct.get(c) ?? 0));
      }
      return { rows: out, distinct };
    },
  };
}

/** Stages one file and appends its kept rows to `name`, numbered from `offset`. */
async function stageOne(
  conn: DuckDBConnection,
  input: StageInput,
  o: LoadOptions,
  name: string,
  offset: number,
  alone: boolean,
): Promise<{ rows: number; at: Locator; skipped: Map<string, number> }> {
  const file = input.path;
  const label = input.label ?? file;
  // A view, not a copy: the file is read once into the canonical table (which keeps the text of
  // cells it cannot read, to quote them and tell empty cells apart, and the file's own columns a
  // `where` names), and again only to count the cells of such a column when some rows are not kept.
  const raw = await readSource(conn, file, "sl_raw", o.format, { view: true });
  if (raw.rows === 0) {
    throw new InputError("no rows (the file has a header but no data)", {
      file: label,
      hint: "add one row per model checkpoint",
    });
  }
  const fixed = input.fixed ?? o.fixed;
  const co = { ...o, fixed };
  const res = resolveColumns(raw.columns, o, label, { params: fixed?.params !== undefined });
  const rc = new ColumnReader(raw.columns, raw.types);
  if (res.kind === "long" && res.metricFilter !== undefined)
    await checkMetricExists(conn, raw, rc, res, label);
  const at = fileLocator(raw, res, label, conn);
  // One read of the file. Rows are numbered by the table's own rowid when every record becomes
  // one row in file order (cheaper than a window, which runs on one thread).
  const byRowid = keepsEveryRecord(res, co);
  // The file's own columns a `where` names ride along, so the filter needs no second read.
  const keep = ownColumnsNamed(raw, o.where);
  const add = { carry: true, keep };
  const select = byRowid
    ? canonSelect(raw.reader, rc, res, co, "CAST(NULL AS BIGINT)", add)
    : canonSelect(raw.table, rc, res, co, raw.row, add);
  // Helper columns no staged table keeps: the numbers as parsed, the text of unreadable cells and
  // the columns kept for `where`.
  const helpers = [...PARSED_COLUMNS, RAW_COLUMN, ...keep.map((_, i) => keptColumn(i))];
  // Only columns that come from the cells are stored (sl_all_t); the view sl_all adds the rest.
  const consts = canonConstants(res, co);
  const withConsts = (table: string, except: readonly string[] = []) => {
    const add = Object.entries(consts).filter(([k]) => !except.includes(k));
    return `SELECT *${add.map(([k, e]) => `, ${e} AS ${k}`).join("")} FROM ${table}`;
  };
  await readingFile(file, raw.format, () =>
    conn.run(
      `CREATE OR REPLACE TEMP TABLE sl_all_t AS SELECT * EXCLUDE (${Object.keys(consts).join(", ")}) FROM (${select})`,
    ),
  );
  if (byRowid) await conn.run("UPDATE sl_all_t SET r = rowid");
  await conn.run(`CREATE OR REPLACE TEMP VIEW sl_all AS ${withConsts("sl_all_t")}`);
  // Rows are numbered across files: the next file's start after this one's last record.
  const records = Number(
    (await rows(conn, `SELECT coalesce(max(r) + 1, 0)::DOUBLE AS n FROM sl_all`))[0].n,
  );
  if (o.where !== undefined && o.where.trim() !== "")
    await filterRows(conn, raw, rc, o.where, keep, byRowid);
  const skipped = o.strict ? new Map<string, number>() : await skipIncomplete(conn, res);
  const cells = await cellProblems(conn, "sl_all", res, MAX_PROBLEMS + 1);
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
            hint: o.strict
              ? "fill in the value or remove the row (without `strict` such rows are skipped)"
              : "fill in the value or remove the row",
          })
        : new InputError(`${what} is not a finite number (${JSON.stringify(c.raw.trim())})`, {
            ...where,
            hint: "use plain or scientific notation, or a size suffix such as 125M, or drop the row with `where`",
          });
    }),
    Math.max(0, cells.length - MAX_PROBLEMS),
  );
  if (alone) {
    // One file's rows become the staged rows as they are (renamed, not copied), as a view.
    await conn.run(`DROP VIEW sl_all; ALTER TABLE sl_all_t RENAME TO ${name}_t`);
    for (const c of helpers)
      if (!(c in consts)) await conn.run(`ALTER TABLE ${name}_t DROP COLUMN ${c}`);
    await conn.run(`CREATE TEMP VIEW ${name} AS ${withConsts(`${name}_t`, helpers)}`);
  } else if (offset === 0) {
    await conn.run(
      `CREATE TEMP TABLE ${name} AS SELECT * EXCLUDE (${helpers.join(", ")}) FROM sl_all`,
    );
  } else {
    await conn.run(
      `INSERT INTO ${name} BY NAME SELECT * EXCLUDE (${helpers.join(", ")}) REPLACE (r + ${offset} AS r) FROM sl_all`,
    );
  }
  await conn.run("DROP VIEW sl_raw; DROP VIEW IF EXISTS sl_all; DROP TABLE IF EXISTS sl_all_t");
  return { rows: records, at, skipped };
}

/**
 * A `--where` that binds but fails as it runs (text compared with a number column, say) is bad
 * input: one line naming the condition, not an internal error. A failure of the machine (out of
 * memory) is returned as it is: blaming the filter for it sent users to rewrite a sound one.
 */
export function whereFailed(e: unknown, where: string): unknown {
  if (isMachineFailure(e)) return e;
  return new InputError(`cannot use \`where\` "${where}": ${duckReason(e)}`, {
    field: "where",
    hint: "compare numbers with numbers and text with 'quoted text'",
  });
}

/** Names a `--where` may not take from the file, because canonical or helper columns have them. */
const RESERVED = new Set([...WHERE_COLUMNS, "r", VIEW_ROW, ...PARSED_COLUMNS, RAW_COLUMN]);

/** The file's own columns, those a `--where` may name besides the canonical ones. */
function ownColumns(raw: RawSource): string[] {
  // `_x0`, `_k0`, …: helper columns of the canonical table.
  return raw.columns.filter((c) => !RESERVED.has(c.toLowerCase()) && !/^_[xk]\d+$/.test(c));
}

/**
 * The file's own columns that `where` names, to be kept beside the canonical rows as they are read.
 * None for a filter that does not parse: {@link filterRows} then reports it.
 */
function ownColumnsNamed(raw: RawSource, where: string | undefined): string[] {
  if (where === undefined || where.trim() === "") return [];
  let named: Set<string>;
  try {
    named = whereColumns(parseWhere(where));
  } catch {
    return [];
  }
  return ownColumns(raw).filter((c) => named.has(c.toLowerCase()));
}

/**
 * Keeps the rows of `sl_all` that satisfy `where`, evaluated over the canonical columns and the
 * file's own columns it names, kept beside them as they were read (`keep`, the i-th as
 * `keptColumn(i)`). Text columns the condition names whose cells are all numbers (or empty) are
 * compared as numbers, so `shots = 0` and `lr < 1e-3` mean what they say.
 * @param everyRecord whether `sl_all` holds every record of the file, so its kept cells are all of
 *   the column's cells
 */
async function filterRows(
  conn: DuckDBConnection,
  raw: RawSource,
  rc: ColumnReader,
  where: string,
  keep: readonly string[],
  everyRecord: boolean,
): Promise<void> {
  const allowed = [...WHERE_COLUMNS, ...ownColumns(raw)];
  // None for a filter over canonical columns alone: the canonical table answers it.
  const own = await ownColumnsAs(conn, raw, rc, keep, everyRecord);
  const hidden = [RAW_COLUMN, ...keep.map((_, i) => keptColumn(i))].join(", ");
  const as = own.map((c) => `, ${c}`).join("");
  // The filter binds to the columns it may name only.
  await checkWhere(
    conn,
    `(SELECT * EXCLUDE (${hidden}), value AS loss${as} FROM sl_all)`,
    where,
    allowed,
  );
  try {
    await keepOnly(conn, where, `, value AS loss${as}`);
  } catch (e) {
    throw whereFailed(e, where);
  }
}

/**
 * Keeps the rows of `table` for which `condition` holds over `view` (the table, or a view over it
 * with columns it need not store; with `add`, more columns the condition may name), in order: the
 * rows kept are copied, a streaming filter. A DELETE of the others by their numbers held every
 * number in a hash table: out of memory at 20M rows.
 */
async function keepOnly(
  conn: DuckDBConnection,
  condition: string,
  add = "",
  table = "sl_all_t",
  view = "sl_all",
): Promise<void> {
  const stored = (await rows(conn, `SELECT column_name FROM (DESCRIBE ${table})`)).map((x) =>
    sqlIdent(String(x.column_name)),
  );
  await conn.run(
    `CREATE OR REPLACE TEMP TABLE sl_keep_t AS SELECT ${stored.join(", ")} FROM (SELECT *${add} FROM ${view}) WHERE (${condition})`,
  );
  await conn.run(`DROP TABLE ${table}; ALTER TABLE sl_keep_t RENAME TO ${table}`);
}

/**
 * Keeps one row of each checkpoint (a step; tokens where a run has no steps) that a run of `view`
 * (staged rows over `table`) logs more than once: the first or the last in file order. Only runs
 * one streaming scan cannot prove free of repeats are looked at (few), so nothing holds every row.
 * Returns how many rows it dropped.
 */
async function keepOneOfRepeats(
  conn: DuckDBConnection,
  table: string,
  view: string,
  which: "first" | "last",
): Promise<number> {
  await unprovenRuns(conn, view, "sl_rep");
  try {
    await conn.run(`CREATE OR REPLACE TEMP TABLE sl_drop AS SELECT r FROM (
        SELECT r, row_number() OVER (PARTITION BY ${CHECKPOINT} ORDER BY r ${which === "last" ? "DESC" : "ASC"}) AS k
        FROM ${view} WHERE ${runHash()} IN (SELECT h FROM sl_rep))
      WHERE k > 1`);
    const n = Number((await rows(conn, "SELECT count(*)::DOUBLE AS n FROM sl_drop"))[0].n);
    if (n > 0) await keepOnly(conn, "r NOT IN (SELECT r FROM sl_drop)", "", table, view);
    return n;
  } finally {
    await conn.run("DROP TABLE IF EXISTS sl_rep; DROP TABLE IF EXISTS sl_drop");
  }
}

/**
 * The file's own columns in `keep` under their own names, each as `expression AS name` over
 * `sl_all`. Text columns are numbers when every cell of the file holds a number or nothing: counted
 * over the kept cells when they are all of them, else over the file (a streaming count, no join).
 */
async function ownColumnsAs(
  conn: DuckDBConnection,
  raw: RawSource,
  rc: ColumnReader,
  keep: readonly string[],
  everyRecord: boolean,
): Promise<string[]> {
  const text = keep
    .map((c, i) => ({ c, i }))
    .filter(({ c }) => !rc.isNumericType(c) && raw.types[raw.columns.indexOf(c)] === "VARCHAR");
  const numeric = new Set<number>();
  if (text.length > 0) {
    const checks = text.map(({ c, i }) => {
      const t = `NULLIF(trim(${everyRecord ? keptColumn(i) : sqlIdent(c)}), '')`;
      return `count_if(${t} IS NOT NULL AND TRY_CAST(${t} AS DOUBLE) IS NULL) = 0 AND count(${t}) > 0 AS k${i}`;
    });
    const count = () =>
      rows(conn, `SELECT ${checks.join(", ")} FROM ${everyRecord ? "sl_all_t" : raw.table}`);
    const o = (everyRecord ? await count() : await readingFile(raw.file, raw.format, count))[0];
    for (const { i } of text) if (o[`k${i}`] === true) numeric.add(i);
  }
  return keep.map((c, i) => {
    const k = keptColumn(i);
    return numeric.has(i)
      ? `TRY_CAST(NULLIF(trim(${k}), '') AS DOUBLE) AS ${sqlIdent(c)}`
      : `${k} AS ${sqlIdent(c)}`;
  });
}

/**
 * Why a row is skipped: its metric, params or tokens cell is empty (W&B histories interleave
 * metrics, so most rows lack any one of them), or it is an untrained checkpoint (tokens = 0, step 0
 * of a run). SQL over the columns of `canonSelect` with `carry` (a cell is empty where its number
 * and its carried text are both NULL), or without it where every cell is `readable` (known to hold
 * no text where a number belongs): `why`, the index into `says` of the first reason that holds
 * (NULL for a row that is kept); `candidates`, a cheap test that every skipped row passes. Text
 * where a number belongs is not a reason: it stays an error.
 */
export function skipRule(
  res: ResolvedColumns,
  readable = false,
): { why: string; candidates: string; says: string[] } {
  const c = res.columns;
  const empty = (f: NumberField) =>
    c[f] === undefined
      ? undefined
      : `${AS_READ[f]} IS NULL${readable ? "" : ` AND ${rawText(res, f)} IS NULL`}`;
  const reasons: { sql: string | undefined; say: string }[] = [
    { sql: empty("value"), say: `rows with no ${res.metricName ?? "value"}` },
    {
      // A metric name is text: NULL exactly where its cell is empty.
      sql: res.kind === "long" && c.metric !== undefined ? "metric IS NULL" : undefined,
      say: "rows with no metric name",
    },
    { sql: empty("params"), say: "rows with no params" },
    { sql: empty(res.tokensFrom), say: `rows with no ${res.tokensFrom}` },
    { sql: "tokens = 0", say: UNTRAINED },
  ];
  const used = reasons.filter((x): x is { sql: string; say: string } => x.sql !== undefined);
  return {
    why: `CASE ${used.map((x, i) => `WHEN ${x.sql} THEN ${i}`).join(" ")} END`,
    candidates: "value IS NULL OR metric IS NULL OR params IS NULL OR tokens IS NULL OR tokens = 0",
    says: used.map((x) => x.say),
  };
}

/** How many rows of `from` (canonical columns) a {@link skipRule} skips, by reason. */
export async function countSkipped(
  conn: DuckDBConnection,
  { why, candidates, says }: ReturnType<typeof skipRule>,
  from: string,
): Promise<Map<string, number>> {
  const counts = await rows(
    conn,
    `SELECT why, count(*)::DOUBLE AS n FROM (SELECT ${why} AS why FROM ${from} WHERE ${candidates})
      WHERE why IS NOT NULL GROUP BY why ORDER BY why`,
  );
  return new Map(counts.map((k) => [says[Number(k.why)], Number(k.n)]));
}

/** Skips the rows {@link skipRule} names, and says how many of each, from the canonical table alone. */
async function skipIncomplete(
  conn: DuckDBConnection,
  res: ResolvedColumns,
): Promise<Map<string, number>> {
  const rule = skipRule(res);
  const skipped = await countSkipped(conn, rule, "sl_all");
  if (skipped.size > 0)
    await keepOnly(conn, `NOT coalesce(${rule.candidates}, false) OR (${rule.why}) IS NULL`);
  return skipped;
}

/** In a long file, the metric asked for must occur; otherwise list those that do. */
async function checkMetricExists(
  conn: DuckDBConnection,
  raw: RawSource,
  rc: ColumnReader,
  res: ResolvedColumns,
  label: string,
): Promise<void> {
  const n = Number(
    (
      await readingFile(raw.file, raw.format, () =>
        rows(
          conn,
          `SELECT count(*) AS n FROM (SELECT 1 FROM ${raw.table} WHERE ${metricFilterSql(rc, res)} LIMIT 1)`,
        ),
      )
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
    file: label,
    field: "metric",
    hint: near
      ? `did you mean \`metric\` "${near}"?`
      : `pick one with \`metric\` NAME, e.g. \`metric\` ${sqlString(metrics[0] ?? "loss")}`,
  });
}

/** Points at cells of a staged file: CSV/TSV columns by number, others by name. */
function fileLocator(
  raw: RawSource,
  res: ResolvedColumns,
  label: string,
  conn: DuckDBConnection,
): Locator {
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
        file: label,
        line: line(r),
        column: col === undefined ? undefined : byNumber ? raw.columns.indexOf(col) + 1 : col,
      };
    },
    label: (r) => `${noun} ${line(r)}`,
    suffix: () => "",
    otherCells: async (rs) => {
      const read = new Set<string>([
        ...Object.values(res.columns).filter((c): c is string => c !== undefined),
        ...res.extra.map((e) => e.column),
      ]);
      const others = raw.columns.filter((c) => !read.has(c));
      const out = new Map<number, Map<string, string | null>>();
      const distinct = new Map<string, number>();
      if (others.length === 0 || rs.length === 0) return { rows: out, distinct };
      // Numbered as the raw view numbers records (VIEW_ROW); one more read, on the way to an error.
      const text = (c: string) => `CAST(${sqlIdent(c)} AS VARCHAR)`;
      const wanted = [...new Set(rs)].join(", ");
      const [o] = (
        await conn.runAndReadAll(
          `SELECT ${others.map((_, i) => `approx_count_distinct(c${i}) AS n${i}`).join(", ")},
            list({r: ${VIEW_ROW}, ${others.map((_, i) => `c${i}: c${i}`).join(", ")}}) FILTER (WHERE ${VIEW_ROW} IN (${wanted})) AS picked
          FROM (SELECT row_number() OVER () - 1 AS ${VIEW_ROW}, ${others.map((c, i) => `${text(c)} AS c${i}`).join(", ")} FROM ${raw.reader})`,
        )
      ).getRowObjectsJS();
      for (const [i, c] of others.entries()) distinct.set(c, Number(o[`n${i}`]));
      for (const row of (o.picked ?? []) as Record<string, unknown>[])
        out.set(
          Number(row.r),
          new Map(others.map((c, i) => [c, row[`c${i}`] == null ? null : String(row[`c${i}`])])),
        );
      return { rows: out, distinct };
    },
  };
}

function rowsAreLines(f: Format): boolean {
  return f === "csv" || f === "tsv" || f === "jsonl";
}
