import assert from "node:assert/strict";
import { test } from "node:test";
import { intervalsAt, type NoiseModel, residualNoise } from "../../src/estimate/intervals.js";
import type { FitWithUncertainty } from "../../src/estimate/uncertainty.js";
import { getLaw } from "../../src/laws/index.js";
import { makeColumns } from "../../src/laws/types.js";
import { gaussian, TRUE_PARAMS } from "../fixtures/synthetic.js";

const law = getLaw("chinchilla");
const theta = Float64Array.from(law.params, (p) => TRUE_PARAMS.chinchilla[p.name]);

/** Runs of one law with a run effect N(0, runSd) and AR(1) checkpoint noise (ρ, checkpointSd), in logs. */
function noisyRuns(runs: number, checkpoints: number, truth: NoiseModel, seed: number) {
  const z = gaussian(seed);
  const params: number[] = [];
  const tokens: number[] = [];
  const run: number[] = [];
  const eta: number[] = [];
  for (let j = 0; j < runs; j++) {
    const N = 2e7 * 100 ** ((j % 8) / 7);
    const u = truth.runSd * z();
    let e = truth.checkpointSd * z();
    for (let c = 1; c <= checkpoints; c++) {
      params.push(N);
      tokens.push(N * 2 * c);
      run.push(j);
      eta.push(u + e);
      // Stationary AR(1): e' = ρe + √(1−ρ²)·σ·z keeps Var(e) = σ².
      e = truth.rho * e + Math.sqrt(1 - truth.rho ** 2) * truth.checkpointSd * z();
    }
  }
  const x = makeColumns(params, tokens);
  const loss = new Float64Array(params.length);
  law.predict(theta, x, loss);
  for (let i = 0; i < loss.length; i++) loss[i] *= Math.exp(eta[i]);
  return { params: x.params, tokens: x.tokens, flops: x.flops, loss, run: Int32Array.from(run) };
}

const TRUTH: NoiseModel = {
  runSd: 0.02,
  checkpointSd: 0.01,
  rho: 0.6,
  source: "residuals",
  runs: 0,
  points: 0,
};

test("residualNoise recovers run and checkpoint noise and the within-run autocorrelation", () => {
  const data = noisyRuns(80, 30, TRUTH, 5);
  const n = residualNoise(data, { law, theta });
  // 80 run means: the SE of σ̂_run is about σ/√(2·79) ≈ 8%; 25% is 3 SE. 2,400 points with ρ = 0.6
  // (≈ 600 effective): σ̂_ckpt within 10%, ρ̂ within 0.08.
  assert.ok(Math.abs(n.runSd / TRUTH.runSd - 1) < 0.25, `runSd ${n.runSd}`);
  assert.ok(
    Math.abs(n.checkpointSd / TRUTH.checkpointSd - 1) < 0.1,
    `checkpointSd ${n.checkpointSd}`,
  );
  assert.ok(Math.abs(n.rho - TRUTH.rho) < 0.08, `rho ${n.rho}`);
  assert.equal(n.runs, 80);
});

test("prediction intervals cover new observations at the rate their noise estimate implies", () => {
  // Parameters known exactly (every replicate at the truth), noise estimated from data. The PI is
  // ±1.96σ̂ in logs, so it covers 2Φ(1.96·σ̂/σ) − 1 of new observations: 95% only as far as σ̂ is
  // right. Checked: σ̂ within 15% of σ, and the empirical rate of 4,000 draws within 0.015
  // (4.4 binomial SE at 95%) of the implied rate.
  const data = noisyRuns(80, 30, TRUTH, 6);
  const noise = residualNoise(data, { law, theta });
  const u = fitAtTruth(200);
  const iv = intervalsAt(u, { params: 7e9, tokens: 1.4e11 }, noise, 1);
  const sd = Math.hypot(TRUTH.runSd, TRUTH.checkpointSd);
  const sdHat = Math.hypot(noise.runSd, noise.checkpointSd);
  assert.ok(Math.abs(sdHat / sd - 1) < 0.15, `σ̂ ${sdHat} vs ${sd}`);
  const implied = 2 * phi((1.96 * sdHat) / sd) - 1;
  const z = gaussian(9);
  let inside = 0;
  const draws = 4000;
  for (let i = 0; i < draws; i++) {
    const obs = iv.value * Math.exp(TRUTH.runSd * z() + TRUTH.checkpointSd * z());
    if (iv.prediction && obs >= iv.prediction[0] && obs <= iv.prediction[1]) inside++;
  }
  assert.ok(Math.abs(inside / draws - implied) < 0.015, `coverage ${inside / draws} vs ${implied}`);
  // With every replicate at the truth the confidence interval is a point; the PI is not.
  assert.ok(iv.confidence && iv.confidence[1] - iv.confidence[0] < 1e-12);
});

/** Standard normal CDF by Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7). */
function phi(x: number): number {
  const t = 1 / (1 + (0.3275911 * Math.abs(x)) / Math.SQRT2);
  const y =
    1 -
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) *
      t *
      Math.exp(-(x * x) / 2);
  return x >= 0 ? (1 + y) / 2 : (1 - y) / 2;
}

test("the prediction interval contains the confidence interval, and both are seeded", () => {
  const noise: NoiseModel = { ...TRUTH, runSd: 0.01 };
  const z = gaussian(4);
  const replicates = Array.from({ length: 100 }, (_, index) => ({
    index,
    status: "converged" as const,
    theta: Float64Array.from(theta, (v, j) => (j === 0 ? v * (1 + 0.01 * z()) : v)),
  }));
  const u = { ...fitAtTruth(0), replicates };
  const a = intervalsAt(u, { params: 7e9, tokens: 1.4e11 }, noise, 3);
  const b = intervalsAt(u, { params: 7e9, tokens: 1.4e11 }, noise, 3);
  assert.deepEqual(a, b);
  assert.ok(a.prediction && a.confidence);
  assert.ok(a.prediction[0] < a.confidence[0] && a.prediction[1] > a.confidence[1]);
});

/** A fit whose replicates all sit at the true parameters. */
function fitAtTruth(resamples: number): FitWithUncertainty {
  return {
    fit: { law, theta } as unknown as FitWithUncertainty["fit"],
    intervals: {},
    bootstrap: {
      resamples,
      seed: 0,
      level: 0.95,
      failures: {},
      succeeded: resamples,
      failed: 0,
      refine: 2,
      unit: "run",
    },
    replicates: Array.from({ length: resamples }, (_, index) => ({
      index,
      status: "converged" as const,
      theta: Float64Array.from(theta),
    })),
  };
}
