import assert from "node:assert/strict";
import { test } from "node:test";
import { efficientFrontier, isoLossContours, logSpace } from "../../src/plan/contours.js";
import { inferenceAwarePlan, tokensForLoss } from "../../src/plan/inference.js";
import { lossAt } from "../../src/plan/model.js";
import { getPreset } from "../../src/plan/presets.js";

const m = getPreset("hoffmann");

test("tokensForLoss inverts the Chinchilla law (closed form D = (B/(L−E−A·N^-α))^(1/β))", () => {
  const [E, A, B, alpha, beta] = m.theta;
  const N = 7e10;
  const D = tokensForLoss(m, N, 1.95);
  const exact = (B / (1.95 - E - A * N ** -alpha)) ** (1 / beta);
  assert.ok(Math.abs(D / exact - 1) < 1e-9, `${D} vs ${exact}`);
});

test("with no inference the inference-aware model is the training-optimal one", () => {
  const p = inferenceAwarePlan(m, 1e23, 0);
  assert.ok(Math.abs(p.paramsRatio - 1) < 1e-5, `${p.paramsRatio}`);
  assert.ok(Math.abs(p.savings) < 1e-9);
});

test("serving many tokens favours a smaller model trained longer, at equal loss (Sardana et al. 2024)", () => {
  const p = inferenceAwarePlan(m, 5.76e23, 2e13);
  assert.ok(p.paramsRatio < 1 && p.tokensRatio > 1);
  assert.ok(Math.abs(p.inferenceAware.loss - p.trainingOptimal.loss) < 1e-9);
  assert.ok(p.savings > 0);
  // Optimality: first-order condition d/dN [6N·D(N) + 2N·T] = 0 checked by nudging N ±1%.
  const total = (N: number) => 6 * N * tokensForLoss(m, N, p.trainingOptimal.loss) + 2 * N * 2e13;
  const N = p.inferenceAware.params;
  assert.ok(total(N) <= total(N * 1.01) && total(N) <= total(N * 0.99));
});

test("iso-loss contours reach their loss; the frontier matches the closed form", () => {
  const [c] = isoLossContours(m, [2.1], logSpace(1e9, 1e12, 7));
  for (let i = 0; i < 7; i++) {
    if (Number.isNaN(c.tokens[i])) continue;
    assert.ok(Math.abs(lossAt(m, c.params[i], c.tokens[i]) - 2.1) < 1e-9);
  }
  assert.ok(
    Number.isNaN(isoLossContours(m, [1.75], [1e8])[0].tokens[0]),
    "a small model never reaches 1.75",
  );
  const f = efficientFrontier(m, logSpace(1e18, 1e26, 9));
  assert.equal(f.flops[0], 1e18);
  assert.equal(f.flops[8], 1e26);
  // The closed form for Hoffmann et al.'s law evaluated with python3 (see test/plan/compare.test.ts
  // for the command) at C = 1e18, 1e22 and 1e26: N, D, L.
  const golden = [
    [0, 80581983.80755946, 2068286964.3007166, 3.5352977524509286],
    [4, 5160473684.851609, 322967767776.6498, 2.1386140845028567],
    [8, 330476955191.9087, 50432159957986.48, 1.7990634812441677],
  ];
  for (const [i, N, D, L] of golden) {
    assert.ok(Math.abs(f.params[i] / N - 1) < 1e-12, `N at ${f.flops[i]}: ${f.params[i]}`);
    assert.ok(Math.abs(f.tokens[i] / D - 1) < 1e-12, `D at ${f.flops[i]}: ${f.tokens[i]}`);
    assert.ok(Math.abs(f.loss[i] / L - 1) < 1e-12, `L at ${f.flops[i]}: ${f.loss[i]}`);
  }
});
