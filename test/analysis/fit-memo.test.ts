import assert from "node:assert/strict";
import { test } from "node:test";
import { planChunks } from "../../src/analysis/experiments.js";
import { FitMemo } from "../../src/analysis/fit-memo.js";
import { chunkCache, runChunk } from "../../src/analysis/run-cell.js";
import { toFitData } from "../../src/data/fitdata.js";
import { fit } from "../../src/fit/fit.js";
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
