import assert from "node:assert/strict";
import { test } from "node:test";
import { fitWithUncertainty } from "../../src/estimate/uncertainty.js";
import { fit } from "../../src/fit/fit.js";
import { syntheticLadder, TRUE_PARAMS } from "../fixtures/synthetic.js";

for (const [lawName, truth] of Object.entries(TRUE_PARAMS)) {
  test(`${lawName}: noiseless data are recovered exactly`, () => {
    const data = syntheticLadder(lawName, truth);
    const r = fit(data, { law: lawName });
    assert.equal(r.status, "converged", r.statusMessage);
    assert.ok(r.objective.value < 1e-20, `objective ${r.objective.value}`);
    for (const [name, v] of Object.entries(truth)) {
      const rel = Math.abs(r.params[name] - v) / Math.abs(v);
      assert.ok(rel < 1e-6, `${name}: ${r.params[name]} vs ${v} (relative error ${rel})`);
    }
  });
}

const COVERAGE_LAWS = [
  "chinchilla",
  "kaplan-n",
  "kaplan-d",
  "kaplan-c",
  "kaplan-nd",
  "compute",
  "compute-pure",
  "power",
];

test("95% bootstrap intervals cover the truth at close to their nominal rate over a seeded batch", async () => {
  // Each interval covers with probability about 0.95, so requiring all of them to cover (as this
  // test once did, 23 intervals) passes only ~30% of the time by design. Instead: 6 noisy ladders
  // per law (1% noise, 8 sizes), 40 whole-run resamples each, and the share of the 138 parameter
  // intervals that contain the truth. The parameters of one fit miss together, so the effective
  // sample is nearer the 48 fits than the 138 intervals: the binomial standard error of the rate is
  // about √(0.95·0.05/48) ≈ 0.031, and 0.85 is three of them below nominal. Measured: 127/138 = 0.92.
  let covered = 0;
  let total = 0;
  const misses: string[] = [];
  // The eight laws of the table before the Hitchhiker tied and PCA forms (their own tests check
  // them); data-constrained is left out for time: its bootstrap alone takes a minute (7 parameters,
  // differenced Hessians); 6 ladders with 40 resamples each covered 38 of its 42 intervals.
  for (const [law, truth] of Object.entries(TRUE_PARAMS)) {
    if (!COVERAGE_LAWS.includes(law)) continue;
    for (let seed = 1; seed <= 6; seed++) {
      const data = syntheticLadder(law, truth, { sizes: 8, checkpoints: 10, sigma: 0.01, seed });
      const u = await fitWithUncertainty(data, { law }, { resamples: 40, seed: 11 });
      assert.ok(u.bootstrap && u.bootstrap.succeeded >= 38, `succeeded ${u.bootstrap?.succeeded}`);
      for (const [name, v] of Object.entries(truth)) {
        const [lo, hi] = u.intervals[name];
        total++;
        if (lo <= v && v <= hi) covered++;
        else misses.push(`${law} seed ${seed}: ${name} = ${v} outside [${lo}, ${hi}]`);
      }
    }
  }
  assert.equal(total, 138);
  assert.ok(covered / total >= 0.85, `coverage ${covered}/${total}:\n${misses.join("\n")}`);
});

test("fixed parameters are held and the rest are fitted (borrowing exponents)", () => {
  const truth = TRUE_PARAMS.chinchilla;
  const data = syntheticLadder("chinchilla", truth);
  const r = fit(data, { fix: { alpha: 0.34, beta: 0.28 } });
  assert.equal(r.params.alpha, 0.34);
  assert.equal(r.params.beta, 0.28);
  assert.ok(Math.abs(r.params.A / truth.A - 1) < 1e-6);
  assert.deepEqual(r.choices.fixed, { alpha: 0.34, beta: 0.28 });
});

test("a fit with too few observations for its free parameters is refused", () => {
  const data = syntheticLadder("chinchilla", TRUE_PARAMS.chinchilla, { sizes: 2, checkpoints: 2 });
  assert.throws(() => fit(data), /cannot determine 5 free parameters/);
});

test("E at its lower bound is reported as bound-hit, naming it", () => {
  // Pure power-law data (no irreducible loss) pushes E of the compute law onto 0.
  const data = syntheticLadder("compute-pure", TRUE_PARAMS["compute-pure"]);
  const r = fit(data, { law: "compute" });
  assert.equal(r.status, "bound-hit");
  assert.match(r.statusMessage, /E at lower bound 0/);
  assert.ok(Math.abs(r.params.b - 0.05) < 1e-6);
});

test("two model sizes cannot identify A and alpha: the fit says so", () => {
  const data = syntheticLadder("chinchilla", TRUE_PARAMS.chinchilla, {
    sizes: 2,
    checkpoints: 12,
    sigma: 0.003,
  });
  const r = fit(data);
  assert.ok(
    r.identifiability && r.identifiability.condition > 1e10,
    `condition ${r.identifiability?.condition}`,
  );
  assert.ok(r.identifiability?.weakest.includes("alpha"));
  assert.match(r.warnings.join("\n"), /not identified/);
});

test("six sizes identify every parameter: no warning", () => {
  const r = fit(syntheticLadder("chinchilla", TRUE_PARAMS.chinchilla, { sigma: 0.003 }));
  assert.ok(
    r.identifiability && r.identifiability.condition < 1e10,
    `condition ${r.identifiability?.condition}`,
  );
  assert.deepEqual(r.warnings, []);
});
