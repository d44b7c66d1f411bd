import assert from "node:assert/strict";
import { test } from "node:test";
import { builtinOptimizers } from "../../../src/fit/optimizers/index.js";
import type { BoxProblem } from "../../../src/fit/optimizers/types.js";

const inf = (n: number) => new Float64Array(n).fill(Infinity);
const ninf = (n: number) => new Float64Array(n).fill(-Infinity);

/** Rosenbrock's function; minimum 0 at (1, 1) (Rosenbrock 1960). */
const rosenbrock: BoxProblem = {
  valueGrad(x, g) {
    const [a, b] = x;
    g[0] = -2 * (1 - a) - 400 * a * (b - a * a);
    g[1] = 200 * (b - a * a);
    return (1 - a) ** 2 + 100 * (b - a * a) ** 2;
  },
  lower: ninf(2),
  upper: inf(2),
};

/**
 * Ill-conditioned quadratic ½Σ c_i (x_i − 1)² with c spanning 1e-5..1e5 (condition number 1e10),
 * minimum at x = 1.
 */
const c = [1e-5, 1e-2, 1, 1e3, 1e5];
const illQuadratic: BoxProblem = {
  valueGrad(x, g) {
    let f = 0;
    for (let i = 0; i < 5; i++) {
      g[i] = c[i] * (x[i] - 1);
      f += 0.5 * c[i] * (x[i] - 1) ** 2;
    }
    return f;
  },
  lower: ninf(5),
  upper: inf(5),
};

/**
 * (x−3)² + (y+1)² + xy inside [0, 2] × [0, 5]. By hand: at the box, x hits its upper bound 2; then
 * ∂/∂y = 2(y+1) + 2 > 0 for y ≥ 0, so y = 0 on its lower bound; KKT: ∂/∂x = 2(2−3) + 0 = −2 < 0 ✓.
 */
const bounded: BoxProblem = {
  valueGrad(x, g) {
    g[0] = 2 * (x[0] - 3) + x[1];
    g[1] = 2 * (x[1] + 1) + x[0];
    return (x[0] - 3) ** 2 + (x[1] + 1) ** 2 + x[0] * x[1];
  },
  lower: Float64Array.from([0, 0]),
  upper: Float64Array.from([2, 5]),
};

for (const opt of builtinOptimizers) {
  test(`${opt.name}: Rosenbrock from (−1.2, 1) reaches (1, 1)`, () => {
    const r = opt.minimize(rosenbrock, Float64Array.from([-1.2, 1]), { ftol: 1e-15, gtol: 1e-10 });
    assert.equal(r.status, "converged", r.message);
    assert.ok(Math.abs(r.x[0] - 1) < 1e-4 && Math.abs(r.x[1] - 1) < 1e-4, `got ${Array.from(r.x)}`);
  });

  test(`${opt.name}: bounded quadratic stops on the right bounds`, () => {
    const r = opt.minimize(bounded, Float64Array.from([1, 3]));
    assert.equal(r.status, "converged", r.message);
    assert.deepEqual(Array.from(r.x), [2, 0]);
    assert.equal(r.f, 2);
  });

  test(`${opt.name}: non-finite start is reported, not thrown`, () => {
    const bad: BoxProblem = { valueGrad: () => Infinity, lower: ninf(1), upper: inf(1) };
    const r = opt.minimize(bad, Float64Array.from([0]));
    assert.equal(r.status, "non-finite");
    assert.ok(!Number.isNaN(r.f));
  });
}

test("newton: condition number 1e10 converges to the exact minimum", () => {
  const r = builtinOptimizers[0].minimize(illQuadratic, new Float64Array(5));
  assert.equal(r.status, "converged", r.message);
  for (let i = 0; i < 5; i++) assert.ok(Math.abs(r.x[i] - 1) < 1e-6, `x${i} = ${r.x[i]}`);
});

test("lbfgsb: iteration cap gives max-iterations, not converged", () => {
  const opt = builtinOptimizers.find((o) => o.name === "lbfgsb")!;
  const r = opt.minimize(rosenbrock, Float64Array.from([-1.2, 1]), {
    maxIterations: 3,
    gtol: 0,
    ftol: 0,
  });
  assert.equal(r.status, "max-iterations");
  assert.equal(r.iterations, 3);
});
