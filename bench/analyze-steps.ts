import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main } from "../src/cli/main.js";

/**
 * One `scaleladder analyze` of the analyze bench, in its own process (a cold start, its own peak
 * memory, its own CPU count including every worker thread): `node build/bench/analyze-steps.js
 * WORKERS DATA_ROOT`. Then the same command again into the same folder: it finds every chunk saved
 * and fits nothing, so it times the part that no number of cores shrinks (reading the corpus, the
 * summary, the tables). Prints one JSON line: wall and CPU seconds of the command (all but Node's own
 * start), peak RSS in MiB, fits computed, tables written, and the resumed run's wall and CPU.
 */
const [workers, root] = process.argv.slice(2);
const dir = mkdtempSync(join(tmpdir(), "scaleladder-analyze-bench-"));
try {
  let printed = "";
  const io = {
    out: (s: string) => {
      printed += s;
    },
    err: () => {},
    isTTY: false,
  };
  const analyze = async () => {
    printed = "";
    const w = performance.now();
    const c = process.cpuUsage();
    const code = await main(
      ["analyze", "--from", root, "--out", join(dir, "out"), "--workers", workers, "--json"],
      io,
    );
    const d = process.cpuUsage(c);
    if (code !== 0) throw new Error(`analyze exited with ${code}`);
    const { fits } = (JSON.parse(printed) as { meta: { fits: number } }).meta;
    return { wall: (performance.now() - w) / 1000, cpu: (d.user + d.system) / 1e6, fits };
  };
  const run = await analyze();
  const rss = Math.round(process.resourceUsage().maxRSS / 1024);
  const tables = readdirSync(join(dir, "out")).length;
  const resumed = await analyze();
  console.log(JSON.stringify({ ...run, rss, tables, resumed }));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
