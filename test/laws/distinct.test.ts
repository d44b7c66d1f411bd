import assert from "node:assert/strict";
import { test } from "node:test";
import { chinchilla } from "../../src/laws/chinchilla.js";
import { distinctValues } from "../../src/laws/distinct.js";
import { makeColumns } from "../../src/laws/types.js";

test("distinctValues indexes a column's repeated values and declines mostly distinct ones", () => {
  const col = Float64Array.from([3, 1, 3, 3, 1, 2, 2, 3]);
  const d = distinctValues(col);
  assert.ok(d);
  assert.deepEqual(Array.from(d.values), [3, 1, 2]);
  assert.deepEqual(
    Array.from(d.index, (k) => d.values[k]),
    Array.from(col),
  );
  assert.equal(distinctValues(col), d, "computed once per column");
  assert.equal(distinctValues(Float64Array.from([1, 2, 3, 4, 5, 6, 7, 7])), null);
});

test("chinchilla jacobian: terms shared by rows give the same bits as one exp per row", () => {
  // A ladder: 3 sizes, every run evaluated at the same 40 token counts (D^-β shared across runs,
  // N^-α along each run), and the same rows shuffled so that nothing repeats consecutively.
  const params: number[] = [];
  const tokens: number[] = [];
  for (const n of [7e7, 4e8, 2.8e9]) {
    for (let j = 1; j <= 40; j++) {
      params.push(n);
      tokens.push(1e9 * j * 1.37);
    }
  }
  const order = params.map((_, i) => (i * 37) % params.length);
  const theta = Float64Array.from([1.82, 482.0, 2085.4, 0.3478, 0.3658]);
  for (const x of [
    makeColumns(params, tokens),
    makeColumns(
      order.map((i) => params[i]),
      order.map((i) => tokens[i]),
    ),
  ]) {
    assert.ok(distinctValues(x.ln.tokens), "the token counts repeat");
    const n = x.params.length;
    const jac = new Float64Array(n * 5);
    const pred = new Float64Array(n);
    chinchilla.jacobian(theta, x, jac, pred);
    const [E, A, B, alpha, beta] = theta;
    for (let i = 0; i < n; i++) {
      const lnN = x.ln.params[i];
      const lnD = x.ln.tokens[i];
      const pN = Math.exp(-alpha * lnN);
      const pD = Math.exp(-beta * lnD);
      const want = [1, pN, pD, -A * pN * lnN, -B * pD * lnD];
      for (let j = 0; j < 5; j++) assert.equal(jac[i * 5 + j], want[j], `row ${i} column ${j}`);
      assert.equal(pred[i], E + A * pN + B * pD, `row ${i} prediction`);
    }
  }
});
