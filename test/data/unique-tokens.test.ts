import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import { openMemoryDb, sqlString } from "../../src/data/duckdb.js";
import { toFitData } from "../../src/data/fitdata.js";
import { loadRuns } from "../../src/data/load.js";
import { openStore, writeParquet } from "../../src/data/store.js";
import { InputError } from "../../src/errors.js";
import { tempDir, writeTemp } from "./files.js";

// Each model's unique tokens are written into its name (`u<U>`), and the first rows are dropped by
// --where, so a value matched by file position instead of by row would land on the wrong model.
const CSV = `model,params,tokens,unique_tokens,loss,budget
junk-u7,1e8,1e9,7e9,99,7e18
junk-u8,1e8,2e9,8e9,99,8e18
a-u1,1e8,4B,1B,3.5,1e18
b-u2,2e8,8e9,2B,3.2,2e18
c-u3,3e8,12e9,3e9,3.0,3e18
d,4e8,16e9,,2.9,4e18
`;

test("unique_tokens and extra columns stay with their rows through --where", async () => {
  const t = await loadRuns(writeTemp("u.csv", CSV), {
    where: "loss < 10",
    extraColumns: ["budget"],
  });
  assert.deepEqual(t.model, ["a-u1", "b-u2", "c-u3", "d"]);
  // Sizes with suffixes are read; the empty cell is NaN (unknown), not an error.
  assert.deepEqual([...(t.uniqueTokens ?? [])], [1e9, 2e9, 3e9, Number.NaN]);
  assert.deepEqual([...(t.extra?.budget ?? [])], [1e18, 2e18, 3e18, 4e18]);
  const fd = toFitData(t);
  // A row without unique tokens saw its data once: U = D.
  assert.deepEqual([...(fd.uniqueTokens ?? [])], [1e9, 2e9, 3e9, 16e9]);
});

test("--unique-tokens-col maps another column; a file without one has no uniqueTokens", async () => {
  const csv = "params,tokens,U,loss\n1e8,4e9,1e9,3.5\n2e8,8e9,2e9,3.2\n";
  const mapped = await loadRuns(writeTemp("m.csv", csv), { uniqueTokens: "U" });
  assert.deepEqual([...(mapped.uniqueTokens ?? [])], [1e9, 2e9]);
  const plain = await loadRuns(writeTemp("p.csv", csv));
  assert.equal(plain.uniqueTokens, undefined);
  assert.equal(toFitData(plain).uniqueTokens, undefined);
  await assert.rejects(loadRuns(writeTemp("x.csv", csv), { uniqueTokens: "uniq" }), (e) => {
    assert.ok(e instanceof InputError);
    assert.match(e.message, /x\.csv:1: missing required column "uniq".*`uniqueTokens`/);
    return true;
  });
});

test("a long file filtered to one metric keeps unique tokens and extras on the right rows", async () => {
  const csv = `model,params,tokens,unique_tokens,metric,value,budget
a,1e8,4e9,1e9,acc,0.5,9e18
a,1e8,4e9,1e9,loss,3.5,1e18
b,2e8,8e9,2e9,acc,0.6,9e18
b,2e8,8e9,2e9,loss,3.2,2e18
`;
  const t = await loadRuns(writeTemp("long.csv", csv), {
    metric: "loss",
    extraColumns: ["BUDGET"],
  });
  assert.deepEqual([...(t.uniqueTokens ?? [])], [1e9, 2e9]);
  // Matched case-insensitively, returned under the name asked for.
  assert.deepEqual([...(t.extra?.BUDGET ?? [])], [1e18, 2e18]);
});

