import { availableParallelism, cpus } from "node:os";
import { resolve } from "node:path";
import { runChunksParallel } from "../src/analysis/parallel.js";
import { planChunks } from "../src/analysis/plan.js";
import { EXPERIMENTS, type ResultRow } from "../src/analysis/types.js";
import { colpretAdapter } from "../src/data/corpus/colpret.js";

/** The acceptance budget of issue 5: the full analyze in at most 60 s on the 2-core machine. */
const BUDGET_S = 60;

/**
 * Times the full meta-analysis (every experiment and family of hitchhiker-colpret, default
 * protocol, all cores) as `scaleladder analyze` runs it, minus writing the tables: total time,
 * laws fitted, and fits per second, against the 60-second budget.
 */
export async function runAnalyzeBench(): Promise<string> {
  const root = process.env.SCALELADDER_SHARED_DATA ?? resolve("../shared/data");
  const table = await colpretAdapter.load(resolve(root, "hitchhiker-colpret"));
  const lines: string[] = [`machine: ${cpus()[0]?.model ?? "?"}, ${availableParallelism()} cores`];
  for (const protocol of ["default", "paper"] as const) {
    const chunks = planChunks(table, { experiments: EXPERIMENTS, protocols: [protocol] });
    const rows: ResultRow[] = [];
    const t0 = performance.now();
    await runChunksParallel(table, chunks, { onChunk: (_c, rs) => rows.push(...rs) });
    const s = (performance.now() - t0) / 1000;
    const fits = rows.filter((r) => r.fitMs !== null).length;
    const grid = rows.filter((r) => r.experiment === "grid" && r.fitMs !== null).length;
    lines.push(
      `analyze --protocol ${protocol}: ${s.toFixed(1)} s for ${rows.length} cells, ${fits} laws fitted (${grid} in the main grid), ${(fits / s).toFixed(0)} fits/s; ${(s / BUDGET_S).toFixed(2)}× the ${BUDGET_S} s budget`,
    );
  }
  return lines.join("\n");
}
