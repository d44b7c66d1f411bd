import assert from "node:assert/strict";
import { test } from "node:test";
import { InputError } from "../../src/errors.js";
import { getObjective, objectiveNames } from "../../src/fit/objectives/index.js";

test("huber-log follows scipy.special.huber", () => {
  // scipy.special.huber(1e-3, r): r²/2 inside, δ(|r| − δ/2) outside.
  const h = getObjective("huber-log", { delta: 1e-3 });
  assert.equal(h.rho(5e-4), 1.25e-7);
  assert.ok(Math.abs(h.rho(-0.01) - 9.5e-6) < 1e-20);
  assert.equal(h.drho(0.5), 1e-3);
  assert.equal(h.drho(-0.5), -1e-3);
  assert.equal(h.space, "log");
  assert.deepEqual(h.settings, { delta: 1e-3 });
});

test("every objective's drho is the derivative of rho", () => {
  for (const name of objectiveNames) {
    const o = getObjective(name);
    for (const r of [-0.3, -2e-3, -4e-4, 3e-4, 5e-3, 0.7]) {
      const h = 1e-7 * Math.max(Math.abs(r), 1e-3);
      const fd = (o.rho(r + h) - o.rho(r - h)) / (2 * h);
      assert.ok(Math.abs(fd - o.drho(r)) <= 1e-6 * Math.max(Math.abs(fd), 1e-9), `${name} at ${r}`);
    }
  }
});

test("asymmetric-log weighs over-estimates more", () => {
  const o = getObjective("asymmetric-log", { overWeight: 4 });
  assert.equal(o.rho(0.1) / o.rho(-0.1), 4);
});

test("unknown objective names the closest one", () => {
  assert.throws(
    () => getObjective("hubr-log"),
    (e: InputError) => /did you mean "huber-log"/.test(e.message),
  );
  assert.throws(() => getObjective("huber-log", { delta: -1 }), InputError);
});

test("every objective's d2rho is the derivative of drho off its kinks", () => {
  for (const name of objectiveNames) {
    const o = getObjective(name);
    for (const r of [-0.3, -2e-3, -4e-4, 3e-4, 5e-3, 0.7]) {
      const h = 1e-7 * Math.max(Math.abs(r), 1e-3);
      const fd = (o.drho(r + h) - o.drho(r - h)) / (2 * h);
      assert.ok(Math.abs(fd - o.d2rho(r)) <= 1e-6 * Math.max(Math.abs(fd), 1), `${name} at ${r}`);
    }
  }
});

test("drhoPiece continues the piece of ρ that r0 sits on", () => {
  // On its own piece drhoPiece is ρ′; across a kink it is the first piece's ρ′ extended, whose
  // slope in r is ρ″ at r0 (what the forward-difference Hessian differences).
  for (const name of objectiveNames) {
    const o = getObjective(name);
    for (const r0 of [-0.3, -2e-3, -4e-4, 3e-4, 5e-3, 0.7]) {
      assert.equal(o.drhoPiece(r0, r0), o.drho(r0), `${name} at ${r0}`);
      for (const r of [-0.5, -1e-4, 1e-4, 0.5]) {
        const slope = (o.drhoPiece(r, r0) - o.drhoPiece(r0, r0)) / (r - r0);
        assert.ok(
          Math.abs(slope - o.d2rho(r0)) <= 1e-9 * Math.max(1, Math.abs(slope)),
          `${name}: r0 ${r0}, r ${r}`,
        );
      }
    }
  }
});
