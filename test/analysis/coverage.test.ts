import assert from "node:assert/strict";
import { test } from "node:test";
import {
  type CoverageCell,
  coverageCells,
  summarizeCoverage,
} from "../../src/analysis/coverage.js";
import { builtinLadder, LADDER_FAMILY } from "../../src/data/simulate/ladder.js";

const cell = (
  family: string,
  k: number,
  inC: boolean | null,
  inP: boolean | null,
  w: number,
): CoverageCell => ({
  family,
  target: "t",
  k,
  scaleUp: 10,
  status: "converged",
  predicted: 2,
  actual: 2,
  confidence: null,
  prediction: null,
  backtest: null,
  inConfidence: inC,
  inPrediction: inP,
  inBacktest: inP,
  confidenceHalfWidth: w,
  predictionHalfWidth: 2 * w,
  backtestHalfWidth: 3 * w,
  noise: null,
});

test("summarizeCoverage: rates over scored cells, medians of relative half-widths, per family and pooled", () => {
  const s = summarizeCoverage([
    cell("a", 2, false, true, 0.01),
    cell("a", 3, true, true, 0.03),
    cell("b", 3, false, false, 0.02),
    cell("b", 4, null, null, Number.NaN),
  ]);
  const all = s.find((g) => g.group === "all");
  assert.ok(all);
  assert.equal(all.cells, 4);
  assert.equal(all.scored, 3);
  assert.equal(all.confidenceCoverage, 1 / 3);
  assert.equal(all.predictionCoverage, 2 / 3);
  assert.equal(all.confidenceMedianHalfWidth, 0.02);
  assert.equal(all.backtestMedianHalfWidth, 0.06);
  const k3 = s.find((g) => g.group === "all, k ≥ 3");
  assert.equal(k3?.scored, 2);
  assert.equal(s.find((g) => g.group === "a")?.predictionCoverage, 1);
});

test("coverageCells on the simulated ladder: one cell per window, both intervals scored", async () => {
  const cells = await coverageCells(builtinLadder(0), {
    resamples: 20,
    minTokens: 2.5e8,
    ks: [3, 8],
    workers: 1,
  });
  assert.deepEqual(
    cells.map((c) => [c.family, c.k]),
    [
      [LADDER_FAMILY, 3],
      [LADDER_FAMILY, 8],
    ],
  );
  for (const c of cells) {
    assert.ok(c.confidence && c.prediction, `k=${c.k}`);
    // The prediction interval adds noise to the same replicates: it contains the confidence interval.
    assert.ok(c.prediction[0] <= c.confidence[0] && c.prediction[1] >= c.confidence[1]);
    assert.ok((c.noise?.checkpointSd ?? 0) > 0);
  }
  await assert.rejects(coverageCells(builtinLadder(0), { resamples: 5 }), /at least 20 resamples/);
});
