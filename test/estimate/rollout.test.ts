import assert from "node:assert/strict";
import { test } from "node:test";
import { RunTableBuilder } from "../../src/data/corpus/rows.js";
import { binByDistance, rollout } from "../../src/estimate/rollout.js";
import { syntheticLadder, TRUE_PARAMS } from "../fixtures/synthetic.js";

/** A noiseless Chinchilla ladder (6 sizes, 20M–2B, 8 checkpoints each) as a run table. */
function ladderTable() {
  const d = syntheticLadder("chinchilla", TRUE_PARAMS.chinchilla, { sizes: 6, checkpoints: 8 });
  const b = new RunTableBuilder("synthetic", "synthetic");
  for (let i = 0; i < d.loss.length; i++)
    b.push({
      family: "f",
      model: `m${(d.run as Int32Array)[i]}`,
      params: d.params[i],
      tokens: d.tokens[i],
      metric: "loss",
      value: d.loss[i],
    });
  return b.build();
}

test("rollout on a noiseless ladder: every window of 3+ sizes forecasts every larger size exactly", async () => {
  const r = await rollout(ladderTable(), { family: "f", minTokens: 0 });
  // k = 2…5 windows, each forecasting the 6 − k larger sizes: 4 + 3 + 2 + 1 = 10 cells.
  assert.equal(r.cells.length, 10);
  for (const c of r.cells.filter((c) => c.k >= 3)) {
    assert.ok(c.are < 1e-6, `k=${c.k} ${c.target}: ARE ${c.are}`);
    assert.ok(Math.abs(c.bias) < 1e-6);
  }
  // Scale-up is N_target / N_largest-training: sizes are 100^(s/5) apart, so ×2.51 per step.
  const c = r.cells.find((x) => x.k === 3 && x.target === "m5");
  assert.ok(c && Math.abs(c.scaleUp - 100 ** (3 / 5)) < 1e-9);
  assert.equal(
    r.bins.reduce((s, b) => s + b.cells, 0),
    r.cells.filter((x) => Number.isFinite(x.are)).length,
  );
  await assert.rejects(
    rollout(ladderTable(), { family: "f", minModels: 6 }),
    /6 sizes; a rollout needs at least 7/,
  );
});

test("binByDistance pools ARE, signed bias and coverage by half-decades of scale-up", () => {
  const cell = (scaleUp: number, are: number, bias: number, inside: boolean | null) => ({
    k: 2,
    trainLargest: "a",
    target: "b",
    scaleUp,
    status: "converged",
    predicted: 1,
    actual: 1,
    are,
    areFinal: are,
    bias,
    confidence: null,
    prediction: null,
    inConfidence: inside,
    inPrediction: inside,
  });
  const bins = binByDistance([
    cell(2, 0.01, 0.01, true),
    cell(3, 0.03, -0.03, false),
    cell(50, 0.1, 0.1, null),
  ]);
  assert.deepEqual(
    bins.map((b) => [b.from, b.cells]),
    [
      [0, 2],
      [1.5, 1],
    ],
  );
  assert.ok(Math.abs(bins[0].meanAre - 0.02) < 1e-15);
  assert.ok(Math.abs(bins[0].meanBias + 0.01) < 1e-15);
  assert.equal(bins[0].predictionCoverage, 0.5);
  assert.ok(Number.isNaN(bins[1].confidenceCoverage));
});
