import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { loadRuns } from "../../src/data/load.js";
import { openStore, writeParquet } from "../../src/data/store.js";
import type { RunTable } from "../../src/data/types.js";
import { InputError } from "../../src/errors.js";
import { LADDER_CSV, tempDir, writeTemp } from "./files.js";

function table(n: number, family = "gen"): RunTable {
  return {
    origin: "generated",
    length: n,
    family: new Array(n).fill(family),
    model: Array.from({ length: n }, (_, i) => `m${i % 3}`),
    params: Float64Array.from({ length: n }, (_, i) => 1e8 * (1 + (i % 3))),
    tokens: Float64Array.from({ length: n }, (_, i) => 1e9 * (1 + Math.floor(i / 3))),
    flops: Float64Array.from(
      { length: n },
      (_, i) => 6 * 1e8 * (1 + (i % 3)) * 1e9 * (1 + Math.floor(i / 3)),
    ),
    metric: new Array(n).fill("loss"),
    value: Float64Array.from({ length: n }, (_, i) => 4 - i / 100),
    seed: new Array(n).fill("0"),
    step: Float64Array.from({ length: n }, (_, i) => 1 + Math.floor(i / 3)),
    source: new Array(n).fill("unit test"),
  };
}

test("importTable appends, re-importing skips, query filters and round-trips the rows", async () => {
  const db = join(tempDir(), "s.duckdb");
  const s = await openStore(db);
  try {
    assert.deepEqual(await s.importTable(table(9)), { inserted: 9, skipped: 0, filled: 0 });
    assert.deepEqual(await s.importTable(table(12)), { inserted: 3, skipped: 9, filled: 0 });
    const all = await s.query();
    assert.equal(all.length, 12);
    assert.equal(all.origin, `db:${db}`);
    assert.deepEqual(all.source?.slice(0, 1), ["unit test"]);
    const big = await s.query("params > 2e8 AND loss < 3.9");
    assert.ok(big.length > 0 && big.params.every((p) => p === 3e8));
    await s.importTable(table(3), { family: "other" });
    assert.deepEqual(
      (await s.summary()).map((f) => [f.family, f.rows, f.models.length]),
      [
        ["gen", 12, 3],
        ["other", 3, 3],
      ],
    );
  } finally {
    await s.close();
  }
  const again = await openStore(db);
  assert.equal((await again.query()).length, 15, "rows persist after close");
  await again.close();
});

test("a conflicting or invalid import leaves the store exactly as it was", async () => {
  const db = join(tempDir(), "c.duckdb");
  const s = await openStore(db);
  await s.importTable(table(6));
  const before = await s.query();
  const changed = table(6);
  changed.value[4] = 9;
  await assert.rejects(
    s.importTable(changed),
    (e: unknown) =>
      e instanceof InputError && /already stored with a different value/.test(e.message),
  );
  const bad = table(9);
  bad.params[7] = -1;
  await assert.rejects(s.importTable(bad), /params must be positive/);
  const after = await s.query();
  assert.deepEqual(Array.from(after.value), Array.from(before.value));
  assert.equal(after.length, 6);
  await s.close();
});

test("importFile: families from --family, the column, or the file name; bad files never create the store", async () => {
  const dir = tempDir();
  const db = join(dir, "f.duckdb");
  const bad = writeTemp("bad.csv", "params,tokens,loss\n1e8,1e9,x\n");
  const s0 = await openStore(db);
  await assert.rejects(s0.importFile(bad), /bad\.csv:2:3: loss is not a finite number/);
  await s0.close();
  assert.equal(existsSync(db), false, "nothing written");
  const s = await openStore(db);
  const r = await s.importFile(writeTemp("ladder.csv", LADDER_CSV));
  assert.deepEqual([r.inserted, r.skipped, r.rows], [12, 0, 12]);
  await s.importFile(writeTemp("nofam.csv", "params,tokens,loss\n1e8,1e9,3\n"));
  await s.importFile(writeTemp("named.csv", "params,tokens,loss\n1e8,1e9,3\n"), {
    setFamily: "mine",
  });
  assert.deepEqual(
    (await s.summary()).map((f) => f.family),
    ["mine", "nofam", "toy"],
  );
  await s.close();
});

test("a file that is not a DuckDB store is refused", async () => {
  await assert.rejects(openStore(writeTemp("x.duckdb", "hello")), /not a scaleladder store/);
  const missing = await openStore(join(tempDir(), "none.duckdb"));
  await assert.rejects(
    missing.query(),
    /no store here yet; hint: create it with scaleladder import/,
  );
  await missing.close();
});

test("writeParquet writes a canonical file that loads back to the same table (zstd and snappy)", async () => {
  const t = await loadRuns(writeTemp("ladder.csv", LADDER_CSV));
  for (const compression of ["zstd", "snappy"] as const) {
    const out = join(tempDir(), "sub", `ladder-${compression}.parquet`);
    await writeParquet(t, out, { compression });
    assert.equal(readFileSync(out).subarray(0, 4).toString(), "PAR1");
    const back = await loadRuns(out);
    assert.deepEqual(Array.from(back.value), Array.from(t.value));
    assert.deepEqual(back.model, t.model);
    assert.deepEqual(back.metric, t.metric);
  }
});
