import { runAnalyzeBench } from "./analyze.bench.js";
import { runBigBench } from "./big.bench.js";
import { runFitBench } from "./fit.bench.js";
import { runImportBench } from "./import.bench.js";
import { runPlotsBench } from "./plots.bench.js";
import { runServeBench } from "./serve.bench.js";

/**
 * `npm run bench [-- SECTION...]`: every benchmark, side by side with its reference, as ratios.
 * Sections: fit, import, analyze, plots, big, serve (all by default). Results and the machine go in bench/README.md.
 */
const sections: Record<string, () => Promise<string[] | string>> = {
  fit: runFitBench,
  import: runImportBench,
  analyze: runAnalyzeBench,
  plots: runPlotsBench,
  big: runBigBench,
  serve: runServeBench,
};

const wanted = process.argv.slice(2);
for (const name of wanted.length ? wanted : Object.keys(sections)) {
  const run = sections[name];
  if (!run) {
    console.error(
      `bench: unknown section "${name}" (expected ${Object.keys(sections).join(" | ")})`,
    );
    process.exitCode = 2;
    continue;
  }
  console.log(`\n== ${name}`);
  const r = await run();
  console.log(Array.isArray(r) ? r.join("\n") : r);
}
