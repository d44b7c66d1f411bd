import assert from "node:assert/strict";
import { test } from "node:test";
import { checkpointLoss, DEFAULT_CURVE, lrFactor } from "../../../src/data/simulate/curve.js";
import {
  builtinLadder,
  HOFFMANN_APPROACH3,
  LADDER_FAMILY,
  LADDER_SIZES,
  LADDER_TARGET,
  ladderLaw,
} from "../../../src/data/simulate/ladder.js";

test("the ladder is labelled simulated and holds 8 small models plus the 7B target", () => {
  const t = builtinLadder();
  assert.equal(t.length, 9 * 23);
  assert.equal(t.origin, "builtin:ladder");
  assert.deepEqual([...new Set(t.family)], [LADDER_FAMILY]);
  assert.match(LADDER_FAMILY, /simulated/);
  assert.deepEqual([...new Set(t.source)], ["simulated"]);
  assert.deepEqual([...new Set(t.metric)], ["loss"]);
  assert.ok(t.model.every((m) => m.startsWith("sim-")));
  const sizes = [...new Set(t.params)];
  assert.deepEqual(sizes, [...LADDER_SIZES, LADDER_TARGET]);
  assert.equal(sizes[0], 50e6);
  assert.ok(Math.abs(sizes[7] - 1.5e9) < 1e3);
  assert.equal(t.model[t.length - 1], "sim-7B");
});

test("the same seed gives the same table; another seed another one", () => {
  assert.deepEqual(builtinLadder(3), builtinLadder(3));
  assert.notDeepEqual(builtinLadder(3).value, builtinLadder(4).value);
});

test("every run ends at 25 tokens per parameter, with increasing steps and tokens", () => {
  const t = builtinLadder();
  for (let i = 0; i < t.length; i++) {
    const last = i === t.length - 1 || t.model[i + 1] !== t.model[i];
    if (last) assert.ok(Math.abs(t.tokens[i] / t.params[i] / 25 - 1) < 0.01, t.model[i]);
    else assert.ok(t.tokens[i + 1] > t.tokens[i] && t.step[i + 1] > t.step[i]);
    assert.equal(t.tokens[i], t.step[i] * 1_048_576);
    assert.equal(t.flops[i], 6 * t.params[i] * t.tokens[i]);
  }
});

test("final losses scatter around the Approach 3 law with the documented 1% seed noise", () => {
  // 40 seeds per size: log(final / law) should have mean ≈ 0 and standard deviation ≈ 1%
  // (√(1%² + 0.2%²) = 1.02%, plus < 0.1% from the warm-up discount).
  const t = builtinLadder(7, { seedsPerSize: 40 });
  const r: number[] = [];
  for (let i = 0; i < t.length; i++) {
    if (i === t.length - 1 || t.seed[i + 1] !== t.seed[i] || t.model[i + 1] !== t.model[i]) {
      r.push(Math.log(t.value[i] / ladderLaw(t.params[i], t.tokens[i])));
    }
  }
  assert.equal(r.length, 9 * 40);
  const mean = r.reduce((s, x) => s + x, 0) / r.length;
  const sd = Math.sqrt(r.reduce((s, x) => s + (x - mean) ** 2, 0) / (r.length - 1));
  assert.ok(Math.abs(mean) < 0.0025, `mean ${mean}`);
  assert.ok(sd > 0.0085 && sd < 0.012, `sd ${sd}`);
});

test("the noise-free curve: warm-up, cosine decay, landing on the law at the end of training", () => {
  const { E } = HOFFMANN_APPROACH3;
  const N = 4e8;
  const T = 1e10;
  // Learning rate: 0 at the start, peak after 1% warm-up, 10% at the end.
  assert.equal(lrFactor(0), 0);
  assert.equal(lrFactor(DEFAULT_CURVE.warmup), 1);
  assert.ok(Math.abs(lrFactor(1) - DEFAULT_CURVE.minLrRatio) < 1e-12);
  const at = (p: number) => checkpointLoss(ladderLaw, E, N, p * T, T);
  // At the end: the law at D minus half the warm-up tokens.
  assert.ok(Math.abs(at(1) - ladderLaw(N, T * (1 - DEFAULT_CURVE.warmup / 2))) < 1e-12);
  assert.ok(at(1) / ladderLaw(N, T) - 1 < 1e-3);
  // Mid-training it sits above the annealed law by about anneal × lr × reducible loss.
  const mid = at(0.5);
  const law = ladderLaw(N, 0.5 * T - 0.005 * T);
  assert.ok(mid > law && mid - law < 0.06 * (law - E));
  // Decreasing along the run.
  const ps = [0.005, 0.01, 0.02, ...Array.from({ length: 20 }, (_, i) => (i + 1) / 20)];
  for (let k = 1; k < ps.length; k++) assert.ok(at(ps[k]) < at(ps[k - 1]), `p=${ps[k]}`);
});
