import assert from "node:assert/strict";
import { test } from "node:test";
import { checkpointsDistinct, scanRows } from "../../src/data/checks.js";
import { openMemoryDb } from "../../src/data/duckdb.js";

/** Rows of one table in scan order: [model, step (null where none), tokens, value?]. */
type Row = [string, number | null, number, number?];

async function table<T>(
  rows: readonly Row[],
  work: (conn: Parameters<typeof checkpointsDistinct>[0]) => Promise<T>,
): Promise<T> {
  const db = await openMemoryDb();
  try {
    await db.conn.run(
      "CREATE TEMP TABLE t (family VARCHAR, model VARCHAR, seed VARCHAR, metric VARCHAR, params DOUBLE, tokens DOUBLE, flops DOUBLE, value DOUBLE, step DOUBLE, unique_tokens DOUBLE)",
    );
    for (const [model, step, tokens, value] of rows) {
      await db.conn.run(
        `INSERT INTO t VALUES ('f', '${model}', '0', 'loss', 1e8, ${tokens}, ${6e8 * tokens}, ${value ?? 3}, ${step ?? "NULL"}, NULL)`,
      );
    }
    return await work(db.conn);
  } finally {
    db.close();
  }
}

const distinct = (rows: readonly Row[]) => table(rows, (c) => checkpointsDistinct(c, "t"));

test("checkpointsDistinct: runs in blocks, in order, are proven by one scan", async () => {
  assert.equal(
    await distinct([
      ["a", 1, 10],
      ["a", 2, 20],
      ["b", 1, 10],
      ["b", 2, 20],
    ]),
    true,
  );
  // Final-loss tables have no steps: rising tokens tell the checkpoints apart.
  assert.equal(
    await distinct([
      ["a", null, 10],
      ["a", null, 20],
    ]),
    true,
  );
});

test("checkpointsDistinct: a run split in blocks or out of order is sorted and checked", async () => {
  // Split (as a parallel insert splits a few runs), nothing repeated: still distinct.
  assert.equal(
    await distinct([
      ["a", 3, 30],
      ["b", 1, 10],
      ["a", 1, 10],
      ["a", 2, 20],
    ]),
    true,
  );
  // Interleaved runs (every row its own block).
  assert.equal(
    await distinct([
      ["a", 1, 10],
      ["b", 1, 10],
      ["a", 2, 20],
      ["b", 2, 20],
    ]),
    true,
  );
  // The same step twice, in two blocks of one run.
  assert.equal(
    await distinct([
      ["a", 1, 10],
      ["a", 2, 20],
      ["b", 1, 10],
      ["a", 2, 20],
    ]),
    false,
  );
  // Tokens falling as steps rise, across blocks.
  assert.equal(
    await distinct([
      ["a", 2, 10],
      ["b", 1, 10],
      ["a", 1, 20],
    ]),
    false,
  );
  // No steps, the same tokens twice.
  assert.equal(
    await distinct([
      ["a", null, 10],
      ["b", null, 10],
      ["a", null, 10],
    ]),
    false,
  );
});

test("checkpointsDistinct: a run mixing rows with and without steps is not passed by the scan", async () => {
  // Step 1 twice, with a row without a step between them and tokens rising throughout: the
  // comparison with the row before is unknown (NULL) on both sides of the gap, which the scan
  // once counted as in order, so the repeat went unseen.
  assert.equal(
    await distinct([
      ["a", 1, 10],
      ["a", null, 20],
      ["a", 1, 30],
    ]),
    false,
  );
  assert.equal(
    await distinct([
      ["a", 1, 10],
      ["a", null, 20],
      ["a", 2, 30],
    ]),
    true,
  );
});

test("scanRows: bounds clear a clean table; any bad value or a model of two sizes is found", async () => {
  const clean: Row[] = [
    ["a", 1, 1e9, 3.5],
    ["a", 2, 2e9, 3.1],
  ];
  const scan = (rows: Row[], sql?: string) =>
    table(rows, async (c) => {
      if (sql) await c.run(sql);
      return scanRows(c, "t");
    });
  assert.deepEqual(await scan(clean), {
    problems: false,
    units: { p: 1e8, t: 2e9, n: 2, u: 0 },
  });
  assert.equal((await scan(clean, "UPDATE t SET value = -1 WHERE step = 2")).problems, true);
  // A metric that is not a loss may be negative: the bounds cannot clear it, the rows do.
  assert.equal(
    (await scan(clean, "UPDATE t SET value = -1, metric = 'reward' WHERE step = 2")).problems,
    false,
  );
  assert.equal((await scan(clean, "UPDATE t SET step = -1 WHERE step = 2")).problems, true);
  assert.equal((await scan(clean, "UPDATE t SET tokens = 'nan' WHERE step = 2")).problems, true);
  assert.equal((await scan(clean, "UPDATE t SET params = 'inf' WHERE step = 2")).problems, true);
  assert.equal((await scan(clean, "UPDATE t SET params = 2e8 WHERE step = 2")).problems, true);
  assert.equal((await scan(clean, "UPDATE t SET unique_tokens = 0 WHERE step = 2")).problems, true);
  assert.equal((await scan(clean, "UPDATE t SET flops = NULL WHERE step = 2")).problems, true);
});
