import type { DuckDBConnection } from "@duckdb/node-api";
import { InputError, type Where } from "../errors.js";
import type { Field } from "./columns.js";

/** Where a row of a staged table came from, for messages: `(r, field)` → file, line, column. */
export interface Locator {
  /** `column` names the file column when the field alone cannot (an `extra` column). */
  where(r: number, field: Field, column?: string): Where;
  /** "line 12" (or "row 12" where there are no lines), for pointing at a second row. */
  label(r: number): string;
  /** Text appended to a reason when `where` cannot name a line (e.g. " (row 12)"). */
  suffix(r: number): string;
  /**
   * The text of rows `rs` in the file's columns that no field reads (absent where the source cannot
   * be read again): what tells two rows of one checkpoint apart, such as an eval log's task.
   */
  otherCells?(rs: readonly number[]): Promise<OtherCells>;
}

/** The cells {@link Locator.otherCells} reads, and how many values each of those columns holds. */
export interface OtherCells {
  readonly rows: ReadonlyMap<number, ReadonlyMap<string, string | null>>;
  /** Distinct values in the whole file, about (a column of kinds holds few). */
  readonly distinct: ReadonlyMap<string, number>;
}

/** Metric names whose values are losses, hence must be positive. */
const LOSS_LIKE = "regexp_matches(lower(metric), 'loss|perplexity|ppl|bpb|bpc|nll|entropy|bits')";

/** Rows of one checkpoint key (NULL steps match, tokens standing in for them). */
const KEY_MATCH = ["family", "model", "seed", "metric", "step", "ck"]
  .map((k) => `g.${k} IS NOT DISTINCT FROM t.${k}`)
  .join(" AND ");

interface Found {
  r: number;
  field: Field;
  kind: string;
  v: number | null;
  r0: number | null;
  v0: number | null;
  s: number | null;
  s0: number | null;
  model: string;
  metric: string;
}

/**
 * Whether no run of `table` (family, model, seed, metric) repeats a checkpoint (a step; tokens where
 * a run has no steps) and none has tokens falling as steps rise, as training logs are written. Then
 * the queries that find and place repeats and falling tokens need not run, and the rows can be
 * stored without picking the first of repeated rows. False says only that the general checks must
 * decide. Holds whatever order the rows are scanned in, so it serves a table written in file
 * order and the rows an unordered insert has just put into the store alike. With `keep`, the runs
 * it could not prove stay in {@link unprovenOf}(table).
 */
export async function checkpointsDistinct(
  conn: DuckDBConnection,
  table: string,
  keep = false,
): Promise<boolean> {
  const into = keep ? unprovenOf(table) : "sl_split";
  await unprovenRuns(conn, table, into);
  try {
    const split = Number(
      (await conn.runAndReadAll(`SELECT count(*)::DOUBLE AS n FROM ${into}`)).getRowObjects()[0].n,
    );
    if (split === 0) return true;
    // Sorted by step (steps last where missing, then tokens), a repeat sits beside its twin.
    const o = (
      await conn.runAndReadAll(`
      SELECT count(*)::DOUBLE AS n FROM (
        SELECT step, tokens, lag(step) OVER w AS ps, lag(tokens) OVER w AS pt, row_number() OVER w AS i
        FROM (SELECT * FROM ${table} WHERE ${runHash()} IN (SELECT h FROM ${into}))
        WINDOW w AS (PARTITION BY family, model, seed, metric ORDER BY step NULLS LAST, tokens))
      WHERE i > 1 AND (step = ps OR (step IS NOT NULL AND tokens < pt) OR (step IS NULL AND ps IS NULL AND tokens = pt))`)
    ).getRowObjects()[0];
    return Number(o.n) === 0;
  } finally {
    if (!keep) await conn.run("DROP TABLE IF EXISTS sl_split");
  }
}

/**
 * Where {@link checkpointsDistinct} with `keep` leaves the runs of a staged relation it could not
 * prove, for the checks and the commit that follow (each took a scan of every row to find them).
 */
export const unprovenOf = (table: string): string => `${table}_unproven`;

/** One checkpoint of a run, as a grouping key: its step, or its tokens where it has no steps. */
export const CHECKPOINT =
  "family, model, seed, metric, step, CASE WHEN step IS NULL THEN tokens END";