test("bad unique tokens are errors at file:line:column; more than the tokens trained only warns", async () => {
  const bad = async (cell: string) => {
    const csv = `params,tokens,unique_tokens,loss\n1e8,4e9,1e9,3.5\n2e8,8e9,${cell},3.2\n`;
    const err = await loadRuns(writeTemp("b.csv", csv)).then(
      () => assert.fail("should throw"),
      (e: unknown) => e,
    );
    assert.ok(err instanceof InputError);
    return err.message;
  };
  assert.match(await bad("-2e9"), /b\.csv:3:3: unique_tokens must be positive, got -2000000000/);
  assert.match(await bad("lots"), /b\.csv:3:3: unique_tokens is not a finite number \("lots"\)/);
  const budget = "params,tokens,loss,budget\n1e8,4e9,3.5,1e18\n2e8,8e9,3.2,n/a\n";
  await assert.rejects(
    loadRuns(writeTemp("e.csv", budget), { extraColumns: ["budget"] }),
    /e\.csv:3:4: budget is not a finite number \("n\/a"\)/,
  );
  const t = await loadRuns(
    writeTemp("w.csv", "params,tokens,unique_tokens,loss\n1e8,4e9,8e9,3.5\n"),
  );
  assert.equal(t.uniqueTokens?.[0], 8e9);
  assert.ok(t.warnings?.some((w) => /more unique tokens than tokens trained.*swapped/.test(w)));
});

test("the store keeps unique tokens: import, query, Parquet and re-load", async () => {
  const dir = tempDir();
  const db = join(dir, "s.duckdb");
  const s = await openStore(db);
  try {
    const r = await s.importFile(writeTemp("u.csv", CSV), { where: "loss < 10" });
    assert.equal(r.inserted, 4);
    const t = await s.query("unique_tokens IS NOT NULL");
    assert.deepEqual(t.model, ["a-u1", "b-u2", "c-u3"]);
    assert.deepEqual([...(t.uniqueTokens ?? [])], [1e9, 2e9, 3e9]);
    const pq = join(dir, "u.parquet");
    await writeParquet(await s.query(), pq);
    const back = await loadRuns(pq);
    assert.deepEqual([...(back.uniqueTokens ?? [])], [1e9, 2e9, 3e9, Number.NaN]);
  } finally {
    await s.close();
  }
});

test("a store made before unique_tokens existed opens, gains the column and can be filled in", async () => {
  const db = join(tempDir(), "old.duckdb");
  const m = await openMemoryDb();
  try {
    // The schema of stores written before this column.
    await m.conn.run(`ATTACH ${sqlString(db)} AS old;
      CREATE TABLE old.runs (family VARCHAR NOT NULL, model VARCHAR NOT NULL, params DOUBLE NOT NULL,
        tokens DOUBLE NOT NULL, flops DOUBLE NOT NULL, metric VARCHAR NOT NULL, value DOUBLE NOT NULL,
        seed VARCHAR NOT NULL, step DOUBLE, arch VARCHAR, dataset VARCHAR, source VARCHAR, origin VARCHAR,
        imported_at TIMESTAMP);
      INSERT INTO old.runs VALUES ('u', 'a-u1', 1e8, 4e9, 2.4e18, 'loss', 3.5, '0', NULL, NULL, NULL, NULL, 'old', now());
      DETACH old;`);
  } finally {
    m.close();
  }
  const s = await openStore(db);
  try {
    const before = await s.query();
    assert.equal(before.length, 1);
    assert.equal(before.uniqueTokens, undefined);
    // Re-importing the row with its unique tokens adds no row but fills the stored one in.
    const file = writeTemp(
      "u.csv",
      "family,model,params,tokens,unique_tokens,loss\nu,a-u1,1e8,4e9,1e9,3.5\n",
    );
    const r = await s.importFile(file);
    assert.deepEqual([r.inserted, r.skipped, r.filled], [0, 1, 1]);
    assert.deepEqual([...((await s.query()).uniqueTokens ?? [])], [1e9]);
    // Other unique tokens for a stored checkpoint are a conflict.
    const other = writeTemp(
      "v.csv",
      "family,model,params,tokens,unique_tokens,loss\nu,a-u1,1e8,4e9,2e9,3.5\n",
    );
    await assert.rejects(s.importFile(other), /already stored with different unique tokens/);
  } finally {
    await s.close();
  }
});

test("without a model column, runs of one size and length that differ in unique data are distinct", async () => {
  // Muennighoff et al.'s final losses: same N and D, 4B vs 9B unique tokens (as in sldbench's table).
  const csv = "params,tokens,unique_tokens,loss\n2.8e9,55e9,4e9,2.696\n2.8e9,55e9,9e9,2.611\n";
  const t = await loadRuns(writeTemp("dc.csv", csv));
  assert.equal(new Set(t.model).size, 2);
  assert.match(t.model[0], /U=4/);
});
