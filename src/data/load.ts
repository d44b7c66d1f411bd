import { readFileSync } from "node:fs";
import { availableParallelism, loadavg } from "node:os";
import { plainFile, readWhole } from "./plain-csv.js";
import type { LoadOptions } from "./stage.js";
import type { RunTable } from "./types.js";

export type { LoadOptions } from "./stage.js";

/**
 * Reads run files (CSV, TSV, JSON, JSONL or Parquet; wide or long) into the canonical table,
 * with DuckDB in memory: columns mapped, sizes such as `1.3B` parsed, tokens or flops derived,
 * `options.where` applied, every row checked. Likely unit mistakes come back as `warnings`.
 * A `unique_tokens` column (or `options.uniqueTokens`) becomes `uniqueTokens`; the columns named in
 * `options.extraColumns` come back as `extra`, aligned with the rows kept.
 * One clean CSV/TSV file is read in JavaScript ({@link readPlainFile}), to the same table.
 * @throws InputError (InputErrors for several) naming file:line:column and a fix; nothing is read
 * @example await loadRuns("runs.csv", { where: "loss < 4" }) // → { length: 240, params: Float64Array […], … }
 */
export async function loadRuns(
  path: string | readonly string[],
  options: LoadOptions = {},
): Promise<RunTable> {
  const one = typeof path === "string" ? path : path.length === 1 ? path[0] : undefined;
  const plain = one === undefined ? undefined : await readPlainFile(one, options);
  return plain ?? loadRunsWithDuckDb(path, options);
}

/** Files from this size on are read in two threads by {@link readPlainFile}, if a core is free. */
export const TWO_THREADS_FROM = 48 << 20;

/**
 * One clean CSV/TSV file read in JavaScript (`readPlainCsv`: the DuckDB route's table, or
 * undefined), in one pass or in two threads (`readInTwo`): the same table, declined in the same
 * cases. `auto` takes two threads for a file of {@link TWO_THREADS_FROM} bytes or more when the
 * machine has a core to spare ({@link otherWork} below cores − 1): the second thread costs a third
 * more CPU (its start, its compiler warming up, the merge) and gains time only on a free core.
 * Smaller files never load the worker's modules.
 */
export async function readPlainFile(
  path: string,
  options: LoadOptions,
  route: "auto" | "one" | "two" = "auto",
): Promise<RunTable | undefined> {
  const file = plainFile(path, options);
  if (file === undefined) return undefined;
  if (route === "two" || (route === "auto" && twoThreadsPay(file.size))) {
    const { readInTwo } = await import("./plain-parallel.js");
    return readInTwo(file, options);
  }
  return readWhole(file, options);
}

/**
 * Whether `auto` reads a file of `size` bytes in two threads, with `busy` cores' worth of other
 * work running and on these cores.
 */
export function twoThreadsPay(
  size: number,
  busy = otherWork(),
  cores = availableParallelism(),
): boolean {
  return size >= TWO_THREADS_FROM && busy < cores - 1;
}

/**
 * How much else wants a core now: on Linux the threads runnable at this instant, less this one
 * (`/proc/loadavg`, its fourth field: runnable/all); elsewhere the one-minute load average. That
 * average lags: for a minute after any busy spell it counts a core busy that is free again (in
 * `bench big` it stood at 1.4 on an idle 2-core machine, and the 2M-row read took one pass,
 * 1.28 s, where two threads took 0.96 s).
 */
export function otherWork(): number {
  try {
    return runnableOthers(readFileSync("/proc/loadavg", "utf8"));
  } catch {
    return loadavg()[0];
  }
}

/**
 * The runnable threads other than the caller in the text of `/proc/loadavg`
 * (`0.42 1.36 1.56 2/75 18000` → 1).
 * @throws Error when the text is not in that form
 */
export function runnableOthers(text: string): number {
  const m = /^\S+ \S+ \S+ (\d+)\/\d+ /.exec(text);
  if (!m) throw new Error(`not /proc/loadavg: ${JSON.stringify(text.slice(0, 40))}`);
  return Math.max(0, Number(m[1]) - 1);
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