/** A run's hash (family, model, seed, metric), of the columns of `alias` when given. */
export const runHash = (alias?: string): string => {
  const a = alias ? `${alias}.` : "";
  return `hash(${a}family, ${a}model, ${a}seed, ${a}metric)`;
};

/**
 * Writes to temporary table `into` (one column, `h`, a {@link runHash}) the runs of `table` that
 * one streaming scan (no sort) cannot prove free of repeated checkpoints and falling tokens: each
 * row is compared with the one before, and a run whose rows all come as one block, steps rising
 * (tokens rising where it has no steps) and tokens never falling, is proven. Runs are told apart by
 * a hash (a narrow payload): rows of two runs with one hash that pass are still a rising sequence
 * each. The runs left (split across blocks, as a parallel scan splits a few, or out of order) are
 * few, so a check confined to their rows holds no table of every row.
 */
export async function unprovenRuns(
  conn: DuckDBConnection,
  table: string,
  into: string,
): Promise<void> {
  const ok =
    "coalesce(step > pst OR (step IS NULL AND pst IS NULL AND tokens > ptk), false) AND coalesce(tokens >= ptk, false)";
  await conn.run(`CREATE OR REPLACE TEMP TABLE ${into} AS SELECT h FROM (
      SELECT h, coalesce(h = lag(h) OVER (), false) AS same, ${ok} AS ok FROM (
        SELECT h, step, tokens, lag(step) OVER () AS pst, lag(tokens) OVER () AS ptk FROM (
          SELECT ${runHash()} AS h, step, tokens FROM ${table})))
    GROUP BY h HAVING count_if(NOT same) > 1 OR count_if(same AND NOT ok) > 0`);
}

const bad = (f: string, positive: string) => `${f} IS NULL OR NOT isfinite(${f}) OR (${positive})`;
const BAD_STEP = "step IS NOT NULL AND (NOT isfinite(step) OR step < 0)";
const BAD_UNIQUE =
  "unique_tokens IS NOT NULL AND (NOT isfinite(unique_tokens) OR unique_tokens <= 0)";
/** Each number that must be positive, and when it is wrong. Derived flops (6·N·D) are only wrong when N or D is, which is reported already. */
const POSITIVE: readonly [string, string][] = [
  ["params", "params <= 0"],
  ["tokens", "tokens <= 0"],
  ["flops", "flops <= 0 AND params > 0 AND tokens > 0"],
  ["value", `value <= 0 AND ${LOSS_LIKE}`],
];
const sizesSql = (table: string) =>
  `SELECT family, model FROM ${table} GROUP BY family, model HAVING min(params) <> max(params)`;

/** What {@link unitWarnings} looks at: the largest params and tokens, rows, rows with more unique tokens than tokens. */
export interface UnitStats {
  readonly p: number;
  readonly t: number;
  readonly n: number;
  readonly u: number;
}

/**
 * One scan of the canonical rows of `table`: whether any has a value problem or a model two sizes
 * (what {@link rowProblems} reports and places), and the figures of {@link unitWarnings}.
 */
export async function scanRows(
  conn: DuckDBConnection,
  table: string,
): Promise<{ problems: boolean; units: UnitStats }> {
  // Bounds first: minima, maxima and counts are cheap to aggregate, and say of almost every table
  // that no row can have a problem; only a table they cannot clear is tested row by row.
  const finite = (f: string) => `isfinite(min(${f})) AND isfinite(max(${f}))`;
  const required = (f: string) => `count(${f}) = count(*) AND ${finite(f)} AND min(${f}) > 0`;
  const clear = [
    ...["params", "tokens", "flops", "value"].map(required),
    `(count(step) = 0 OR (${finite("step")} AND min(step) >= 0))`,
    `(count(unique_tokens) = 0 OR (${finite("unique_tokens")} AND min(unique_tokens) > 0))`,
  ].join(" AND ");
  const o = (
    await conn.runAndReadAll(
      `SELECT coalesce(${clear}, false) AS clear, (SELECT count(*) FROM (${sizesSql(table)} LIMIT 1)) AS sizes, ${UNIT_STATS} FROM ${table}`,
    )
  ).getRowObjects()[0];
  const units = { p: Number(o.p), t: Number(o.t), n: Number(o.n), u: Number(o.u) };
  if (Number(o.sizes) > 0) return { problems: true, units };
  if (o.clear === true) return { problems: false, units };
  const any = (
    await conn.runAndReadAll(
      `SELECT count_if(${[
        ...POSITIVE.map(([f, p]) => `(${bad(f, p)})`),
        `(${BAD_STEP})`,
        `(${BAD_UNIQUE})`,
      ].join(" OR ")}) AS n FROM ${table}`,
    )
  ).getRowObjects()[0];
  return { problems: Number(any.n) > 0, units };
}

