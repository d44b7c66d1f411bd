import { runFitBench } from "./fit.bench.js";

/** `npm run bench`: every benchmark, side by side with its reference, as ratios. */
const sections: [string, () => Promise<string[] | string>][] = [["fitting", runFitBench]];

for (const [name, run] of sections) {
  console.log(`\n== ${name}`);
  const r = await run();
  console.log(Array.isArray(r) ? r.join("\n") : r);
}
