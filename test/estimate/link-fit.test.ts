import assert from "node:assert/strict";
import { test } from "node:test";
import { fitLink, linkValue } from "../../src/estimate/link-fit.js";
import { gaussian } from "../fixtures/synthetic.js";

// A task-loss range like OLMo's ladder (bits per byte 0.6–1.6) and a 4-way task (chance 0.25).
const xs = Array.from({ length: 40 }, (_, i) => 0.6 + (1.0 * i) / 39);
const TRUE_SIGMOID = [0.6, -9, 1.05, 0.25];

test("sigmoid: recovers known parameters from noiseless points, floor free or fixed at chance", () => {
  const ys = xs.map((x) => linkValue("sigmoid", TRUE_SIGMOID, x));
  const free = fitLink("sigmoid", xs, ys);
  const fixed = fitLink("sigmoid", xs, ys, { chance: 0.25 });
  for (const f of [free, fixed]) {
    assert.equal(f.status, "converged");
    TRUE_SIGMOID.forEach((v, j) => {
      assert.ok(Math.abs(f.theta[j] - v) <= 1e-6 * Math.abs(v), `θ${j} ${f.theta[j]} vs ${v}`);
    });
    assert.ok(f.rmse < 1e-9);
  }
  assert.deepEqual(fixed.fixed, { b: 0.25 });
});

test("sigmoid: with noise σ = 0.01 the fit recovers the curve within 3σ/√n·4 everywhere", () => {
  const z = gaussian(3);
  const ys = xs.map((x) => linkValue("sigmoid", TRUE_SIGMOID, x) + 0.01 * z());
  const f = fitLink("sigmoid", xs, ys, { chance: 0.25 });
  // The residual RMS estimates σ (n − 3 degrees of freedom): within 30% for n = 40.
  assert.ok(Math.abs(f.rmse - 0.01) < 0.003, `rmse ${f.rmse}`);
  // A 3-parameter least-squares curve is off by about σ·√(p/n) ≈ 0.0027 on average; 4× that bounds it.
  for (const x of xs)
    assert.ok(
      Math.abs(linkValue("sigmoid", f.theta, x) - linkValue("sigmoid", TRUE_SIGMOID, x)) < 0.011,
    );
  assert.ok(f.r2 > 0.95);
});

test("exp-decay: recovers Gadre et al.'s RedPajama error law from noiseless points", () => {
  // (eps, k, gamma) of their 17-task error fit (scipy curve_fit in the repo's fit_ds; see downstream.test.ts).
  const truth = [0.857, 2.2065, 0.7146];
  const L = Array.from({ length: 12 }, (_, i) => 2.3 + 0.35 * i);
  const f = fitLink(
    "exp-decay",
    L,
    L.map((l) => linkValue("exp-decay", truth, l)),
  );
  assert.equal(f.status, "converged");
  truth.forEach((v, j) => {
    assert.ok(Math.abs(f.theta[j] - v) <= 1e-6 * v, `θ${j} ${f.theta[j]}`);
  });
});

test("fitLink refuses too few points and non-finite data by field", () => {
  assert.throws(
    () => fitLink("sigmoid", [1, 2, 3], [0.3, 0.4, 0.5]),
    /3 points cannot determine 4/,
  );
  assert.throws(
    () => fitLink("sigmoid", [1, Number.NaN, 3, 4], [0.3, 0.4, 0.5, 0.6]),
    /point 1 is not finite/,
  );
  assert.throws(() => fitLink("sigmoid" as never, [1], [1, 2]), /differ in length/);
  assert.throws(() => fitLink("logit" as never, [1], [1]), /unknown link "logit"/);
});

test("a flat metric leaves the sigmoid's scale on its bound and says so", () => {
  const f = fitLink(
    "sigmoid",
    xs,
    xs.map(() => 0.25),
    { chance: 0.25 },
  );
  assert.ok(f.status === "bound-hit" || f.theta[0] < 1e-8, `${f.status} a=${f.theta[0]}`);
});
