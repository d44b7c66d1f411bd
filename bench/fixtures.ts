import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { rng } from "../src/math/random.js";

/**
 * A sweep's training log as one long CSV (issue 11's file): `runs` runs × `checkpoints` checkpoints,
 * columns family, model, params, tokens, loss, step. Runs are 40 sizes (10M–10B) × 50 token budgets
 * per 2,000 runs; losses follow a Chinchilla law (E 1.69, A 406.4, B 410.7, α 0.34, β 0.28) with
 * seeded multiplicative noise. The same arguments and seed write the same bytes.
 */
export async function writeSweepCsv(
  path: string,
  runs = 2000,
  checkpoints = 1000,
  seed = 0,
): Promise<number> {
  const out = createWriteStream(path);
  out.write("family,model,params,tokens,loss,step\n");
  const u = rng(seed, 11);
  let buf = "";
  for (let k = 0; k < runs; k++) {
    const size = k % 40;
    const budget = Math.floor(k / 40);
    const params = Math.round(1e7 * 1000 ** (size / 39));
    const total = params * (2 + 2 * (budget % 50));
    const family = `fam${k % 4}`;
    const model = `m${k}`;
    for (let j = 1; j <= checkpoints; j++) {
      const tokens = Math.round((total * j) / checkpoints);
      const law = 1.69 + 406.4 / params ** 0.34 + 410.7 / tokens ** 0.28;
      const loss = law * (1 + 0.01 * (u() - 0.5));
      buf += `${family},${model},${params},${tokens},${loss.toFixed(6)},${j * 100}\n`;
      if (buf.length > 1 << 20) {
        if (!out.write(buf)) await once(out, "drain");
        buf = "";
      }
    }
  }
  out.end(buf);
  await once(out, "finish");
  return runs * checkpoints;
}

// Run directly: node build/bench/fixtures.js OUT.csv [runs] [checkpoints] [seed]
if (import.meta.url === `file://${process.argv[1]}`) {
  const [out, runs, cks, seed] = process.argv.slice(2);
  const n = await writeSweepCsv(out, Number(runs ?? 2000), Number(cks ?? 1000), Number(seed ?? 0));
  console.log(`${out}: ${n} rows`);
}
