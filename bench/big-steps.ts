import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main } from "../src/cli/main.js";
import { openMemoryDb, sqlString } from "../src/data/duckdb.js";
import { toFitData } from "../src/data/fitdata.js";
import { loadRuns, loadRunsWithDuckDb, readPlainFile } from "../src/data/load.js";
import { readPlainCsv } from "../src/data/plain-csv.js";
import { openStore } from "../src/data/store.js";
import { fit } from "../src/fit/fit.js";
import type { FitData } from "../src/fit/types.js";

/**
 * DuckDB alone writing `columns` of the file's rows (read_csv / read_parquet) to a table of a new
 * database file, unordered as the import writes; timed from the first statement to the detach.
 */
async function toFile(file: string, columns: string): Promise<{ wall: number; cpu: number }> {
  const dir = mkdtempSync(join(tmpdir(), "scaleladder-ref-"));
  const db = await openMemoryDb();
  try {
    const reader = file.endsWith(".parquet") ? "read_parquet" : "read_csv";
    const t0 = clock();
    await db.conn.run("SET preserve_insertion_order = false");
    await db.conn.run(`ATTACH ${sqlString(join(dir, "ref.duckdb"))} AS f`);
    await db.conn.run(`CREATE TABLE f.t AS SELECT ${columns} FROM ${reader}(${sqlString(file)})`);
    await db.conn.run("DETACH f");
    return t0();
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * One step of the big-log bench, run in its own process so its peak memory is its own:
 * `node build/bench/big-steps.js STEP FILE`. Prints one JSON line: wall and CPU seconds of the
 * step, the process's peak RSS in MiB, and what the step found (rows, objective, parameters).
 */
const steps: Record<string, (file: string) => Promise<Record<string, unknown>>> = {
  /** Reference: DuckDB's own read_csv of the file into a table. */
  "duckdb-read-csv": async (file) => {
    const db = await openMemoryDb();
    const t0 = clock();
    await db.conn.run(`CREATE TABLE t AS SELECT * FROM read_csv(${sqlString(file)})`);
    const took = t0();
    const n = await db.conn.runAndReadAll("SELECT count(*)::DOUBLE AS n FROM t");
    db.close();
    return { ...took, rows: Number(n.getRowObjects()[0].n) };
  },
  /** Reference: DuckDB's own read_parquet of the file into a table. */
  "duckdb-read-parquet": async (file) => {
    const db = await openMemoryDb();
    const t0 = clock();
    await db.conn.run(`CREATE TABLE t AS SELECT * FROM read_parquet(${sqlString(file)})`);
    const took = t0();
    db.close();
    return took;
  },
  /**
   * Second reference: DuckDB's read_csv / read_parquet into a table of a database file, written
   * out (what a store costs the engine itself, before any check), unordered as the import writes
   * (before 2026-12-02 in order, 1.3–2× slower).
   */
  "duckdb-to-file": (file) => toFile(file, "*"),
  /**
   * Third reference: the same rows written as a store holds them, DuckDB alone: the store's 15
   * columns (the sweep's six by name, flops = 6·N·D, the metric, seed, origin and import time as
   * constants, the rest NULL), no check. What writing a store's rows costs the engine, before
   * anything scaleladder adds.
   */
  "duckdb-store-rows": (file) =>
    toFile(
      file,
      `family, model, CAST(params AS DOUBLE) AS params, CAST(tokens AS DOUBLE) AS tokens,
        6 * CAST(params AS DOUBLE) * CAST(tokens AS DOUBLE) AS flops, 'loss' AS metric,
        CAST(loss AS DOUBLE) AS value, '0' AS seed, CAST(step AS DOUBLE) AS step,
        CAST(NULL AS VARCHAR) AS arch, CAST(NULL AS VARCHAR) AS dataset, CAST(NULL AS VARCHAR) AS source,
        ${sqlString(file)} AS origin, CAST(now() AS TIMESTAMP) AS imported_at,
        CAST(NULL AS DOUBLE) AS unique_tokens`,
    ),
  /** The file into typed columns, as `fit FILE` reads it (two threads if a core is free). */
  read: async (file) => {
    const t0 = clock();
    const t = await loadRuns(file, { metric: "loss" });
    return { ...t0(), rows: t.length };
  },
  /** The file into typed columns in one pass of one thread (every file before the two-thread read). */
  "read-one-pass": async (file) => {
    const t0 = clock();
    const t = readPlainCsv(file, { metric: "loss" });
    return { ...t0(), rows: t?.length };
  },
  /** The file into typed columns in two threads, whatever the load (see `readPlainFile`). */
  "read-two-threads": async (file) => {
    const t0 = clock();
    const t = await readPlainFile(file, { metric: "loss" }, "two");
    return { ...t0(), rows: t?.length };
  },
  /** The same through DuckDB (every file took this route before). */
  "read-duckdb-route": async (file) => {
    const t0 = clock();
    const t = await loadRunsWithDuckDb(file, { metric: "loss" });
    return { ...t0(), rows: t.length };
  },
  /** The default fit of all rows (start search on a subset). */
  fit: async (file) => fitStep(toFitData(await loadRuns(file, { metric: "loss" })), {}),
  /** The fit with its start search on all rows (the only way before). */
  "fit-search-all": async (file) =>
    fitStep(toFitData(await loadRuns(file, { metric: "loss" })), {
      searchRows: Number.POSITIVE_INFINITY,
    }),
  /** `scaleladder import FILE` into a new store: every check, then the rows written. */
  import: async (file) => {
    const dir = mkdtempSync(join(tmpdir(), "scaleladder-import-"));
    try {
      const t0 = clock();
      const store = await openStore(join(dir, "runs.duckdb"));
      const r = await store.importFile(file);
      await store.close();
      return { ...t0(), rows: r.inserted };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
  /**
   * `scaleladder import FILE` again into a store that holds it: every row compared with the store
   * and skipped. Only the second import is timed; the peak RSS is the process's, both imports.
   */
  reimport: async (file) => {
    const dir = mkdtempSync(join(tmpdir(), "scaleladder-import-"));
    try {
      const db = join(dir, "runs.duckdb");
      const first = await openStore(db);
      await first.importFile(file);
      await first.close();
      const t0 = clock();
      const store = await openStore(db);
      const r = await store.importFile(file);
      await store.close();
      return { ...t0(), rows: r.skipped };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
  /** `scaleladder fit FILE`, all of it but the process start. */
  "cli-fit": async (file) => {
    const t0 = clock();
    const code = await main(["fit", file], { out: () => {}, err: () => {}, isTTY: false });
    return { ...t0(), code };
  },
  /** Fit cost against rows: every k-th row for n = 1e3 … all. */
  curve: async (file) => {
    const d = toFitData(await loadRuns(file, { metric: "loss" }));
    const out: { n: number; cpu: number; wall: number }[] = [];
    for (const n of [1e3, 1e4, 1e5, 3e5, 1e6, d.loss.length]) {
      const k = Math.max(1, Math.floor(d.loss.length / n));
      const m = Math.floor(d.loss.length / k);
      const take = (a: Float64Array) => Float64Array.from({ length: m }, (_, i) => a[i * k]);
      const sub: FitData = {
        params: take(d.params),
        tokens: take(d.tokens),
        flops: take(d.flops),
        loss: take(d.loss),
      };
      const t0 = clock();
      fit(sub);
      out.push({ n: m, ...t0() });
    }
    return { curve: out };
  },
};

async function fitStep(d: FitData, o: Parameters<typeof fit>[1]) {
  const t0 = clock();
  const r = fit(d, o);
  return { ...t0(), rows: d.loss.length, objective: r.objective.value, params: r.params };
}

/** Starts a clock; calling it gives wall and CPU seconds since. */
function clock(): () => { wall: number; cpu: number } {
  const w = performance.now();
  const c = process.cpuUsage();
  return () => {
    const d = process.cpuUsage(c);
    return { wall: (performance.now() - w) / 1000, cpu: (d.user + d.system) / 1e6 };
  };
}

const [step, file] = process.argv.slice(2);
const run = steps[step];
if (!run) throw new Error(`unknown step ${step} (${Object.keys(steps).join(", ")})`);
const result = await run(file);
console.log(JSON.stringify({ ...result, rss: Math.round(process.resourceUsage().maxRSS / 1024) }));
