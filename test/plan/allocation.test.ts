import assert from "node:assert/strict";
import { test } from "node:test";
import {
  chinchillaForLoss,
  chinchillaOptimal,
  computeForLoss,
  isoFlopOptimal,
  optimalAllocation,
} from "../../src/plan/allocation.js";
import { getPreset } from "../../src/plan/presets.js";

/** Same value to 4 significant figures. */
const sig4 = (a: number, b: number) => Number(a.toPrecision(4)) === Number(b.toPrecision(4));
const close = (a: number, b: number, rel: number) => Math.abs(a - b) <= rel * Math.abs(b);

test("hoffmann preset at the Chinchilla budget: N 3.219e10, D 2.982e12, L 1.9307 (closed form)", () => {
  // Issue 4 acceptance; python3: G=(.34*406.4/(.28*410.7))**(1/.62); N=G*(5.76e23/6)**(.28/.62)
  // → N 32189859151.368168, D 2982305686662.804, L 1.930748101731648
  const a = optimalAllocation(getPreset("hoffmann"), 5.76e23);
  assert.equal(a.method, "closed-form");
  assert.ok(sig4(a.params, 3.219e10) && sig4(a.tokens, 2.982e12), `${a.params} ${a.tokens}`);
  assert.ok(Math.abs(a.loss - 1.9307) < 5e-5, `${a.loss}`);
  assert.ok(close(a.params, 32189859151.368168, 1e-12));
  assert.ok(close(a.tokens, 2982305686662.804, 1e-12));
  assert.ok(close(a.loss, 1.930748101731648, 1e-12));
  assert.ok(close(6 * a.params * a.tokens, 5.76e23, 1e-14));
});

test("epoch preset: the closed form at 5.76e23", () => {
  // python3 with E 1.8172, A 482.01, B 2085.43, α 0.3478, β 0.3658 (Besiroglu et al. 2024, Table 1):
  // N 72248702500.38242, D 1328743585388.151, L 1.974441108397412
  const a = optimalAllocation(getPreset("epoch"), 5.76e23);
  assert.ok(close(a.params, 72248702500.38242, 1e-12));
  assert.ok(close(a.tokens, 1328743585388.151, 1e-12));
  assert.ok(close(a.loss, 1.974441108397412, 1e-12));
});

test("numerical iso-FLOP optimisation agrees with the closed form", () => {
  const m = getPreset("hoffmann");
  for (const C of [1e19, 5.76e23, 1e27]) {
    const num = isoFlopOptimal(m, C);
    const cf = chinchillaOptimal(m.theta, C);
    assert.ok(close(num.params, cf.params, 1e-6), `C=${C}: ${num.params} vs ${cf.params}`);
    assert.ok(close(num.loss, cf.loss, 1e-12));
    assert.equal(num.warning, undefined);
  }
});

test("target loss: closed form, and bisection for other laws, agree with hand algebra", () => {
  // python3: N=(A(α+β)/(β(L−E)))^(1/α), D=(B(α+β)/(α(L−E)))^(1/β) at L = 2.0 with Hoffmann's values
  // → N 15303168616.957869, D 1208964379832.2256, C 1.1100591453881068e+23
  const m = getPreset("hoffmann");
  const t = chinchillaForLoss(m.theta, 2.0);
  assert.ok(close(t.params, 15303168616.957869, 1e-12));
  assert.ok(close(t.tokens, 1208964379832.2256, 1e-12));
  assert.ok(close(t.flops, 1.1100591453881068e23, 1e-12));
  // The optimum at that budget has that loss (a consistency check of both closed forms).
  assert.ok(close(chinchillaOptimal(m.theta, t.flops).loss, 2.0, 1e-12));
  // Bisection on the numerical optimum (treating the law as generic) gives the same budget.
  const generic = computeForLoss({ ...m, law: { ...m.law, name: "chinchilla-generic" } }, 2.0);
  assert.ok(close(generic.flops, t.flops, 1e-6), `${generic.flops}`);
});

test("target loss at or below E is refused", () => {
  assert.throws(() => computeForLoss(getPreset("hoffmann"), 1.5), /not above the irreducible loss/);
});

test("kaplan preset follows N = 1.3e9·(C/PF-day)^0.73", () => {
  // Kaplan et al. 2020, Fig. 14: at C = 1 PF-day, N = 1.3e9; D = C/(6N).
  const a = optimalAllocation(getPreset("kaplan"), 8.64e19);
  assert.equal(a.method, "rule");
  assert.ok(close(a.params, 1.3e9, 1e-12));
  assert.ok(close(a.tokens, 8.64e19 / (6 * 1.3e9), 1e-12));
});

test("a negative or zero budget is an input error", () => {
  assert.throws(
    () => optimalAllocation(getPreset("hoffmann"), -1),
    /budget: budget must be a positive number/,
  );
  assert.throws(() => getPreset("hofman"), /did you mean "hoffmann"/);
});