/**
 * Checks the canonical rows of `table` (columns as `CANON_COLUMNS`): finite numbers, params,
 * tokens, flops > 0, loss > 0, step ≥ 0, unique tokens > 0 where given, one size per model, no two different values for one
 * checkpoint, tokens never falling as steps rise. Returns at most `limit` problems in row order.
 * A caller that gives `ordered` has run {@link checkpointsDistinct} with `keep`: where it is false,
 * the runs to search are in {@link unprovenOf}(table).
 */
export async function rowProblems(
  conn: DuckDBConnection,
  table: string,
  at: Locator,
  limit: number,
  ordered?: boolean,
): Promise<InputError[]> {
  const inOrder = ordered ?? (await checkpointsDistinct(conn, table, true));
  const unproven = unprovenOf(table);
  const cols =
    "r, model, metric, NULL::DOUBLE AS r0, NULL::DOUBLE AS v0, NULL::DOUBLE AS s, NULL::DOUBLE AS s0";
  const value = (f: string, positive: string) =>
    `(SELECT ${cols}, '${f}' AS field, CASE WHEN ${f} IS NULL OR NOT isfinite(${f}) THEN 'nonfinite' ELSE 'nonpositive' END AS kind, ${f} AS v
      FROM ${table} WHERE ${bad(f, positive)} ORDER BY r LIMIT ${limit})`;
  // Most tables have no problem at all: one scan says so before the queries that place them.
  const placed = (await scanRows(conn, table)).problems;
  if (inOrder && !placed) return [];
  // Repeated checkpoints and falling tokens can only be in runs one streaming scan did not prove
  // (few): they are looked for there alone (a window over every row sorted all of them).
  const runs = `(SELECT * FROM ${table} WHERE ${runHash()} IN (SELECT h FROM ${unproven}))`;
  const checked = [
    ...POSITIVE.map(([f, p]) => value(f, p)),
    `(SELECT ${cols}, 'step' AS field, CASE WHEN NOT isfinite(step) THEN 'nonfinite' ELSE 'negative' END AS kind, step AS v
      FROM ${table} WHERE ${BAD_STEP} ORDER BY r LIMIT ${limit})`,
    `(SELECT ${cols}, 'unique_tokens' AS field, CASE WHEN NOT isfinite(unique_tokens) THEN 'nonfinite' ELSE 'nonpositive' END AS kind, unique_tokens AS v
      FROM ${table} WHERE ${BAD_UNIQUE} ORDER BY r LIMIT ${limit})`,
    `(SELECT r, model, metric, r0, p0 AS v0, NULL AS s, NULL AS s0, 'params' AS field, 'size' AS kind, params AS v FROM (
        SELECT r, model, metric, params, first_value(r) OVER w AS r0, first_value(params) OVER w AS p0
        FROM ${table} SEMI JOIN (${sizesSql(table)} LIMIT ${limit}) g
          USING (family, model)
        WINDOW w AS (PARTITION BY family, model ORDER BY r))
      WHERE params <> p0 ORDER BY r LIMIT ${limit})`,
  ];
  const sql = [
    ...(placed ? checked : []),
    // Repeated checkpoints and falling tokens: only possible when the rows are not in order.
    ...(inOrder
      ? []
      : [
          `(SELECT r, model, metric, r0, v0, step AS s, NULL AS s0, 'value' AS field, 'duplicate' AS kind, value AS v FROM (
        SELECT r, model, metric, value, step, first_value(r) OVER w AS r0, first_value(value) OVER w AS v0
        FROM (SELECT *, CASE WHEN step IS NULL THEN tokens END AS ck FROM ${runs}) t SEMI JOIN (
          SELECT family, model, seed, metric, step, CASE WHEN step IS NULL THEN tokens END AS ck FROM ${runs}
          GROUP BY ALL HAVING min(value) <> max(value) LIMIT ${limit}) g
          ON ${KEY_MATCH}
        WINDOW w AS (PARTITION BY family, model, seed, metric, step, ck ORDER BY r))
      WHERE value <> v0 ORDER BY r LIMIT ${limit})`,
          `(SELECT r, model, metric, r0, v0, step AS s, s0, 'tokens' AS field, 'decreasing' AS kind, tokens AS v FROM (
        SELECT r, model, metric, tokens, step, lag(r) OVER w AS r0, lag(tokens) OVER w AS v0, lag(step) OVER w AS s0
        FROM ${runs} WHERE step IS NOT NULL WINDOW w AS (PARTITION BY family, model, seed, metric ORDER BY step, r))
      WHERE tokens < v0 AND step > s0 ORDER BY r LIMIT ${limit})`,
        ]),
  ].join(" UNION ALL ");
  const res = await conn
    .runAndReadAll(`SELECT * FROM (${sql}) ORDER BY r, field LIMIT ${limit}`)
    .finally(() =>
      ordered === undefined ? conn.run(`DROP TABLE IF EXISTS ${unproven}`) : undefined,
    );
  const found = res.getRowObjects().map((o) => {
    const n = (x: unknown) => (x === null || x === undefined ? null : Number(x));
    const f: Found = {
      r: Number(o.r),
      field: o.field as Field,
      kind: String(o.kind),
      v: n(o.v),
      r0: n(o.r0),
      v0: n(o.v0),
      s: n(o.s),
      s0: n(o.s0),
      model: String(o.model ?? ""),
      metric: String(o.metric ?? ""),
    };
    return f;
  });
  const pairs = found.filter((f) => f.kind === "duplicate" && f.r0 !== null);
  // The cells only sharpen a hint: a failure to read them leaves the problems as they are.
  const cells =
    pairs.length > 0 && at.otherCells
      ? await at.otherCells(pairs.flatMap((f) => [f.r, f.r0 as number])).catch(() => undefined)
      : undefined;
  return found.map((f) =>
    describe(f, at, cells && f.kind === "duplicate" ? differing(cells, f) : []),
  );
}

