import { readPlainCsv } from "./plain-csv.js";
import type { LoadOptions } from "./stage.js";
import type { RunTable } from "./types.js";

export type { LoadOptions } from "./stage.js";

/**
 * Reads run files (CSV, TSV, JSON, JSONL or Parquet; wide or long) into the canonical table,
 * with DuckDB in memory: columns mapped, sizes such as `1.3B` parsed, tokens or flops derived,
 * `options.where` applied, every row checked. Likely unit mistakes come back as `warnings`.
 * A `unique_tokens` column (or `options.uniqueTokens`) becomes `uniqueTokens`; the columns named in
 * `options.extraColumns` come back as `extra`, aligned with the rows kept.
 * One clean CSV/TSV file is read in JavaScript ({@link readPlainCsv}), to the same table.
 * @throws InputError (InputErrors for several) naming file:line:column and a fix; nothing is read
 * @example await loadRuns("runs.csv", { where: "loss < 4" }) // → { length: 240, params: Float64Array […], … }
 */
export async function loadRuns(
  path: string | readonly string[],
  options: LoadOptions = {},
): Promise<RunTable> {
  const one = typeof path === "string" ? path : path.length === 1 ? path[0] : undefined;
  const plain = one === undefined ? undefined : readPlainCsv(one, options);
  return plain ?? loadRunsWithDuckDb(path, options);
}

/** {@link loadRuns} through DuckDB, whatever the files: the route every message comes from. */
export async function loadRunsWithDuckDb(
  path: string | readonly string[],
  options: LoadOptions = {},
): Promise<RunTable> {
  const paths = typeof path === "string" ? [path] : path;
  // Loaded here, not at the top: a clean file read in JavaScript never needs the DuckDB route.
  const [{ extraColumn }, { openMemoryDb }, { withRunFiles }, { stageFiles }, { fetchTable }] =
    await Promise.all([
      import("./canonical.js"),
      import("./duckdb.js"),
      import("./open-runs.js"),
      import("./stage.js"),
      import("./table.js"),
    ]);
  return withRunFiles({ paths, manifest: options.manifest }, async (inputs) => {
    const db = await openMemoryDb();
    try {
      const staged = await stageFiles(db.conn, inputs, options);
      const extra = Object.fromEntries(
        (options.extraColumns ?? []).map((name, i) => [name, extraColumn(i)]),
      );
      const origin =
        inputs.length === 1 ? (inputs[0].label ?? inputs[0].path) : `${inputs.length} files`;
      const table = await fetchTable(db.conn, staged.table, origin, "r", extra);
      return { ...table, warnings: [...staged.warnings] };
    } finally {
      db.close();
    }
  });
}
