import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { availableParallelism, cpus, loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { writeSweepCsv } from "./fixtures.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const CLI = join(root, "bin/scaleladder.js");
const STEPS = fileURLToPath(new URL("./big-steps.js", import.meta.url));
const EPOCH = resolve(
  process.env.SCALELADDER_SHARED_DATA ?? resolve(root, "../shared/data"),
  "epoch-chinchilla/svg_extracted_data.csv",
);

export interface Step {
  wall: number;
  cpu: number;
  rss: number;
  rows?: number;
  objective?: number;
  params?: Record<string, number>;
  curve?: { n: number; wall: number; cpu: number }[];
}

/** Runs a bench step in a fresh process (its own peak memory). */
export function step(name: string, file: string): Step {
  const out = execFileSync(process.execPath, [STEPS, name, file], {
    encoding: "utf8",
    maxBuffer: 1 << 24,
  });
  return JSON.parse(out.trim().split("\n").pop() as string) as Step;
}

/** Wall seconds of a whole process. */
function proc(args: string[]): number {
  const t = performance.now();
  const r = spawnSync(process.execPath, args, { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`${args.join(" ")}: ${r.stderr}`);
  return (performance.now() - t) / 1000;
}

const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
const s = (x: number) => `${x.toFixed(x < 1 ? 3 : 2)} s`;
/** "wall / CPU" seconds of a step. */
const both = (x: { wall: number; cpu: number }) => `${x.wall.toFixed(2)}/${x.cpu.toFixed(2)} s`;
const row = (what: string, ours: string, ref: string, ratio: string) =>
  `${what.padEnd(52)} ${ours.padStart(22)} ${ref.padStart(30)} ${ratio.padStart(8)}`;

/** Medians of several steps, run interleaved so load on a shared machine hits them alike. */
export function interleaved(names: string[], file: string, times: number): Record<string, Step> {
  const runs: Record<string, Step[]> = Object.fromEntries(names.map((n) => [n, []]));
  for (let i = 0; i < times; i++) for (const n of names) runs[n].push(step(n, file));
  return Object.fromEntries(
    names.map((n) => {
      const r = runs[n];
      const wall = median(r.map((x) => x.wall));
      return [
        n,
        { ...r[0], wall, cpu: median(r.map((x) => x.cpu)), rss: Math.max(...r.map((x) => x.rss)) },
      ];
    }),
  );
}

/**
 * `npm run bench -- big`: issue 11's table on a generated 2M-row sweep log (2,000 runs × 1,000
 * checkpoints, seeded) and on Epoch's 240 rows, each beside its reference measured in the same run:
 * a whole `fit` process against `node -e 0`; reading 2M rows into typed columns (the default route,
 * one pass of one thread, two threads), the whole fit and the import into a store against DuckDB's
 * own `read_csv` into a table; the default 2M-row fit against the start search on all rows (the
 * only way before), with the optimum compared; and the cost curve of fit against rows.
 * Medians of interleaved runs; wall and CPU seconds (the machine is shared, so CPU is the steadier).
 */
export async function runBigBench(): Promise<string[]> {
  const out = [
    `machine: ${cpus()[0]?.model ?? "?"}, ${availableParallelism()} cores, node ${process.version}`,
  ];
  out.push(row("work", "scaleladder (median)", "reference (median, same run)", "ratio"));
  out.push("(whole processes: wall seconds; steps: wall/CPU seconds and both ratios)");

  if (existsSync(EPOCH)) {
    const epoch = [EPOCH, "--params-col", "Model Size", "--flops-col", "Training FLOP"];
    const runs = { node: [] as number[], version: [] as number[], help: [] as number[] };
    const fits = { js: [] as number[], where: [] as number[], duck: [] as number[] };
    for (let i = 0; i < 9; i++) {
      runs.node.push(proc(["-e", "0"]));
      runs.version.push(proc([CLI, "--version"]));
      runs.help.push(proc([CLI, "--help"]));
      fits.js.push(proc([CLI, "fit", ...epoch]));
      fits.where.push(proc([CLI, "fit", ...epoch, "--where", "loss < 3.44"]));
      // A filter on the file's own column: JavaScript leaves it to DuckDB (where-eval.ts).
      fits.duck.push(proc([CLI, "fit", ...epoch, "--where", '"Model Size" > 0']));
    }
    const node = median(runs.node);
    for (const [what, t] of [
      ["`scaleladder --version`, whole process", runs.version],
      ["`scaleladder --help`, whole process", runs.help],
      ["`fit` Epoch 245 rows, whole process", fits.js],
      ['  with --where "loss < 3.44" (JavaScript)', fits.where],
      ["  with --where on a column of the file (DuckDB)", fits.duck],
    ] as const)
      out.push(
        row(what, s(median(t)), `node -e 0: ${s(node)}`, `${(median(t) / node).toFixed(1)}×`),
      );
  } else out.push(`small-file rows skipped: ${EPOCH} not found`);

  const dir = mkdtempSync(join(tmpdir(), "scaleladder-big-"));
  try {
    const file = join(dir, "sweep.csv");
    await writeSweepCsv(file, 2000, 1000, 0);
    const m = interleaved(
      ["duckdb-read-csv", "read", "read-one-pass", "read-two-threads", "cli-fit"],
      file,
      3,
    );
    const ref = m["duckdb-read-csv"];
    const refText = `read_csv → table ${both(ref)}`;
    const versus = (what: string, x: Step, base: Step, baseText: string) =>
      out.push(
        row(
          `${what} (${x.rss} MiB)`,
          both(x),
          baseText,
          `${(x.wall / base.wall).toFixed(2)}/${(x.cpu / base.cpu).toFixed(2)}`,
        ),
      );
    versus(`read 2M rows → typed columns (load ${loadavg()[0].toFixed(1)})`, m.read, ref, refText);
    const one = m["read-one-pass"];
    const two = m["read-two-threads"];
    versus("  in one pass of one thread", one, ref, refText);
    versus("  in two threads", two, ref, refText);
    versus("  two threads against one pass", two, one, `one pass ${both(one)}`);
    versus("  through DuckDB (the route before)", step("read-duckdb-route", file), ref, refText);
    versus("`scaleladder fit FILE`, 2M rows", m["cli-fit"], ref, refText);
    versus("`scaleladder import FILE`, 2M rows", step("import", file), ref, refText);
    const f = interleaved(["fit"], file, 2).fit;
    const all = step("fit-search-all", file);
    versus("fit 2M rows", f, all, `search on all rows ${both(all)}`);
    const rel = Math.max(
      Math.abs(f.objective! - all.objective!) / all.objective!,
      ...Object.keys(all.params!).map(
        (k) => Math.abs(f.params![k] - all.params![k]) / Math.abs(all.params![k]),
      ),
    );
    out.push(
      `  same optimum: objective ${f.objective} vs ${all.objective}; largest relative difference (objective, parameters) ${rel.toExponential(1)}`,
    );
    const c = step("curve", file).curve!;
    out.push("fit cost against rows (every k-th row of the log; CPU ms per 1,000 rows):");
    for (const p of c)
      out.push(
        `  n = ${String(p.n).padStart(9)}  CPU ${s(p.cpu).padStart(8)}  wall ${s(p.wall).padStart(8)}  ${((1000 * p.cpu * 1000) / p.n).toFixed(2)} ms/1k rows`,
      );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
}
