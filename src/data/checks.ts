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
 * Whether the rows of `table` (in `r` order) list each run's checkpoints (family, model, seed,
 * metric) as one block, with steps rising (tokens rising where a run has no steps) and tokens never
 * falling, as training logs are written. Then no checkpoint repeats and tokens never go down as
 * steps rise, which otherwise takes a sort and a grouping per run to establish (one window in `r`
 * order here). False says nothing: the general checks decide.
 */
export async function checkpointsInOrder(conn: DuckDBConnection, table: string): Promise<boolean> {
  // Runs are told apart by a hash (a narrow payload); the answer stands only when no two runs share
  // one, so a collision can only send the table to the general checks. The rows are compared with
  // the one before in scan order (a streaming window, no sort), which is `r` order when the table
  // was written in order; `back` counts where it is not, and then the answer is no.
  const o = (
    await conn.runAndReadAll(`
      SELECT count(*) FILTER (WHERE NOT same) AS blocks,
        count(*) FILTER (WHERE same AND NOT (step > pst OR (step IS NULL AND pst IS NULL AND tokens > ptk))) AS unordered,
        count(*) FILTER (WHERE same AND tokens < ptk) AS falling,
        count(*) FILTER (WHERE r <= pr) AS back,
        (SELECT count(*) FROM (SELECT DISTINCT family, model, seed, metric FROM ${table})) AS runs,
        count(DISTINCT h) AS hashes
      FROM (SELECT r, h, step, tokens, lag(r) OVER () AS pr, lag(step) OVER () AS pst, lag(tokens) OVER () AS ptk,
          coalesce(h = lag(h) OVER (), false) AS same
        FROM (SELECT r, step, tokens, hash(family, model, seed, metric) AS h FROM ${table}))`)
  ).getRowObjects()[0];
  const runs = Number(o.runs);
  return (
    Number(o.back) === 0 &&
    Number(o.hashes) === runs &&
    Number(o.blocks) === runs &&
    Number(o.unordered) === 0 &&
    Number(o.falling) === 0
  );
}

/**
 * Checks the canonical rows of `table` (columns as `CANON_COLUMNS`): finite numbers, params,
 * tokens, flops > 0, loss > 0, step ≥ 0, unique tokens > 0 where given, one size per model, no two different values for one
 * checkpoint, tokens never falling as steps rise. Returns at most `limit` problems in row order.
 */
