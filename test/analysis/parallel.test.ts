import assert from "node:assert/strict";
import { test } from "node:test";
import { byCell } from "../../src/analysis/chunks.js";
import { planChunks } from "../../src/analysis/experiments.js";
import { runChunksParallel } from "../../src/analysis/parallel.js";
import type { Chunk, ResultRow } from "../../src/analysis/types.js";
import { concatTables } from "../../src/data/corpus/rows.js";
import { ladderTable } from "../fixtures/ladder-table.js";

/** Every chunk's rows (without fit times) and fit counts, run with `workers`. */
async function run(workers: number, chunks: readonly Chunk[], table = twoFamilies()) {
  const rows: ResultRow[] = [];
  const fitted = new Map<string, number>();
  const progress: number[] = [];
  await runChunksParallel(table, chunks, {
    workers,
    onChunk: (c, rs, n) => {
      assert.ok(!fitted.has(c.id), `${c.id} reported twice`);
      fitted.set(c.id, n);
      rows.push(...rs.map(({ fitMs: _ms, ...r }) => r as ResultRow));
    },
    onProgress: (p) => progress.push(p.doneCells),
  });
  return { rows: rows.sort(byCell), fitted, progress };
}

function twoFamilies() {
  return concatTables([ladderTable(6, "toy"), ladderTable(5, "mini")], "test:two-ladders");
}

const EXPERIMENTS = [
  "grid",
  "no-cut",
  "params",
  "window",
  "end-of-training",
  "borrow",
  "baselines",
  "bad-model",
] as const;

test("fits handed out one by one to two workers give the one-worker rows, each training set fitted once", async () => {
  const chunks = planChunks(twoFamilies(), { experiments: EXPERIMENTS, protocols: ["default"] });
  const one = await run(1, chunks);
  const two = await run(2, chunks);
  assert.deepEqual(two.rows, one.rows);
  assert.equal(two.fitted.size, chunks.length);
  const total = (m: Map<string, number>) => [...m.values()].reduce((s, n) => s + n, 0);
  // Experiments share training sets (no-cut repeats the grid on this ladder), and one worker fits
  // each distinct set once: so must two, whichever worker a chunk's fits land on.
  assert.ok(total(one.fitted) < one.rows.filter((r) => r.status !== "baseline").length);
  assert.equal(total(two.fitted), total(one.fitted));
  const cells = chunks.reduce((s, c) => s + c.cells.length, 0);
  assert.equal(two.progress.length, chunks.length);
  assert.equal(two.progress[two.progress.length - 1], cells);
  // Cells too small to fit are scored the same way on either route (here: p = 0.1 of two models).
  const failed = one.rows.filter((r) => r.status === "failed");
  assert.ok(failed.length > 0, "the ladder has cells with too few points for the law");
});

test("the paper protocol's one-start fits and a chunk with no fits at all run on workers too", async () => {
  const table = twoFamilies();
  const chunks = planChunks(table, {
    experiments: ["grid", "baselines"],
    protocols: ["paper"],
    families: ["mini"],
  });
  const one = await run(1, chunks, table);
  const two = await run(2, chunks, table);
  assert.deepEqual(two.rows, one.rows);
  assert.equal(two.fitted.get("baselines__mini__paper"), 0);
});

test("an aborted parallel run stops handing out fits and reports only whole chunks", async () => {
  const table = twoFamilies();
  const chunks = planChunks(table, { experiments: ["grid", "no-cut"], protocols: ["default"] });
  const controller = new AbortController();
  const seen: string[] = [];
  await runChunksParallel(table, chunks, {
    workers: 2,
    signal: controller.signal,
    onChunk: (c, rs) => {
      seen.push(c.id);
      assert.equal(rs.length, c.cells.length);
      controller.abort();
    },
  });
  assert.ok(seen.length >= 1 && seen.length < chunks.length, `${seen.length} chunks reported`);
});
