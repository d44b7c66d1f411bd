import { availableParallelism, cpus } from "node:os";
import { resolve } from "node:path";
import { planChunks } from "../src/analysis/experiments.js";
import { runChunksParallel } from "../src/analysis/parallel.js";
import { EXPERIMENTS, type ResultRow } from "../src/analysis/types.js";
import { loadHitchhiker } from "../src/cli/hitchhiker-table.js";

/** The acceptance budget of issue 5: the full analyze in at most 60 s on the 2-core machine. */
const BUDGET_S = 60;

/**
 * Times the full meta-analysis (every experiment and family of hitchhiker-colpret plus the Pythia
 * families of pythia-evals, all cores) as `scaleladder analyze` runs it, minus writing the tables:
 * per protocol, total time, laws fitted, and fits per second, against the 60-second budget.
 */
export async function runAnalyzeBench(): Promise<string> {
  const root = process.env.SCALELADDER_SHARED_DATA ?? resolve("../shared/data");
  const table = await loadHitchhiker(resolve(root));
  const lines: string[] = [`machine: ${cpus()[0]?.model ?? "?"}, ${availableParallelism()} cores`];
  // `both` is one pool of chunks over both protocols, as `analyze --protocol both` runs it.
  const runs = [
    ["default", ["default"]],
    ["both", ["default", "paper"]],
  ] as const;
  for (const [name, protocols] of runs) {
    const chunks = planChunks(table, { experiments: EXPERIMENTS, protocols });
    const rows: ResultRow[] = [];
    let fits = 0;
    const t0 = performance.now();
    await runChunksParallel(table, chunks, {
      onChunk: (_c, rs, fitted) => {
        rows.push(...rs);
        fits += fitted;
      },
    });
    const s = (performance.now() - t0) / 1000;
    const laws = rows.filter((r) => r.fitMs !== null).length;
    const grid = rows.filter((r) => r.experiment === "grid" && r.fitMs !== null).length;
    lines.push(
      `analyze --protocol ${name}: ${s.toFixed(1)} s total for ${rows.length} rows; ${laws} laws (${grid} in the main grid) from ${fits} fits, ${(fits / s).toFixed(0)} fits/s; ${(s / BUDGET_S).toFixed(2)}× the ${BUDGET_S} s budget`,
    );
  }
  return lines.join("\n");
}
