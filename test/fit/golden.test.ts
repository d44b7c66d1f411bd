import assert from "node:assert/strict";
import { test } from "node:test";
import { fit } from "../../src/fit/fit.js";
import { EPOCH_FILE, EPOCH_GOLDEN, epochGoldenData } from "../fixtures/epoch.js";
import { sharedSkip } from "../fixtures/shared.js";

/** Same value to 4 significant figures. */
function sig4(a: number, b: number): boolean {
  return Number(a.toPrecision(4)) === Number(b.toPrecision(4));
}

test("default fit reaches the Epoch/Chinchilla golden optimum", {
  skip: sharedSkip(EPOCH_FILE),
}, () => {
  const data = epochGoldenData();
  assert.equal(data.loss.length, 240);
  const r = fit(data);
  assert.equal(r.status, "converged", r.statusMessage);
  const rel = Math.abs(r.objective.value - EPOCH_GOLDEN.objective) / EPOCH_GOLDEN.objective;
  assert.ok(
    rel < 1e-7,
    `objective ${r.objective.value} vs ${EPOCH_GOLDEN.objective} (relative ${rel})`,
  );
  for (const [name, v] of Object.entries(EPOCH_GOLDEN.params)) {
    assert.ok(sig4(r.params[name], v), `${name}: ${r.params[name]} vs ${v}`);
  }
  assert.equal(r.choices.objective, "huber-log");
  assert.deepEqual(r.choices.objectiveSettings, { delta: 1e-3 });
  // Effective stopping rules are recorded, not left as "defaults".
  assert.deepEqual(r.choices.tolerances, { maxIterations: 200, ftol: 1e-15, gtol: 0 });
  // Well determined: the unit-diagonal Hessian's condition number is about 1.3e5.
  assert.ok(r.identifiability && r.identifiability.condition < 1e7);
  assert.deepEqual(r.warnings, []);
});

test("L-BFGS-B from the variable-projection grid reaches the same optimum", {
  skip: sharedSkip(EPOCH_FILE),
}, () => {
  const r = fit(epochGoldenData(), { optimizer: "lbfgsb" });
  assert.ok(Math.abs(r.objective.value - EPOCH_GOLDEN.objective) / EPOCH_GOLDEN.objective < 1e-7);
  assert.equal(r.choices.polish, true);
});

test("any other objective is a different optimum (the objective matters)", {
  skip: sharedSkip(EPOCH_FILE),
}, () => {
  const r = fit(epochGoldenData(), { objective: "ls-log" });
  assert.equal(r.status, "converged");
  assert.ok(
    !sig4(r.params.alpha, EPOCH_GOLDEN.params.alpha) || !sig4(r.params.B, EPOCH_GOLDEN.params.B),
  );
});