/** A column whose text differs between a row and the earlier row of its checkpoint. */
interface Difference {
  readonly column: string;
  readonly here: string | null;
  readonly there: string | null;
  /** A column of kinds (text, or a few numbers such as shots), not of measurements. */
  readonly kind: boolean;
}

/** Columns of numbers with at most this many values are kinds of row (shots), not measurements. */
const FEW_VALUES = 32;

/**
 * The columns no field reads in which a repeated checkpoint's two rows differ: columns of kinds
 * first (text, or few numbers), each group in file order. Numbers such as a stderr or a logger's
 * timestamp differ between any two rows, a resumed run's repeats included.
 */
function differing(cells: OtherCells, f: Found): Difference[] {
  const here = cells.rows.get(f.r);
  const there = f.r0 === null ? undefined : cells.rows.get(f.r0);
  if (!here || !there) return [];
  const d = [...here]
    .filter(([column, v]) => v !== there.get(column))
    .map(([column, v]) => {
      const t = there.get(column) ?? null;
      const few = (cells.distinct.get(column) ?? Infinity) <= FEW_VALUES;
      return { column, here: v, there: t, kind: few || !isNumber(v) || !isNumber(t) };
    });
  return [...d.filter((x) => x.kind), ...d.filter((x) => !x.kind)];
}

const isNumber = (v: string | null) => v !== null && v.trim() !== "" && Number.isFinite(Number(v));

/**
 * The hint for two rows of one checkpoint that differ in a column of kinds: two kinds of row
 * (tasks, shots, datasets of an eval log), and a `where` keeps one; a column named for seeds
 * tells runs apart instead. The example keeps this row's value of the first such column.
 */
function kindsHint(d: readonly Difference[], seen: string): string {
  const quote = (v: string | null) => (v === null ? "empty" : `"${v}"`);
  const listed = d
    .slice(0, 3)
    .map((x) => `${x.column} (${quote(x.here)} here, ${quote(x.there)} at ${seen})`);
  const more = d.length > 3 ? `, and ${d.length - 3} more columns` : "";
  const pick = d[0];
  if (/seed/i.test(pick.column))
    return `the two rows differ in ${listed.join(", ")}${more}: tell the runs apart with \`seed\` "${pick.column}"`;
  const column = /^[A-Za-z_][A-Za-z0-9_]*$/.test(pick.column)
    ? pick.column
    : `"${pick.column.replaceAll('"', '""')}"`;
  const condition =
    pick.here === null
      ? `${column} IS NULL`
      : `${column} = ${isNumber(pick.here) ? pick.here.trim() : `'${pick.here.replaceAll("'", "''")}'`}`;
  const example = condition.includes('"') ? `'${condition}'` : `"${condition}"`;
  return `the two rows differ in ${listed.join(", ")}${more}: keep one kind with \`where\`, e.g. \`where\` ${example}`;
}

