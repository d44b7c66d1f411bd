import assert from "node:assert/strict";
import { test } from "node:test";
import {
  dataShape,
  evaluateVerdict,
  forecastVerdict,
  gradeAre,
  guideChecks,
} from "../../src/analysis/verdict.js";
import { builtinLadder, LADDER_FAMILY } from "../../src/data/simulate/ladder.js";
import { forecast } from "../../src/estimate/forecast.js";
import { seedNoise } from "../../src/estimate/noise.js";

test("grades follow the guide: ≤ floor within noise, ≤ 20% useful, else unreliable", () => {
  assert.equal(gradeAre(0.03), "within-noise");
  assert.equal(gradeAre(0.05), "useful");
  assert.equal(gradeAre(0.05, 0.06), "within-noise");
  assert.equal(gradeAre(0.2), "useful");
  assert.equal(gradeAre(0.21), "unreliable");
  assert.equal(gradeAre(Number.NaN), null);
});

test("the guide's checks fire on what they name", () => {
  const ids = (runParams: number[], earlyRows = 0) =>
    guideChecks({ runParams, maxTokens: 1e11, earlyRows }, 1e10).map((c) => c.id);
  assert.deepEqual(ids([1e8, 1.1e8]), [
    "few-sizes",
    "single-seed",
    "close-sizes",
    "identifiability",
  ]);
  assert.deepEqual(ids([1e7, 3e7, 1e8, 3e8, 1e9, 1e9]), []); // two seeds of 1B, 5 sizes, 100×
  assert.ok(ids([1e7, 3e7, 1e8, 3e8, 1e9], 12).includes("early-checkpoints"));
  assert.ok(
    guideChecks({ runParams: [1e6, 1e7, 1e8], maxTokens: 1, earlyRows: 0 }, 1e13).some(
      (c) => c.id === "scale-up",
    ),
  );
});

test("final-loss-only data has no early checkpoints to warn about", () => {
  const shape = dataShape({ params: [1e8, 2e8, 4e8], tokens: [1e9, 2e9, 4e9] });
  assert.equal(shape.earlyRows, 0);
  assert.deepEqual(shape.runParams, [1e8, 2e8, 4e8]);
  const v = forecastVerdict({ shape, targetParams: 4e9, targetTokens: 8e10 });
  assert.equal(v.extrapolation.params, 10);
  assert.equal(v.extrapolation.tokens, 20);
  assert.equal(v.grade, null);
});

test("evaluate's noise floor comes from the family's seeds when it has them", () => {
  const table = builtinLadder(0, { seedsPerSize: 2 });
  const f = forecast(table, { family: LADDER_FAMILY, minTokens: 2.5e8 });
  const v = evaluateVerdict(table, f, { guideCut: 2.5e8 });
  const noise = seedNoise(table, LADDER_FAMILY);
  assert.ok(noise.pairs.length > 0);
  assert.equal(v.noiseFloor, noise.maxAre);
  assert.equal(v.grade, gradeAre(f.are, noise.maxAre));
  assert.ok(!v.warnings.some((w) => /one seed per size/.test(w)));
});
