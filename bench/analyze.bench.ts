import { execFileSync } from "node:child_process";
import { availableParallelism, cpus, loadavg } from "node:os";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** Issue 11's goal: the full default analyze in at most 6 s of wall time on the 2-core machine. */
const GOAL_S = 6;
const STEPS = fileURLToPath(new URL("./analyze-steps.js", import.meta.url));

interface Run {
  wall: number;
  cpu: number;
  rss: number;
  fits: number;
  resumed: { wall: number; cpu: number };
}

/**
 * Times `scaleladder analyze` on the full default corpus (every experiment, every ColPret and Pythia
 * family, default protocol; tables written), each run in a fresh process, against the 6-second
 * goal, beside its references in the same run: the same command on one worker (the parallel
 * speed-up, and the CPU the second core costs) and a resumed rerun (the fixed part that no number
 * of cores shrinks). Runs alternate, `SCALELADDER_BENCH_ROUNDS` times (default 1; medians), so
 * load on a shared machine hits them alike; CPU (user + sys, every thread) is the steadier number.
 */
export async function runAnalyzeBench(): Promise<string> {
  const root = resolve(process.env.SCALELADDER_SHARED_DATA ?? "../shared/data");
  const rounds = Number(process.env.SCALELADDER_BENCH_ROUNDS ?? 1);
  const all = String(availableParallelism());
  const modes = [all, "1"];
  const runs: Record<string, Run[]> = Object.fromEntries(modes.map((m) => [m, []]));
  const load0 = loadavg()[0];
  for (let i = 0; i < rounds; i++)
    for (const m of modes) {
      const out = execFileSync(process.execPath, [STEPS, m, root], { encoding: "utf8" });
      runs[m].push(JSON.parse(out.trim().split("\n").pop() as string) as Run);
    }
  const mid = (r: Run[], f: (x: Run) => number) =>
    [...r.map(f)].sort((a, b) => a - b)[r.length >> 1];
  const [par, one] = modes.map((m) => ({
    wall: mid(runs[m], (x) => x.wall),
    cpu: mid(runs[m], (x) => x.cpu),
    rss: Math.max(...runs[m].map((x) => x.rss)),
    fits: runs[m][0].fits,
  }));
  const resumed = Object.values(runs).flat();
  const fixed = {
    wall: mid(resumed, (x) => x.resumed.wall),
    cpu: mid(resumed, (x) => x.resumed.cpu),
  };
  const line = (what: string, r: { wall: number; cpu: number; rss?: number; fits?: number }) =>
    `${what.padEnd(36)} ${r.wall.toFixed(1).padStart(6)} s wall ${r.cpu.toFixed(1).padStart(6)} s CPU${r.rss ? `, ${r.rss} MiB, ${r.fits} fits` : ""}`;
  return [
    `machine: ${cpus()[0]?.model ?? "?"}, ${availableParallelism()} cores; load average ${load0.toFixed(1)} → ${loadavg()[0].toFixed(1)}; ${rounds} round(s), medians`,
    line(`analyze, ${all} workers (the default)`, par),
    line("reference: analyze --workers 1", one),
    line("fixed part: the same, resumed", fixed),
    `goal: ${par.wall.toFixed(1)} s / ${GOAL_S} s = ${(par.wall / GOAL_S).toFixed(2)}× the goal in wall time (CPU / ${all} cores: ${(par.cpu / Number(all)).toFixed(1)} s = ${(par.cpu / Number(all) / GOAL_S).toFixed(2)}×)`,
    `${all} workers vs 1: ${(one.wall / par.wall).toFixed(2)}× faster in wall, ${(par.cpu / one.cpu).toFixed(2)}× the CPU; the fixed part is ${((fixed.wall / par.wall) * 100).toFixed(0)}% of the ${all}-worker wall`,
  ].join("\n");
}
