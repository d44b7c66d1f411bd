import assert from "node:assert/strict";
import { test } from "node:test";
import { nnlsSmall } from "../../src/fit/nnls.js";

test("unconstrained optimum is returned when it is non-negative", () => {
  // z = 2·x1 + 3·x2 exactly.
  const X = Float64Array.from([1, 0, 0, 1, 1, 1, 2, 1]);
  const z = Float64Array.from([2, 3, 5, 7]);
  const r = nnlsSmall(X, 4, 2, z, new Float64Array(4).fill(1))!;
  assert.ok(Math.abs(r.coef[0] - 2) < 1e-12 && Math.abs(r.coef[1] - 3) < 1e-12);
  assert.ok(r.rss < 1e-20);
});

test("a negative unconstrained coefficient is clamped to zero", () => {
  // Unconstrained LS of z = (1, 2, 3) on columns (1,1,1) and (3,2,1) gives c2 = −1 < 0.
  // By hand with c2 = 0: c1 = mean(z) = 2, rss = 1 + 0 + 1 = 2.
  const X = Float64Array.from([1, 3, 1, 2, 1, 1]);
  const z = Float64Array.from([1, 2, 3]);
  const r = nnlsSmall(X, 3, 2, z, new Float64Array(3).fill(1))!;
  assert.deepEqual(
    Array.from(r.coef).map((v) => +v.toFixed(12)),
    [2, 0],
  );
  assert.ok(Math.abs(r.rss - 2) < 1e-12);
});

test("weights enter the least squares", () => {
  // Weighted mean: c = Σw z / Σw = (1·1 + 3·4)/4 = 3.25.
  const r = nnlsSmall(
    Float64Array.from([1, 1]),
    2,
    1,
    Float64Array.from([1, 4]),
    Float64Array.from([1, 3]),
  )!;
  assert.ok(Math.abs(r.coef[0] - 3.25) < 1e-12);
});
