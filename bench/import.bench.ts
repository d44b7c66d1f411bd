import { once } from "node:events";
import { createWriteStream, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { availableParallelism, cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { parseDelimited } from "../src/data/csv.js";
import { openMemoryDb, sqlString } from "../src/data/duckdb.js";
import { loadRuns } from "../src/data/load.js";
import { openStore } from "../src/data/store.js";
import { interleaved, type Step } from "./big.bench.js";
import { writeSweepCsv } from "./fixtures.js";

/** Rows of the generated long-format file (issue 3's acceptance: two million). */
const ROWS = 2_000_000;
const METRICS = [
  "loss",
  "eval/c4",
  "eval/wiki",
  "eval/books",
  "hellaswag",
  "arc_easy",
  "piqa",
  "lambada",
  "mmlu",
  "winogrande",
];

/**
 * Writes a long-format CSV: 50 models × 2 seeds × 2,000 checkpoints × 10 metrics, with sizes
 * written with suffixes as users do. Deterministic, no randomness needed.
 */
export async function writeLadder(path: string, rows: number): Promise<void> {
  const out = createWriteStream(path);
  out.write("family,model,params,tokens,step,seed,metric,value\n");
  const perModel = 2 * 2000 * METRICS.length;
  let buf = "";
  for (let i = 0; i < rows; i++) {
    const m = Math.floor(i / perModel);
    const k = i % perModel;
    const seed = Math.floor(k / (2000 * METRICS.length));
    const step = 1 + (Math.floor(k / METRICS.length) % 2000);
    const metric = METRICS[k % METRICS.length];
    const params = 20 + 10 * m;
    const value = 1.8 + 400 / (params * 1e6) ** 0.34 + 400 / (step * 4e6) ** 0.28 + (k % 7) * 1e-4;
    buf += `fam${m % 5},m${m},${params}M,${step * 4e6},${step},${seed},${metric},${value.toFixed(5)}\n`;
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await once(out, "drain");
      buf = "";
    }
  }
  out.end(buf);
  await once(out, "finish");
}

const seconds = (t0: number) => (performance.now() - t0) / 1000;
const peakMiB = () => Math.round(process.resourceUsage().maxRSS / 1024);
const rate = (n: number, s: number) => `${Math.round(n / s).toLocaleString("en-US")} rows/s`;

const both = (x: Step) => `${x.wall.toFixed(2)} s wall, ${x.cpu.toFixed(2)} s CPU`;
const ratio = (x: Step, r: Step) =>
  `${(x.cpu / r.cpu).toFixed(2)}× CPU, ${(x.wall / r.wall).toFixed(2)}× wall`;

/**
 * Issue 11's import goal: `scaleladder import` of the seeded 2M-row sweep log (2,000 runs × 1,000
 * checkpoints), as CSV and as Parquet, each beside DuckDB's own read into an in-memory table
 * (`CREATE TABLE t AS SELECT * FROM read_csv(…)`), into a table of a database file, and as a store's
 * rows into a database file (`duckdb-store-rows` in big-steps.ts), measured in the same run: medians of interleaved runs, each step in a fresh process (its own peak RSS). For
 * CSV also the import of the same file again, into the store that holds it.
 */
export async function runImportVsEngine(times = 3): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), "scaleladder-import-ref-"));
  const out = [
    `machine: ${cpus()[0]?.model ?? "?"}, ${availableParallelism()} cores, node ${process.version}; load average ${loadavg()
      .map((x) => x.toFixed(1))
      .join(" ")}`,
  ];
  try {
    const csv = join(dir, "sweep.csv");
    await writeSweepCsv(csv, 2000, 1000, 0);
    const parquet = join(dir, "sweep.parquet");
    const db = await openMemoryDb();
    await db.conn.run(
      `COPY (SELECT * FROM read_csv(${sqlString(csv)})) TO ${sqlString(parquet)} (FORMAT parquet, COMPRESSION zstd)`,
    );
    db.close();
    for (const [what, file, reader] of [
      ["CSV", csv, "duckdb-read-csv"],
      ["Parquet", parquet, "duckdb-read-parquet"],
    ] as const) {
      // The re-import (every row compared with the store) only for CSV: it costs two imports.
      const again = what === "CSV" ? ["reimport"] : [];
      const m = interleaved(
        [reader, "duckdb-to-file", "duckdb-store-rows", "import", ...again],
        file,
        times,
      );
      const ref = m[reader];
      const disk = m["duckdb-to-file"];
      const shaped = m["duckdb-store-rows"];
      const ours = m.import;
      const re = m.reimport;
      out.push(
        `${what} (${(statSync(file).size / 2 ** 20).toFixed(0)} MiB, 2,000,000 rows; medians of ${times}):`,
        `  reference  DuckDB ${reader.slice(7).replace("-", "_")} → in-memory table  ${both(ref)}, peak RSS ${ref.rss} MiB`,
        `  reference  the same into a database file, unordered as the import writes  ${both(disk)}, peak RSS ${disk.rss} MiB (${ratio(disk, ref)})`,
        `  reference  the same as a store's rows (its 15 columns, constants and NULLs included) into a database file, no check  ${both(shaped)}, peak RSS ${shaped.rss} MiB (${ratio(shaped, ref)})`,
        `  scaleladder import (every check, one transaction) ${both(ours)}, peak RSS ${ours.rss} MiB`,
        `  import / ${reader.slice(7).replace("-", "_")} → in-memory table (the goal's reference, ≤ 2×): ${ratio(ours, ref)}`,
        `  import / ${reader.slice(7).replace("-", "_")} → database file: ${ratio(ours, disk)}`,
        `  import / the store's rows written by DuckDB alone (the write a store needs): ${ratio(ours, shaped)}`,
      );
      if (re)
        out.push(
          `  import again into a store holding it (every row compared, none added) ${both(re)}, peak RSS ${re.rss} MiB (both imports)`,
          `  import again / the first import: ${ratio(re, ours)}; / ${reader.slice(7).replace("-", "_")} → in-memory table: ${ratio(re, ref)}`,
        );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
}

/**
 * `npm run bench` section: issue 11's comparison ({@link runImportVsEngine}), then the import of a
 * 2-million-row long-format file into a fresh store, from CSV
 * and from Parquet (zstd), then its summary; rows/second and the process's peak memory (max RSS).
 * The reference is the foundation's pure-JavaScript CSV parser on the same text (parse only, no
 * checks, nothing stored), run on the first 10% of rows to bound its memory.
 */
export async function runImportBench(): Promise<string> {
  const engine = await runImportVsEngine();
  const dir = mkdtempSync(join(tmpdir(), "scaleladder-bench-"));
  const lines: string[] = [
    ...engine,
    "long-format ladder (10 metrics), in this process:",
    `machine: ${cpus().length} × ${cpus()[0]?.model ?? "cpu"}; ${ROWS.toLocaleString("en-US")} long-format rows`,
  ];
  try {
    const csv = join(dir, "ladder.csv");
    await writeLadder(csv, ROWS);
    lines.push(
      `generated ${csv.split("/").pop()} (${(statSync(csv).size / 2 ** 20).toFixed(0)} MiB)`,
    );

    let t0 = performance.now();
    const store = await openStore(join(dir, "csv.duckdb"));
    const r = await store.importFile(csv);
    const csvS = seconds(t0);
    t0 = performance.now();
    const families = await store.summary();
    const sumS = seconds(t0);
    await store.close();
    lines.push(
      `import CSV       ${csvS.toFixed(2)} s  ${rate(r.inserted, csvS)}  (${r.inserted} rows, peak RSS ${peakMiB()} MiB)`,
    );
    const models = families.reduce((s, f) => s + f.models.length, 0);
    lines.push(
      `summary          ${sumS.toFixed(2)} s  (${families.length} families, ${models} models)`,
    );

    const parquet = join(dir, "ladder.parquet");
    const db = await openMemoryDb();
    await db.conn.run(
      `COPY (SELECT * FROM read_csv(${sqlString(csv)}, all_varchar = true)) TO ${sqlString(parquet)} (FORMAT parquet, COMPRESSION zstd)`,
    );
    db.close();
    t0 = performance.now();
    const pstore = await openStore(join(dir, "parquet.duckdb"));
    const p = await pstore.importFile(parquet);
    await pstore.close();
    const pqS = seconds(t0);
    lines.push(
      `import Parquet   ${pqS.toFixed(2)} s  ${rate(p.inserted, pqS)}  (peak RSS ${peakMiB()} MiB)`,
    );

    t0 = performance.now();
    const t = await loadRuns(csv, { metric: "loss" });
    const loadS = seconds(t0);
    lines.push(
      `load CSV → typed arrays, one metric  ${loadS.toFixed(2)} s  (${t.length} rows kept of ${ROWS}; peak RSS ${peakMiB()} MiB)`,
    );

    const text = readFileSync(csv, "utf8");
    const cut = text.split("\n", ROWS / 10 + 1).join("\n");
    t0 = performance.now();
    parseDelimited(cut, csv);
    const refS = seconds(t0);
    const refRate = ROWS / 10 / refS;
    lines.push(
      `reference: JS parseDelimited (parse only) ${rate(ROWS / 10, refS)}; import CSV / reference = ${(r.inserted / csvS / refRate).toFixed(2)}×`,
    );
    lines.push(`peak memory (max RSS of this process) ${peakMiB()} MiB`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return lines.join("\n");
}

// Run directly: node build/bench/import.bench.js
if (import.meta.url === `file://${process.argv[1]}`) console.log(await runImportBench());
