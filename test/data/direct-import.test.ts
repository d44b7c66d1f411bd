import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import { checkDirect, directSelect } from "../../src/data/direct-import.js";
import { openMemoryDb } from "../../src/data/duckdb.js";
import type { LoadOptions } from "../../src/data/stage.js";
import { openStore, type StoreHooks } from "../../src/data/store.js";
import { tempDir, writeTemp } from "./files.js";

const HEADER = "model,params,tokens,step,loss";
/** Two runs of three checkpoints, in blocks and in order. */
const CLEAN = [
  "a,1e8,1e9,1,3.5",
  "a,1e8,2e9,2,3.2",
  "a,1e8,3e9,3,3.0",
  "b,2e8,1e9,1,3.3",
  "b,2e8,2e9,2,3.0",
  "b,2e8,3e9,3,2.8",
];
const csv = (rows: readonly string[], header = HEADER) =>
  writeTemp("runs.csv", `${header}\n${rows.join("\n")}\n`);

/** What the store holds, sorted, and what the import said. */
async function imported(file: string, o: LoadOptions = {}, hooks: StoreHooks = {}) {
  const store = await openStore(join(tempDir(), "s.duckdb"), hooks);
  try {
    const r = await store.importFile(file, { setFamily: "f", ...o });
    const t = await store.query();
    const rows = Array.from({ length: t.length }, (_, i) =>
      [
        t.model[i],
        t.params[i],
        t.tokens[i],
        t.flops[i],
        t.metric[i],
        t.value[i],
        t.seed[i],
        t.step[i],
      ].join(" "),
    );
    return {
      inserted: r.inserted,
      skipped: r.skipped,
      rows: r.rows,
      warnings: r.warnings,
      stored: rows,
    };
  } finally {
    await store.close();
  }
}

/** The same file by the staged route. */
const staged = (file: string, o: LoadOptions = {}) => imported(file, o, { stagedOnly: true });

test("directSelect gives way where the staged route must read the file itself", async () => {
  const db = await openMemoryDb();
  try {
    const file = csv(CLEAN);
    const cols = "family, model, params";
    // A filter over a column of the file's own needs the file read beside the canonical rows.
    assert.equal(await directSelect(db.conn, { path: file }, { where: "lr > 1" }, cols), undefined);
    assert.equal(
      await directSelect(
        db.conn,
        { path: writeTemp("long.csv", "model,params,tokens,metric,value\na,1e8,1e9,loss,3\n") },
        { metric: "loss" },
        cols,
      ),
      undefined,
    );
    assert.equal(
      await directSelect(db.conn, { path: file }, { extraColumns: ["step"] }, cols),
      undefined,
    );
    const sql = await directSelect(db.conn, { path: file }, { defaultFamily: "f" }, cols);
    assert.ok(sql);
    const got = (await db.conn.runAndReadAll(sql.select)).getRowObjects();
    assert.deepEqual(
      got.map((r) => [r.family, r.model, r.params]),
      CLEAN.map((l) => ["f", l.split(",")[0], Number(l.split(",")[1])]),
    );
    // An empty or unreadable step (optional: the staged route keeps such a row, or names the
    // cell) makes the SELECT fail, so the import goes the staged route.
    const gap = await directSelect(db.conn, { path: csv([...CLEAN, "c,1e8,1e9,,3"]) }, {}, cols);
    await assert.rejects(db.conn.run(gap!.select), /a cell to explain/);
  } finally {
    db.close();
  }
});

test("checkDirect: clean rows give their unit warnings; a repeat, a bad value or two sizes give way", async () => {
  const db = await openMemoryDb();
  try {
    await db.conn.run(
      "CREATE TEMP TABLE t AS SELECT 'f' AS family, 'a' AS model, '0' AS seed, 'loss' AS metric, 1e3 AS params, i * 1e9 AS tokens, 6e12 * i AS flops, 3.0 AS value, i::DOUBLE AS step, NULL::DOUBLE AS unique_tokens FROM range(1, 4) r(i)",
    );
    assert.deepEqual(await checkDirect(db.conn, "t", "x.csv"), [
      "x.csv: params look like millions or billions written as plain numbers (largest 1000); hint: write sizes with a suffix (125M, 1.3B) or in units of one parameter",
    ]);
    await db.conn.run("INSERT INTO t SELECT * REPLACE (2.0 AS value) FROM t WHERE step = 2");
    assert.equal(await checkDirect(db.conn, "t", "x.csv"), undefined);
    await db.conn.run("DELETE FROM t WHERE value = 2; UPDATE t SET value = 0 WHERE step = 3");
    assert.equal(await checkDirect(db.conn, "t", "x.csv"), undefined);
    await db.conn.run("UPDATE t SET value = 3, params = 2e3 WHERE step = 3");
    assert.equal(await checkDirect(db.conn, "t", "x.csv"), undefined);
  } finally {
    db.close();
  }
});

