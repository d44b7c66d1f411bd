import type { DuckDBConnection, DuckDBValue } from "@duckdb/node-api";
import { CANON_COLUMNS } from "./canonical.js";
import { duck } from "./duckdb.js";
import type { RunTable } from "./types.js";

const STRINGS = ["family", "model", "metric", "seed"] as const;
const NUMBERS = ["params", "tokens", "flops", "value", "step"] as const;
const OPTIONAL = ["arch", "dataset", "source"] as const;

/**
 * Reads canonical rows (`SELECT family, model, params, … FROM …`) into a columnar run table,
 * chunk by chunk, so a few million rows become typed arrays without an object per row.
 * NULL numbers become NaN; optional columns (text, unique tokens) are kept only when some row has
 * a value. `extra` maps names of `RunTable.extra` to columns of `from`, read in the same pass so
 * they stay aligned with the rows.
 */
export async function fetchTable(
  conn: DuckDBConnection,
  from: string,
  origin: string,
  orderBy = "r",
  extra: Readonly<Record<string, string>> = {},
): Promise<RunTable> {
  const n = Number(
    (await conn.runAndReadAll(`SELECT count(*) AS n FROM ${from}`)).getRowObjects()[0].n,
  );
  // Columns in SELECT order: canonical names, then the extras under keys that cannot clash.
  const extras = Object.entries(extra);
  const numeric = [...NUMBERS, "unique_tokens", ...extras.map((_, i) => `extra${i}`)];
  const sql = [...STRINGS, ...OPTIONAL, ...NUMBERS, "unique_tokens", ...extras.map((e) => e[1])];
  const keys = [...STRINGS, ...OPTIONAL, ...numeric];
  const num: Record<string, Float64Array> = Object.fromEntries(
    numeric.map((k) => [k, new Float64Array(n)]),
  );
  const str: Record<string, string[]> = Object.fromEntries(
    [...STRINGS, ...OPTIONAL].map((k) => [k, new Array<string>(n)]),
  );
  const result = await conn.stream(`SELECT ${sql.join(", ")} FROM ${from} ORDER BY ${orderBy}`);
  const seen = new Set<string>();
  let at = 0;
  for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) break;
    const len = chunk.rowCount;
    keys.forEach((key, c) => {
      const values = chunk.getColumnValues(c);
      const nums = num[key];
      const strs = str[key];
      for (let i = 0; i < len; i++) {
        const v = values[i];
        if (nums) nums[at + i] = v === null ? Number.NaN : Number(v);
        else strs[at + i] = v === null ? "" : String(v);
        if (v !== null) seen.add(key);
      }
    });
    at += len;
  }
  return {
    origin,
    length: at,
    family: str.family,
    model: str.model,
    params: num.params,
    tokens: num.tokens,
    flops: num.flops,
    metric: str.metric,
    value: num.value,
    seed: str.seed,
    step: num.step,
    ...Object.fromEntries(OPTIONAL.filter((k) => seen.has(k)).map((k) => [k, str[k]])),
    ...(seen.has("unique_tokens") ? { uniqueTokens: num.unique_tokens } : {}),
    ...(extras.length > 0
      ? { extra: Object.fromEntries(extras.map(([name], i) => [name, num[`extra${i}`]])) }
      : {}),
  };
}

/**
 * Copies a run table into a new temporary table of `CANON_COLUMNS` (r = row index), through
 * DuckDB's appender in chunks of 2,048 rows. NaN steps and unique tokens become NULL.
 */
export async function stageTable(
  conn: DuckDBConnection,
  name: string,
  t: RunTable,
  setFamily?: string,
): Promise<void> {
  const { DuckDBDataChunk, BIGINT, DOUBLE, VARCHAR } = await duck();
  await conn.run(`CREATE OR REPLACE TEMP TABLE ${name} (${CANON_COLUMNS})`);
  const types = [
    BIGINT,
    VARCHAR,
    VARCHAR,
    DOUBLE,
    DOUBLE,
    DOUBLE,
    VARCHAR,
    DOUBLE,
    VARCHAR,
    DOUBLE,
    VARCHAR,
    VARCHAR,
    VARCHAR,
    DOUBLE,
  ];
  const appender = await conn.createAppender(name);
  const size = 2048;
  for (let off = 0; off < t.length; off += size) {
    const len = Math.min(size, t.length - off);
    const slice = <T>(
      a: ArrayLike<T> | undefined,
      f: (v: T) => DuckDBValue = (v) => v as DuckDBValue,
    ): DuckDBValue[] => {
      const out = new Array<DuckDBValue>(len);
      for (let i = 0; i < len; i++) out[i] = a ? f(a[off + i]) : null;
      return out;
    };
    const optional = (a: readonly string[] | undefined) => slice(a, (v) => (v === "" ? null : v));
    const chunk = DuckDBDataChunk.create(types, len);
    chunk.setColumns([
      Array.from({ length: len }, (_, i) => BigInt(off + i)),
      setFamily !== undefined ? new Array(len).fill(setFamily) : slice(t.family),
      slice(t.model),
      slice(t.params),
      slice(t.tokens),
      slice(t.flops),
      slice(t.metric),
      slice(t.value),
      slice(t.seed),
      slice(t.step, (v) => (Number.isNaN(v) ? null : v)),
      optional(t.arch),
      optional(t.dataset),
      optional(t.source),
      slice(t.uniqueTokens, (v) => (Number.isNaN(v) ? null : v)),
    ]);
    appender.appendDataChunk(chunk);
  }
  appender.closeSync();
}