export async function rowProblems(
  conn: DuckDBConnection,
  table: string,
  at: Locator,
  limit: number,
  ordered?: boolean,
): Promise<InputError[]> {
  const inOrder = ordered ?? (await checkpointsInOrder(conn, table));
  const cols =
    "r, model, metric, NULL::DOUBLE AS r0, NULL::DOUBLE AS v0, NULL::DOUBLE AS s, NULL::DOUBLE AS s0";
  const bad = (f: string, positive: string) =>
    `${f} IS NULL OR NOT isfinite(${f}) OR (${positive})`;
  const value = (f: string, positive: string) =>
    `(SELECT ${cols}, '${f}' AS field, CASE WHEN ${f} IS NULL OR NOT isfinite(${f}) THEN 'nonfinite' ELSE 'nonpositive' END AS kind, ${f} AS v
      FROM ${table} WHERE ${bad(f, positive)} ORDER BY r LIMIT ${limit})`;
  const badStep = "step IS NOT NULL AND (NOT isfinite(step) OR step < 0)";
  const badUnique =
    "unique_tokens IS NOT NULL AND (NOT isfinite(unique_tokens) OR unique_tokens <= 0)";
  // Derived flops (6·N·D) are only wrong when N or D is, which is reported already.
  const positive: [string, string][] = [
    ["params", "params <= 0"],
    ["tokens", "tokens <= 0"],
    ["flops", "flops <= 0 AND params > 0 AND tokens > 0"],
    ["value", `value <= 0 AND ${LOSS_LIKE}`],
  ];
  const sizes = `SELECT family, model FROM ${table} GROUP BY family, model HAVING min(params) <> max(params)`;
  // Most tables have no problem at all: one scan says so before the queries that place them.
  if (inOrder) {
    const any = (
      await conn.runAndReadAll(
        `SELECT count_if(${[
          ...positive.map(([f, p]) => `(${bad(f, p)})`),
          `(${badStep})`,
          `(${badUnique})`,
        ].join(" OR ")}) AS n, (SELECT count(*) FROM (${sizes} LIMIT 1)) AS sizes FROM ${table}`,
      )
    ).getRowObjects()[0];
    if (Number(any.n) === 0 && Number(any.sizes) === 0) return [];
  }
  const sql = [
    ...positive.map(([f, p]) => value(f, p)),
    `(SELECT ${cols}, 'step' AS field, CASE WHEN NOT isfinite(step) THEN 'nonfinite' ELSE 'negative' END AS kind, step AS v
      FROM ${table} WHERE ${badStep} ORDER BY r LIMIT ${limit})`,
    `(SELECT ${cols}, 'unique_tokens' AS field, CASE WHEN NOT isfinite(unique_tokens) THEN 'nonfinite' ELSE 'nonpositive' END AS kind, unique_tokens AS v
      FROM ${table} WHERE ${badUnique} ORDER BY r LIMIT ${limit})`,
    `(SELECT r, model, metric, r0, p0 AS v0, NULL AS s, NULL AS s0, 'params' AS field, 'size' AS kind, params AS v FROM (
        SELECT r, model, metric, params, first_value(r) OVER w AS r0, first_value(params) OVER w AS p0
        FROM ${table} SEMI JOIN (${sizes} LIMIT ${limit}) g
          USING (family, model)
        WINDOW w AS (PARTITION BY family, model ORDER BY r))
      WHERE params <> p0 ORDER BY r LIMIT ${limit})`,
    // Repeated checkpoints and falling tokens: only possible when the rows are not in order.
    ...(inOrder
      ? []
      : [
          `(SELECT r, model, metric, r0, v0, step AS s, NULL AS s0, 'value' AS field, 'duplicate' AS kind, value AS v FROM (
        SELECT r, model, metric, value, step, first_value(r) OVER w AS r0, first_value(value) OVER w AS v0
        FROM (SELECT *, CASE WHEN step IS NULL THEN tokens END AS ck FROM ${table}) t SEMI JOIN (
          SELECT family, model, seed, metric, step, CASE WHEN step IS NULL THEN tokens END AS ck FROM ${table}
          GROUP BY ALL HAVING min(value) <> max(value) LIMIT ${limit}) g
          ON ${KEY_MATCH}
        WINDOW w AS (PARTITION BY family, model, seed, metric, step, ck ORDER BY r))
      WHERE value <> v0 ORDER BY r LIMIT ${limit})`,
          `(SELECT r, model, metric, r0, v0, step AS s, s0, 'tokens' AS field, 'decreasing' AS kind, tokens AS v FROM (
        SELECT r, model, metric, tokens, step, lag(r) OVER w AS r0, lag(tokens) OVER w AS v0, lag(step) OVER w AS s0
        FROM ${table} WHERE step IS NOT NULL WINDOW w AS (PARTITION BY family, model, seed, metric ORDER BY step, r))
      WHERE tokens < v0 AND step > s0 ORDER BY r LIMIT ${limit})`,
        ]),
  ].join(" UNION ALL ");
  const res = await conn.runAndReadAll(`SELECT * FROM (${sql}) ORDER BY r, field LIMIT ${limit}`);
  return res.getRowObjects().map((o) => {
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
    return describe(f, at);
  });
}

/** One problem as a one-line InputError. */
function describe(f: Found, at: Locator): InputError {
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
        "keep one of the two rows, or tell the runs apart with a seed column (`seed`)",
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
  const o = (
    await conn.runAndReadAll(
      `SELECT max(params) AS p, max(tokens) AS t, count(*) AS n, count_if(unique_tokens > tokens) AS u FROM ${table}`,
    )
  ).getRowObjects()[0];
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