test("an import straight from the file stores what the staged route stores, and says the same", async () => {
  const cases: Record<string, string> = {
    clean: csv(CLEAN),
    // A run in two blocks: legal, nothing repeated.
    split: csv([CLEAN[0], CLEAN[3], CLEAN[1], CLEAN[2], CLEAN[4], CLEAN[5]]),
    // A checkpoint twice with one value: stored once, counted as skipped.
    repeated: csv([...CLEAN, CLEAN[1]]),
    // An empty step (kept, no step) and an untrained checkpoint (skipped with a count).
    gaps: csv([...CLEAN, "c,3e8,1e9,,3.1", "c,3e8,0,0,9"]),
    // Untrained checkpoints alone: skipped with a count on either route.
    untrained: csv([...CLEAN, "c,3e8,0,0,9", "c,3e8,1e9,1,3.1"]),
    // Plain-number sizes: a unit warning.
    units: csv(["a,100,1e9,1,3.5", "a,100,2e9,2,3.2"]),
  };
  for (const [name, file] of Object.entries(cases)) {
    const direct = await imported(file);
    const before = await staged(file);
    assert.deepEqual(direct, before, name);
  }
  const untrained = await imported(cases.untrained);
  assert.deepEqual([untrained.inserted, untrained.rows], [7, 7]);
  assert.match(untrained.warnings[0], /skipped 1 untrained checkpoint \(tokens = 0\)/);
  // With `strict` they are refused, with the same message either way.
  const refused = async (o: LoadOptions) =>
    imported(cases.untrained, { strict: true, ...o }).then(
      () => "imported",
      (e: Error) => e.message,
    );
  assert.equal(await refused({}), await refused({ where: "params > 0" }));
  assert.match(await refused({}), /runs\.csv:8:3: tokens must be positive, got 0/);
  const split = await imported(cases.split);
  assert.deepEqual([split.inserted, split.skipped], [6, 0]);
  const repeated = await imported(cases.repeated);
  assert.deepEqual([repeated.inserted, repeated.skipped], [6, 1]);
});

test("a file imported twice adds nothing the second time, as before", async () => {
  const store = await openStore(join(tempDir(), "twice.duckdb"));
  try {
    const file = csv(CLEAN);
    assert.equal((await store.importFile(file)).inserted, 6);
    const again = await store.importFile(file);
    assert.deepEqual([again.inserted, again.skipped], [0, 6]);
    assert.equal((await store.query()).length, 6);
  } finally {
    await store.close();
  }
});

test("incomplete rows: the first SELECT stops at one, the second skips it, as the staged route does", async () => {
  // Skipped in the SELECT, not deleted from the new rows before the commit: that made DuckDB
  // append every new row again, on one thread.
  const db = await openMemoryDb();
  try {
    const file = csv([
      ...CLEAN,
      "c,3e8,0,0,9",
      "c,3e8,1e9,1,",
      "c,,2e9,2,3.0",
      "c,3e8,,3,3.0",
      "c,3e8,3e9,3,2.9",
    ]);
    const sql = await directSelect(db.conn, { path: file }, {}, "model, tokens, value");
    await assert.rejects(db.conn.run(sql!.select), /a row to skip/);
    const got = (await db.conn.runAndReadAll(sql!.skipping!)).getRowObjects();
    assert.deepEqual(
      got.map((r) => [r.model, r.tokens, r.value]),
      [...CLEAN, "c,3e8,3e9,3,2.9"]
        .map((l) => l.split(","))
        .map(([m, , t, , v]) => [m, Number(t), Number(v)]),
    );
    assert.deepEqual(
      await sql!.skipped(),
      new Map([
        ["rows with no loss", 1],
        ["rows with no params", 1],
        ["rows with no tokens", 1],
        ["untrained checkpoints (tokens = 0)", 1],
      ]),
    );
    // With `strict` nothing is skipped: the file goes the staged route, which refuses the rows.
    const strict = await directSelect(db.conn, { path: file }, { strict: true }, "model");
    assert.equal(strict!.skipping, undefined);
    await assert.rejects(db.conn.run(strict!.select), /a cell to explain/);
    // Text where a number belongs is never skipped: the second SELECT fails too.
    const text = csv([...CLEAN, "c,3e8,1e9,1,", "c,3e8,2e9,2,n/a"]);
    const bad = await directSelect(db.conn, { path: text }, {}, "model");
    await assert.rejects(db.conn.run(bad!.skipping!), /a cell to explain/);
  } finally {
    db.close();
  }
  const file = csv(["c,3e8,0,0,9", ...CLEAN]);
  const got = await imported(file);
  assert.deepEqual(got.warnings, [
    `${file}: skipped 1 untrained checkpoint (tokens = 0) (\`strict\` refuses them)`,
  ]);
  assert.deepEqual([got.inserted, got.rows, got.stored.length], [6, 6, 6]);
});

