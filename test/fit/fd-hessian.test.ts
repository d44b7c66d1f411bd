import assert from "node:assert/strict";
import { test } from "node:test";
import { forwardHessian } from "../../src/fit/fd-hessian.js";

test("forward differences recover a known Hessian, stepping back where the forward probe fails", () => {
  // f = x² + 3xy + 5y² has Hessian [[2, 3], [3, 10]] everywhere (by hand); f is undefined for x > 1.
  const grad = (x: Float64Array, g: Float64Array): number => {
    if (x[0] > 1) return Infinity;
    g[0] = 2 * x[0] + 3 * x[1];
    g[1] = 3 * x[0] + 10 * x[1];
    return x[0] ** 2 + 3 * x[0] * x[1] + 5 * x[1] ** 2;
  };
  const x = Float64Array.from([1, -2]);
  const g0 = new Float64Array(2);
  grad(x, g0);
  const h = new Float64Array(4);
  const evals = forwardHessian(grad, x, g0, h);
  assert.equal(evals, 3, "one extra probe for the blocked direction");
  for (const [i, v] of [2, 3, 3, 10].entries())
    assert.ok(Math.abs(h[i] - v) < 1e-6, `h[${i}] = ${h[i]}`);
});
