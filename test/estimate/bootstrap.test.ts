import assert from "node:assert/strict";
import { test } from "node:test";
import { bootstrapRange, resampleRuns } from "../../src/estimate/bootstrap.js";
import { bootstrapParallel } from "../../src/estimate/parallel.js";
import { fit } from "../../src/fit/fit.js";
import type { FitData } from "../../src/fit/types.js";
import { percentileInterval } from "../../src/math/percentile.js";
import { rng } from "../../src/math/random.js";
import { syntheticLadder, TRUE_PARAMS } from "../fixtures/synthetic.js";

const data = syntheticLadder("chinchilla", TRUE_PARAMS.chinchilla, { sigma: 0.01, seed: 5 });

test("resampling keeps whole runs together", () => {
  const s = resampleRuns(data, 42, 0);
  const nRuns = new Set(data.run).size;
  assert.equal(new Set(s.run).size, nRuns, "as many drawn runs as original runs");
  // Every drawn run is one original run in full: one size, all its checkpoints.
  const byRun = new Map<number, number[]>();
  s.run?.forEach((r, i) => {
    byRun.set(r, [...(byRun.get(r) ?? []), s.params[i]]);
  });
  for (const sizes of byRun.values()) {
    assert.equal(new Set(sizes).size, 1);
    assert.equal(sizes.length, 8);
  }
});

/** The resampler as first written (rows pushed run by run), to check the grouped one against. */
function directResample(d: FitData, seed: number, r: number): number[] {
  const run = d.run ?? Int32Array.from({ length: d.loss.length }, (_, i) => i);
  const nRuns = Math.max(...run) + 1;
  const rowsOf: number[][] = Array.from({ length: nRuns }, () => []);
  run.forEach((k, i) => {
    rowsOf[k].push(i);
  });
  const next = rng(seed, r + 1);
  const rows: number[] = [];
  for (let k = 0; k < nRuns; k++) rows.push(...rowsOf[Math.floor(next() * nRuns)]);
  return rows.map((i) => d.loss[i]);
}

test("resamples draw the same rows as the direct resampler, with or without runs", () => {
  // Runs interleaved and out of order, so grouping them is not the identity.
  const mixed = { ...data, run: Int32Array.from(data.run ?? [], (k, i) => (k * 7 + i) % 13) };
  const noRuns = { ...data, run: undefined };
  for (const d of [data, mixed, noRuns]) {
    for (const r of [0, 5, 17]) {
      assert.deepEqual(Array.from(resampleRuns(d, 3, r).loss), directResample(d, 3, r));
    }
  }
});

test("a resample whose quick fit does not converge is fitted again with the fallback", () => {
  // One Newton step from a far start cannot converge: every replicate must come from the fallback.
  const far = [1, 10, 10, 0.8, 0.8];
  const quick = { starts: "given" as const, extraStarts: [far], maxIterations: 1 };
  const full = { extraStarts: [far] };
  const reps = bootstrapRange(data, quick, 6, 0, 4, full);
  for (const rep of reps) {
    const again = fit(resampleRuns(data, 6, rep.index), full);
    assert.equal(rep.status, again.status);
    assert.deepEqual(Array.from(rep.theta ?? []), Array.from(again.theta));
  }
  // Without the fallback the same options leave them unconverged.
  assert.ok(bootstrapRange(data, quick, 6, 0, 4).every((rep) => rep.status !== "converged"));
});

test("the same seed gives the same resamples; another seed does not", () => {
  assert.deepEqual(resampleRuns(data, 7, 3).loss, resampleRuns(data, 7, 3).loss);
  assert.notDeepEqual(resampleRuns(data, 7, 3).loss, resampleRuns(data, 8, 3).loss);
});

test("replicates do not depend on the number of workers", async () => {
  const one = bootstrapRange(data, { law: "chinchilla" }, 9, 0, 12);
  const two = await bootstrapParallel(
    data,
    { law: "chinchilla" },
    { resamples: 12, seed: 9, workers: 2 },
  );
  assert.deepEqual(
    two.map((r) => Array.from(r.theta ?? [])),
    one.map((r) => Array.from(r.theta ?? [])),
  );
});

test("percentile interval matches R's quantile type 7", () => {
  // R: quantile(1:10, c(0.025, 0.975)) → 1.225 9.775
  const [lo, hi] = percentileInterval([10, 3, 1, 2, 4, 5, 6, 7, 8, 9], 0.95);
  assert.ok(Math.abs(lo - 1.225) < 1e-12 && Math.abs(hi - 9.775) < 1e-12);
});

test("rng is deterministic, in [0, 1), and roughly uniform", () => {
  const a = rng(1, 2);
  const b = rng(1, 2);
  let sum = 0;
  for (let i = 0; i < 20000; i++) {
    const v = a();
    assert.equal(v, b());
    assert.ok(v >= 0 && v < 1);
    sum += v;
  }
  assert.ok(Math.abs(sum / 20000 - 0.5) < 0.01);
  assert.notEqual(rng(1, 2)(), rng(1, 3)());
});