/** One problem as a one-line InputError. */
function describe(f: Found, at: Locator, differs: readonly Difference[] = []): InputError {
  const name = f.field === "value" ? f.metric || "value" : f.field;
  const other = f.r0 === null ? "" : at.label(f.r0);
  const w = at.where(f.r, f.field);
  const say = (reason: string, hint: string) =>
    new InputError(reason + at.suffix(f.r), { ...w, hint });
  switch (f.kind) {
    case "nonfinite":
      return say(
        `${name} is not a finite number (${f.v ?? "empty"})`,
        "use plain or scientific notation, or a size suffix such as 125M",
      );
    case "nonpositive":
      if (f.field === "tokens")
        return say(
          `tokens must be positive, got ${f.v}`,
          'drop untrained checkpoints, e.g. `where` "tokens > 0", or fix the value',
        );
      if (f.field === "value")
        return say(
          `${name} must be positive, got ${f.v}`,
          "a loss is a positive cross-entropy; check the column holds the loss itself",
        );
      if (f.field === "unique_tokens")
        return say(
          `unique_tokens must be positive, got ${f.v}`,
          "it counts the distinct tokens trained on; leave the cell empty where unknown",
        );
      return say(`${name} must be positive, got ${f.v}`, "remove the row or fix the value");
    case "negative":
      return say(`step must not be negative, got ${f.v}`, "steps count optimizer updates from 0");
    case "size":
      return say(
        `model "${f.model}" has params ${f.v} here but ${f.v0} at ${other}`,
        "one run has one size: fix the value, or give each size its own model name",
      );
    case "duplicate":
      return say(
        `duplicate checkpoint of model "${f.model}"${f.s === null ? "" : ` at step ${f.s}`}: ${name} ${f.v} here but ${f.v0} at ${other}`,
        differs[0]?.kind
          ? kindsHint(differs, other)
          : "keep one of the two rows (`repeats` last keeps the later: a resumed run logs its steps again), or tell the runs apart with a seed column (`seed`)",
      );
    default:
      return say(
        `tokens go down as steps go up in model "${f.model}": ${f.v} at step ${f.s} but ${f.v0} at step ${f.s0} (${other})`,
        "tokens must be cumulative; if two runs share a model name, tell them apart with `seed`",
      );
  }
}

/**
 * Likely unit mistakes, as warnings with the fix: parameter counts in millions or billions and
 * token counts in billions written as plain numbers (no real model has < 10⁵ parameters or is
 * trained on < 10⁶ tokens in total). More unique tokens than tokens trained is legal (less than
 * one epoch) but is also what swapped `tokens` and `unique_tokens` columns look like.
 */
export async function unitWarnings(
  conn: DuckDBConnection,
  table: string,
  file: string,
): Promise<string[]> {
  const o = (await conn.runAndReadAll(`SELECT ${UNIT_STATS} FROM ${table}`)).getRowObjects()[0];
  return describeUnits({ p: Number(o.p), t: Number(o.t), n: Number(o.n), u: Number(o.u) }, file);
}

const UNIT_STATS =
  "max(params) AS p, max(tokens) AS t, count(*) AS n, count_if(unique_tokens > tokens) AS u";

/** The warnings of {@link unitWarnings} from its figures. */
export function describeUnits(o: UnitStats, file: string): string[] {
  const out: string[] = [];
  const p = Number(o.p);
  const t = Number(o.t);
  if (Number(o.n) === 0) return out;
  if (p < 1e5) {
    out.push(
      `${file}: params look like millions or billions written as plain numbers (largest ${p}); hint: write sizes with a suffix (125M, 1.3B) or in units of one parameter`,
    );
  }
  if (t < 1e6) {
    out.push(
      `${file}: tokens look like billions written as plain numbers (largest ${t}); hint: write them with a suffix (300B, 1.4T) or in units of one token`,
    );
  }
  const u = Number(o.u);
  if (u > 0) {
    out.push(
      `${file}: ${u} of ${o.n} rows have more unique tokens than tokens trained (under one epoch); hint: check that the tokens and unique_tokens columns are not swapped`,
    );
  }
  return out;
}
