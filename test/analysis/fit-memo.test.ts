import assert from "node:assert/strict";
import { test } from "node:test";
import { planChunks } from "../../src/analysis/experiments.js";
import { FitMemo, postedFit, receivedFit } from "../../src/analysis/fit-memo.js";
import { chunkCache, runChunk } from "../../src/analysis/run-cell.js";
import { toFitData } from "../../src/data/fitdata.js";
import { fit, predictLoss } from "../../src/fit/fit.js";
import { ladderTable } from "../fixtures/ladder-table.js";

test("the fit memo returns the fit an identical training set would get, timed 0 ms", () => {
  const t = ladderTable();
  const rows = Array.from({ length: 60 }, (_, i) => i);
  const memo = new FitMemo();
  let clock = 0;
  const options = { refine: 2, now: () => (clock += 5) };
  const first = memo.fit(rows, toFitData(t, rows), options);
  const again = memo.fit([...rows], toFitData(t, rows), options);
  assert.deepEqual(again.params, first.params);
  assert.equal(again.timing?.fitMs, 0);
  assert.equal(first.timing?.fitMs, 5);
  assert.deepEqual(first.params, fit(toFitData(t, rows), options).params);
  const fewer = rows.slice(1);
  memo.fit(fewer, toFitData(t, fewer), options); // other rows: a new fit
  memo.fit(rows, toFitData(t, rows), { ...options, objective: "ls" }); // other options: a new fit
  assert.deepEqual([memo.computed, memo.reused], [3, 1]);
});

test("experiments that share a training set share its fit, with the same rows as fitting anew", () => {
  const t = ladderTable();
  const chunks = planChunks(t, {
    experiments: ["grid", "no-cut", "params"],
    protocols: ["default"],
  });
  const shared = chunkCache();
  const reused = chunks.flatMap((c) => runChunk(t, c, () => 0, shared));
  const fresh = chunks.flatMap((c) => runChunk(t, c, () => 0));
  assert.ok(
    shared.fits.reused > 0,
    "the ladder's 1e10 cut removes nothing, so no-cut repeats the grid",
  );
  assert.deepEqual(reused, fresh);
});

test("a fit made on a worker and put in the memo counts once as computed, with its own time", () => {
  const t = ladderTable();
  const rows = Array.from({ length: 40 }, (_, i) => i);
  const options = { refine: 2 };
  let clock = 0;
  const made = fit(toFitData(t, rows), { ...options, now: () => (clock += 5) });
  const posted = structuredClone(postedFit(made));
  const memo = new FitMemo();
  memo.put(rows, options, receivedFit(posted, options));
  let built = 0;
  const data = () => {
    built++;
    return toFitData(t, rows);
  };
  const first = memo.fit(rows, data, options);
  const again = memo.fit(rows, data, options);
  assert.equal(built, 0, "a remembered fit never builds its data");
  assert.deepEqual([memo.computed, memo.reused], [1, 1]);
  assert.deepEqual(first.params, made.params);
  assert.equal(first.law.name, "chinchilla");
  assert.deepEqual(
    predictLoss(first, { params: 1e9, tokens: 2e10 }),
    predictLoss(made, { params: 1e9, tokens: 2e10 }),
  );
  assert.equal(first.timing?.fitMs, 5);
  assert.equal(again.timing?.fitMs, 0);
  assert.ok(memo.has(rows, options) && !memo.has(rows.slice(1), options));
});
