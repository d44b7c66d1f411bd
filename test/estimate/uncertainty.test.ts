import assert from "node:assert/strict";
import { test } from "node:test";
import { resampleRuns } from "../../src/estimate/bootstrap.js";
import { fitWithUncertainty } from "../../src/estimate/uncertainty.js";
import { fit } from "../../src/fit/fit.js";
import { resolveFitOptions } from "../../src/fit/options.js";
import { makeProblem } from "../../src/fit/problem.js";
import type { FitData } from "../../src/fit/types.js";
import { makeColumns } from "../../src/laws/types.js";
import { EPOCH_FILE, epochGoldenData } from "../fixtures/epoch.js";
import { sharedSkip } from "../fixtures/shared.js";
import { syntheticLadder, TRUE_PARAMS } from "../fixtures/synthetic.js";

/** The default objective of `data` at natural parameters theta. */
function objectiveAt(data: FitData, theta: Float64Array, law: string): number {
  const o = resolveFitOptions(data, { law });
  const x = makeColumns(data.params, data.tokens, data.flops, data.uniqueTokens);
  const prob = makeProblem(o.law, o.objective, x, data.loss, o.fixed);
  return prob.value(prob.internal(theta));
}

/**
 * The default bootstrap starts each resample's search from the full-data optimum alone. Each of its
 * replicates must sit at an objective no worse (1e-9 relative) than the full search on the same
 * resample: the 256-point variable-projection grid, five refined starts, plus that optimum.
 */
async function seededMatchesFullSearch(
  data: FitData,
  resamples: number,
  seed: number,
  law = "chinchilla",
) {
  const u = await fitWithUncertainty(data, { law }, { resamples, seed, workers: 1 });
  assert.equal(u.bootstrap?.refine, 0);
  assert.equal(u.replicates.length, resamples);
  const seeds = [Array.from(u.fit.theta)];
  let compared = 0;
  for (const rep of u.replicates) {
    const sample = resampleRuns(data, seed, rep.index);
    const full = fit(sample, { law, extraStarts: seeds });
    if (!rep.theta) {
      assert.notEqual(full.status, "converged", `resample ${rep.index} failed only when seeded`);
      continue;
    }
    const quick = objectiveAt(sample, rep.theta, law);
    assert.ok(
      quick <= full.objective.value * (1 + 1e-9),
      `resample ${rep.index}: seeded ${quick} > full search ${full.objective.value}`,
    );
    compared++;
  }
  assert.ok(compared >= resamples / 2, `${compared} of ${resamples} compared`);
}

test("Epoch: seeded resamples reach the full search's optimum, never a worse one", {
  skip: sharedSkip(EPOCH_FILE),
}, async () => {
  await seededMatchesFullSearch(epochGoldenData(), 100, 1);
});

/** A 100-run ladder, two checkpoints a run, 2% noise: many runs, one clear basin. */
function ladder100() {
  return syntheticLadder("chinchilla", TRUE_PARAMS.chinchilla, {
    sigma: 0.02,
    seed: 3,
    sizes: 100,
    checkpoints: 2,
  });
}

test("a 100-run synthetic ladder: seeded resamples match the full search", async () => {
  const data = ladder100();
  await seededMatchesFullSearch(data, 30, 4);
});

test("small ladders and a many-basin law: the quick fits kept are never in a worse optimum", async () => {
  const few = syntheticLadder("chinchilla", TRUE_PARAMS.chinchilla, { sigma: 0.05, seed: 1 });
  await seededMatchesFullSearch(few, 40, 2);
  const law = "data-constrained";
  const dc = syntheticLadder(law, TRUE_PARAMS[law], { sigma: 0.02, seed: 2 });
  await seededMatchesFullSearch(dc, 40, 2, law);
});

test("refine > 0 keeps the grid search per resample; the intervals agree with the seeded route", async () => {
  const data = ladder100();
  const quick = await fitWithUncertainty(data, {}, { resamples: 40, seed: 2, workers: 1 });
  const grid = await fitWithUncertainty(
    data,
    {},
    { resamples: 40, seed: 2, workers: 1, refine: 2 },
  );
  assert.equal(quick.bootstrap?.refine, 0);
  assert.equal(grid.bootstrap?.refine, 2);
  for (const [name, [lo, hi]] of Object.entries(grid.intervals)) {
    const [qlo, qhi] = quick.intervals[name];
    assert.ok(Math.abs(qlo - lo) <= 1e-5 * Math.abs(lo), `${name} lower ${qlo} vs ${lo}`);
    assert.ok(Math.abs(qhi - hi) <= 1e-5 * Math.abs(hi), `${name} upper ${qhi} vs ${hi}`);
  }
});

test("a failing full-data fit ends the bootstrap's workers (the process does not hang)", async () => {
  await assert.rejects(
    fitWithUncertainty(
      {
        params: Float64Array.of(1e8),
        tokens: Float64Array.of(1e9),
        flops: Float64Array.of(6e17),
        loss: Float64Array.of(3),
      },
      {},
      { resamples: 100, workers: 2 },
    ),
    /cannot determine/,
  );
});
