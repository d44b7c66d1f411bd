import { existsSync, readFileSync } from "node:fs";
import { availableParallelism, cpus } from "node:os";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { fitWithUncertainty } from "../src/estimate/uncertainty.js";
import { fit } from "../src/fit/fit.js";
import type { FitData } from "../src/fit/types.js";

/**
 * Reference times for the same work on this machine class (issue 2): scipy's L-BFGS-B over the
 * 4,500-start Epoch grid with analytic gradients ≈ 25 s, with numerical gradients ≈ 150 s.
 * Targets: one default fit ≤ 20 ms; a 1,000-resample bootstrap ≤ 5 s on 2 cores.
 */
const SCIPY_GRID_ANALYTIC_S = 25;
const SCIPY_GRID_NUMERIC_S = 150;
const TARGET_FIT_MS = 20;
const TARGET_BOOTSTRAP_S = 5;

const root = fileURLToPath(new URL("../../", import.meta.url));
const EPOCH = resolve(
  process.env.SCALELADDER_SHARED_DATA ?? resolve(root, "../shared/data"),
  "epoch-chinchilla/svg_extracted_data.csv",
);

/** The 240-row Epoch golden problem (five highest losses dropped, D = C/(6N)). */
function epochData(): FitData {
  const lines = readFileSync(EPOCH, "utf8").trim().split("\n");
  const head = lines[0].split(",");
  const rows = lines.slice(1).map((l) => l.split(","));
  const N = rows.map((c) => Number(c[head.indexOf("Model Size")]));
  const C = rows.map((c) => Number(c[head.indexOf("Training FLOP")]));
  const L = rows.map((c) => Number(c[head.indexOf("loss")]));
  const cut = [...L].sort((a, b) => a - b)[L.length - 5];
  const keep = L.map((_, i) => i).filter((i) => L[i] < cut);
  return {
    params: Float64Array.from(keep, (i) => N[i]),
    tokens: Float64Array.from(keep, (i) => C[i] / (6 * N[i])),
    flops: Float64Array.from(keep, (i) => C[i]),
    loss: Float64Array.from(keep, (i) => L[i]),
  };
}

function median(v: number[]): number {
  const s = [...v].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Times the default fit, the Epoch-grid fit and a 1,000-resample bootstrap; returns printed lines. */
export async function runFitBench(): Promise<string[]> {
  if (!existsSync(EPOCH)) return [`fit bench skipped: ${EPOCH} not found (needs ../shared/data)`];
  const data = epochData();
  const out: string[] = [];
  for (let i = 0; i < 20; i++) fit(data); // warm up the JIT
  const times: number[] = [];
  let last = fit(data);
  for (let i = 0; i < 50; i++) {
    const t = performance.now();
    last = fit(data);
    times.push(performance.now() - t);
  }
  const fitMs = median(times);
  let t = performance.now();
  const grid = fit(data, { starts: "epoch-grid", polish: false });
  const gridS = (performance.now() - t) / 1000;
  t = performance.now();
  // The same path as `scaleladder fit --bootstrap 1000`: whole-run resamples on all cores.
  const boot = await fitWithUncertainty(data, {}, { resamples: 1000, seed: 0 });
  const bootS = (performance.now() - t) / 1000;
  const ok = boot.bootstrap?.succeeded ?? 0;
  const row = (what: string, ours: string, ref: string, ratio: string) =>
    `${what.padEnd(44)} ${ours.padStart(10)} ${ref.padStart(22)} ${ratio.padStart(9)}`;
  out.push(
    `machine: ${cpus()[0]?.model ?? "?"}, ${availableParallelism()} cores, node ${process.version}`,
  );
  out.push(row("work (Epoch/Chinchilla, 240 rows)", "scaleladder", "reference", "ratio"));
  out.push(
    row(
      "default fit (vp-grid + newton), median of 50",
      `${fitMs.toFixed(2)} ms`,
      `target ${TARGET_FIT_MS} ms`,
      `${(fitMs / TARGET_FIT_MS).toFixed(2)}×`,
    ),
  );
  out.push(
    row(
      "  vs scipy L-BFGS-B 4,500-start grid",
      `${fitMs.toFixed(2)} ms`,
      `${SCIPY_GRID_ANALYTIC_S} s`,
      `${(fitMs / 1000 / SCIPY_GRID_ANALYTIC_S).toExponential(1)}×`,
    ),
  );
  out.push(
    row(
      "Epoch 4,500-start grid, our L-BFGS-B",
      `${gridS.toFixed(2)} s`,
      `scipy ${SCIPY_GRID_ANALYTIC_S} s (analytic)`,
      `${(gridS / SCIPY_GRID_ANALYTIC_S).toFixed(2)}×`,
    ),
  );
  out.push(
    row(
      "",
      "",
      `scipy ${SCIPY_GRID_NUMERIC_S} s (numeric)`,
      `${(gridS / SCIPY_GRID_NUMERIC_S).toFixed(2)}×`,
    ),
  );
  out.push(
    row(
      `bootstrap, 1,000 resamples (${ok} converged)`,
      `${bootS.toFixed(2)} s`,
      `target ${TARGET_BOOTSTRAP_S} s`,
      `${(bootS / TARGET_BOOTSTRAP_S).toFixed(2)}×`,
    ),
  );
  out.push(
    `objective: default ${last.objective.value.toPrecision(10)} (${last.status}), grid ${grid.objective.value.toPrecision(10)} (${grid.status}); golden 1.01827402e-3`,
  );
  return out;
}
