import assert from "node:assert/strict";
import { test } from "node:test";
import { plotSpec } from "../../../src/report/plots/index.js";
import { drawnIndex, MAX_DRAWN, pointRows } from "../../../src/report/plots/points.js";
import { fixedFit, hoffmannFit } from "../../fixtures/plots.js";
import { syntheticLadder, TRUE_PARAMS } from "../../fixtures/synthetic.js";

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

test("drawnIndex keeps every row up to the limit", () => {
  const params = [1e6, 1e6, 2e6, 3e6];
  assert.deepEqual(drawnIndex([0, 1, 2, 3], params, [], 4), [0, 1, 2, 3]);
  assert.deepEqual(drawnIndex([1, 3], params, [], 2), [1, 3]);
});

test("drawnIndex thins within each size, keeps each size's first and last row and small sizes whole", () => {
  // Three sizes: 10 rows of 1M, 1,000 of 10M, 2,000 of 100M, interleaved as a log would be.
  const params: number[] = [];
  for (let i = 0; i < 10; i++) params.push(1e6);
  for (let i = 0; i < 1000; i++) params.push(1e7);
  for (let i = 0; i < 2000; i++) params.push(1e8);
  const pick = drawnIndex(range(params.length), params, [], 310);
  const of = (p: number) => pick.filter((i) => params[i] === p);
  assert.equal(of(1e6).length, 10, "a size with few rows keeps them all");
  assert.equal(of(1e7).length, 150);
  assert.equal(of(1e8).length, 150);
  assert.ok(pick.includes(10) && pick.includes(1009), "first and last row of 10M");
  assert.ok(pick.includes(1010) && pick.includes(3009), "first and last row of 100M");
  // Evenly spaced: the gaps within a size differ by at most one row.
  const gaps = of(1e8)
    .slice(1)
    .map((v, k) => v - of(1e8)[k]);
  assert.ok(
    Math.max(...gaps) - Math.min(...gaps) <= 1,
    `gaps ${Math.min(...gaps)}–${Math.max(...gaps)}`,
  );
  assert.deepEqual(
    pick,
    [...pick].sort((a, b) => a - b),
    "in the log's order",
  );
  assert.deepEqual(drawnIndex(range(params.length), params, [], 310), pick, "deterministic");
});

test("drawnIndex keeps the rows with each extreme, so the axes span every row", () => {
  const n = 10_000;
  const params = range(n).map((i) => (i % 2 ? 1e7 : 1e8));
  const loss = range(n).map((i) => 3 + Math.sin(i));
  loss[4321] = 1; // the smallest loss, in a row evenly spaced picks would skip
  loss[777] = 9;
  const pick = drawnIndex(range(n), params, [loss], 100);
  assert.ok(pick.includes(4321) && pick.includes(777));
  assert.ok(pick.length <= 102);
});

test("drawnIndex spaces over all rows when there are more sizes than points to draw", () => {
  const params = range(1000).map((i) => 1e6 * (1 + i));
  const pick = drawnIndex(range(1000), params, [], 10);
  assert.deepEqual(pick, [0, 111, 222, 333, 444, 555, 666, 777, 888, 999]);
});

test("pointRows thins a 200,000-row log to the limit and says how many rows there were", () => {
  const data = syntheticLadder("chinchilla", TRUE_PARAMS.chinchilla, {
    sizes: 10,
    checkpoints: 20_000,
  });
  const drawn = pointRows(data);
  assert.equal(drawn.total, 200_000);
  assert.ok(drawn.rows.length >= MAX_DRAWN && drawn.rows.length <= MAX_DRAWN + 6);
  assert.equal(new Set(drawn.rows.map((r) => r.size)).size, 10, "every size drawn");
  const small = pointRows({ ...data, loss: data.loss.slice(0, 300) } as never);
  assert.equal(small.rows.length, 300);
  assert.equal(small.total, 300);
});

test("figures of a 200,000-row log draw at most the limit, say so, and compute statistics on all rows", () => {
  const data = syntheticLadder("chinchilla", TRUE_PARAMS.chinchilla, {
    sizes: 10,
    checkpoints: 20_000,
  });
  const json = (s: unknown) => JSON.stringify(s);
  const fit = plotSpec("fit", { data, fit: hoffmannFit() });
  assert.match(json(fit), /of 200,000 rows drawn, evenly spaced within each size/);
  assert.ok(json(fit).length < 2e6, `fit spec ${json(fit).length} bytes`);
  const f = fixedFit("chinchilla", { ...TRUE_PARAMS.chinchilla, E: 1.7 });
  const res = plotSpec("residuals", { data, fit: f });
  // Independent: the mean |relative residual| over all 200,000 rows, computed here row by row.
  let sum = 0;
  const { A, B, alpha, beta } = TRUE_PARAMS.chinchilla;
  const E = 1.7;
  for (let i = 0; i < data.loss.length; i++) {
    const pred = E + A * data.params[i] ** -alpha + B * data.tokens[i] ** -beta;
    sum += Math.abs((pred - data.loss[i]) / data.loss[i]);
  }
  const mean = `${((100 * sum) / data.loss.length).toFixed(1)}%`;
  assert.match(
    json(res),
    new RegExp(`mean \\|residual\\| ${mean.replace(".", "\\.")}, max [0-9.]+% over 200,000 rows`),
  );
  assert.ok(json(res).length < 2e6, `residuals spec ${json(res).length} bytes`);
});
