import assert from "node:assert/strict";
import { test } from "node:test";
import { loadCorpus } from "../../src/data/corpus/index.js";
import { toFitData } from "../../src/data/fitdata.js";
import { fit } from "../../src/fit/fit.js";
import { SUBSET_ROWS } from "../../src/fit/options.js";
import type { FitData } from "../../src/fit/types.js";
import { rng } from "../../src/math/random.js";
import { EPOCH_FILE, epochGoldenData } from "../fixtures/epoch.js";
import { sharedDataDir, sharedSkip } from "../fixtures/shared.js";

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

/** Relative difference. */
const relTo = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

test("a search on a small subset (subsetRows) reaches the optimum of the default search: Epoch's 240 rows", {
  skip: sharedSkip(EPOCH_FILE),
}, () => {
  const d = epochGoldenData();
  const all = fit(d);
  // 80 rows: every third row of the 240.
  const sub = fit(d, { searchRows: 100, subsetRows: 80 });
  assert.equal(sub.choices.searchSubset, 80);
  assert.equal(all.choices.searchSubset, undefined);
  assert.equal(sub.status, all.status);
  // Measured: objective 3.6e-15 relative, parameters ≤ 9.6e-11.
  assert.ok(relTo(sub.objective.value, all.objective.value) < 1e-13);
  for (const [name, v] of Object.entries(all.params))
    assert.ok(relTo(sub.params[name], v) < 1e-8, `${name}: ${sub.params[name]} vs ${v}`);
});

test("a search on a small subset (subsetRows) reaches the optimum of the default search: GPT-3's curves", {
  skip: sharedSkip("hitchhiker-colpret"),
}, async () => {
  const { table } = await loadCorpus(sharedDataDir, ["hitchhiker-colpret"]);
  const gpt3 = table.family.flatMap((f, i) => (f === "gpt3" ? [i] : []));
  // All of GPT-3's rows, and its smallest four models alone (the no-cut experiment's kind of set).
  const sizes = [...new Set(gpt3.map((i) => table.params[i]))].sort((a, b) => a - b);
  const small = gpt3.filter((i) => table.params[i] <= sizes[3]);
  for (const rows of [gpt3, small]) {
    const d = toFitData(table, rows);
    assert.ok(d.loss.length > 1000);
    const all = fit(d);
    const sub = fit(d, { searchRows: 1000, subsetRows: 350 });
    assert.equal(
      sub.choices.searchSubset,
      Math.ceil(d.loss.length / Math.ceil(d.loss.length / 350)),
    );
    assert.equal(sub.status, all.status);
    // Measured on 6,506 and 2,838 rows (343- and 316-row subsets): objective −1.4e-15 and −1.9e-15
    // relative, parameters ≤ 9.0e-10 and ≤ 1.4e-11 (/tmp script on this build, node 20).
    assert.ok(relTo(sub.objective.value, all.objective.value) < 1e-13);
    for (const [name, v] of Object.entries(all.params))
      assert.ok(relTo(sub.params[name], v) < 1e-8, `${name}: ${sub.params[name]} vs ${v}`);
  }
});
