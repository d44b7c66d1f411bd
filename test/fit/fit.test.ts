import assert from "node:assert/strict";
import { test } from "node:test";
import { fit, SUBSET_ROWS } from "../../src/fit/fit.js";
import type { FitData } from "../../src/fit/types.js";
import { rng } from "../../src/math/random.js";

/** A sweep log: `runs` runs × `checkpoints` checkpoints on a Chinchilla law with 1% noise. */
function sweep(runs: number, checkpoints: number): FitData {
  const n = runs * checkpoints;
  const d = {
    params: new Float64Array(n),
    tokens: new Float64Array(n),
    flops: new Float64Array(n),
    loss: new Float64Array(n),
    run: new Int32Array(n),
  };
  const u = rng(5, 0);
  for (let k = 0, i = 0; k < runs; k++) {
    const N = Math.round(1e7 * 1000 ** ((k % 15) / 14));
    const total = N * (2 + 4 * Math.floor(k / 15));
    for (let j = 1; j <= checkpoints; j++, i++) {
      const D = (total * j) / checkpoints;
      d.params[i] = N;
      d.tokens[i] = D;
      d.flops[i] = 6 * N * D;
      d.loss[i] = (1.69 + 406.4 / N ** 0.34 + 410.7 / D ** 0.28) * (1 + 0.01 * (u() - 0.5));
      d.run[i] = k;
    }
  }
  return d;
}

test("a large table: starts searched on a subset reach the optimum of the search on all rows", () => {
  const d = sweep(120, 1000);
  const subset = fit(d);
  const all = fit(d, { searchRows: Number.POSITIVE_INFINITY });
  assert.equal(subset.choices.searchSubset, SUBSET_ROWS);
  assert.equal(all.choices.searchSubset, undefined);
  assert.equal(subset.n, 120_000);
  assert.equal(subset.status, "converged");
  assert.equal(all.status, "converged");
  const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);
  assert.ok(rel(subset.objective.value, all.objective.value) < 1e-12);
  for (const [name, v] of Object.entries(all.params))
    assert.ok(rel(subset.params[name], v) < 1e-10, `${name}: ${subset.params[name]} vs ${v}`);
});