test("a W&B-like file straight from the file: the staged route's rows, counts and messages", async () => {
  // W&B histories interleave metrics, so most rows lack the loss; logs start at step 0.
  const wandb = (rows: readonly string[]) => csv(rows, "model,params,tokens,step,loss,acc");
  const cases: Record<string, string> = {
    interleaved: wandb(CLEAN.flatMap((l) => [`${l},`, `${l.replace(/,[^,]*$/, ",")},0.5`])),
    fromStepZero: wandb(
      CLEAN.flatMap((l, i) =>
        i % 3 === 0 ? [`${l.split(",")[0]},1e8,0,0,9,`, `${l},`] : [`${l},`],
      ),
    ),
    // Empty params and tokens, then an empty loss and step in one row (skipped; its step is not
    // explained).
    emptyParams: csv([...CLEAN, "c,,1e9,1,3.1", "c,3e8,,2,3.0", "c,3e8,2e9,,"]),
    // Tokens from flops: an empty flops cell is a row with no flops.
    flops: csv(
      ["a,1e8,6e17,1,3.5", "a,1e8,,2,3.4", "a,1e8,1.2e18,3,3.2"],
      "model,params,flops,step,loss",
    ),
    // An empty step beside tokens is kept (no step): the staged route's words for it.
    emptyStep: csv([...CLEAN, "c,3e8,1e9,,3.1", "c,3e8,2e9,2,"]),
    // An unreadable loss beside an empty one: refused with its line and column either way.
    unreadable: csv([...CLEAN, "c,3e8,1e9,1,", "c,3e8,2e9,2,n/a"]),
    // Nothing left: the same words either way.
    nothing: csv(["a,1e8,1e9,1,", "a,1e8,0,0,9"]),
    // Repeated and incomplete: skipped, then the repeat stored once.
    repeated: csv([...CLEAN, "c,3e8,1e9,1,", CLEAN[1]]),
  };
  const said = (p: Promise<unknown>) =>
    p.then(
      (r) => r,
      (e: Error) => e.message,
    );
  const options: LoadOptions[] = [
    {},
    { strict: true },
    { where: "step >= 2" },
    { where: "loss > 3" },
  ];
  for (const [name, file] of Object.entries(cases))
    for (const o of options) {
      const direct = await said(imported(file, { metric: "loss", ...o }));
      const before = await said(staged(file, { metric: "loss", ...o }));
      assert.deepEqual(direct, before, `${name} ${JSON.stringify(o)}`);
    }
  const w = await imported(cases.interleaved, { metric: "loss" });
  assert.deepEqual([w.inserted, w.rows, w.stored.length], [6, 6, 6]);
  assert.deepEqual(w.warnings, [
    `${cases.interleaved}: skipped 6 rows with no loss (\`strict\` refuses them)`,
  ]);
  assert.match(
    String(await said(imported(cases.unreadable))),
    /runs\.csv:9:5: loss is not a finite number \("n\/a"\)/,
  );
});

test("a where over canonical columns: straight from the file, the staged route's rows and words", async () => {
  const files = {
    clean: csv(CLEAN),
    // Untrained checkpoints and an unreadable step, in rows the filter drops or keeps.
    gaps: csv([...CLEAN, "c,3e8,0,0,9", "c,3e8,1e9,x,3.1", "d,4e8,1e9,1,2.9"]),
    repeated: csv([...CLEAN, CLEAN[1]]),
  };
  const filters = [
    "step > 1",
    "loss < 3.1 OR model = 'b'",
    "tokens > 0 AND model <> 'c'",
    "params BETWEEN 1e8 AND 3e8",
    "model = 'zzz'",
    "model > 3",
  ];
  const said = (p: Promise<unknown>) =>
    p.then(
      (r) => r,
      (e: Error) => e.message,
    );
  for (const [name, file] of Object.entries(files))
    for (const where of filters) {
      const direct = await said(imported(file, { where }));
      const before = await said(staged(file, { where }));
      assert.deepEqual(direct, before, `${name}: ${where}`);
    }
  const kept = await imported(files.clean, { where: "step > 1" });
  assert.deepEqual([kept.inserted, kept.rows, kept.stored.length], [4, 4, 4]);
});
