import assert from "node:assert/strict";
import { test } from "node:test";
import { loadRuns } from "../../src/data/load.js";
import { parseWhere, validateWhere, whereColumns } from "../../src/data/where.js";
import { InputError } from "../../src/errors.js";
import { writeTemp } from "./files.js";

const accepts = (w: string) => assert.doesNotThrow(() => validateWhere(w), w);
const refuses = (w: string, why: RegExp) =>
  assert.throws(
    () => validateWhere(w, ["loss", "params"]),
    (e: unknown) =>
      e instanceof InputError &&
      e.field === "where" &&
      why.test(e.message) &&
      !e.message.includes("\n"),
    w,
  );

test("filters: comparisons, boolean logic, IN, BETWEEN, IS NULL, LIKE, quoted columns, a few functions", () => {
  for (const w of [
    "loss < 4",
    "loss < 4 AND params >= 1e8",
    "NOT (family = 'a' OR family = 'it''s') and step is not null",
    "model IN ('m1', 'm2') AND params NOT BETWEEN 1e7 AND .5e9",
    "model not like 'pythia-%' or model ILIKE '%DEDUPED'",
    '"Model Size" <> 3 AND "a ""b""" != -2.5e-3',
    "log10(params) * 2 + abs(loss - 3) % 2 > least(1, 2, 3) AND 'x' || model = lower(model)",
    "isfinite(loss)",
    "step IS NULL",
    "coalesce(unique_tokens, tokens) == tokens",
  ])
    accepts(w);
});

test("anything else is refused with the character where it stops fitting", () => {
  // The reliability sweep's escapes (issue 10): a file read into the error, a folder listed, an
  // extension downloaded, an unbounded table function; and statements, casts, comments.
  refuses(
    "CAST((SELECT content FROM read_text('/etc/passwd')) AS INTEGER) > 0",
    /function CAST\(\) is not allowed in a filter at character 1/,
  );
  refuses("(SELECT 1) = 1", /expected "\)", found "1" at character 9/);
  refuses("glob('/root/*') IS NULL", /glob\(\) is not allowed/);
  refuses("(SELECT count(*) FROM read_csv('http://x/y.csv')) > 0", /at character 9/);
  refuses("(SELECT max(range) FROM range(1e12)) > 0", /at character 9/);
  refuses("loss < 4; DROP TABLE runs", /unexpected ";" at character 9/);
  refuses("loss::INTEGER = 3", /unexpected ":" at character 5/);
  refuses("loss < 4 -- comment", /comments are not allowed at character 10/);
  refuses("store.runs.loss < 4", /unexpected "\." at character 6/);
  refuses("loss <", /found the end at character 7/);
  refuses("model = 'open", /unterminated 'text' at character 9/);
  refuses("", /empty condition/);
  refuses("loss IS 3", /expected NULL after IS/);
  refuses("loss NOT 3", /expected IN, BETWEEN or LIKE after NOT/);
  refuses("1abc > 0", /malformed number/);
  refuses("loss < 4 /* x */", /comments are not allowed at character 10/);
  refuses(`${"(".repeat(100)}loss${")".repeat(100)} < 4`, /nested deeper than 64 levels/);
  refuses(`${"NOT ".repeat(100)}loss < 4`, /nested deeper than 64 levels/);
  refuses(`loss < ${"1".repeat(5000)}`, /longer than 4096 characters/);
});

test("loadRuns applies an accepted filter and refuses a query with exit-2 errors", async () => {
  const f = writeTemp("w.csv", "model,params,tokens,loss\na,1e8,1e9,3.5\nb,2e8,1e9,3.1\n");
  assert.deepEqual((await loadRuns(f, { where: "params BETWEEN 1.5e8 AND 3e8" })).model, ["b"]);
  await assert.rejects(
    loadRuns(f, { where: "length((SELECT string_agg(name, ',') FROM glob('/*'))) > 0" }),
    (e: unknown) =>
      e instanceof InputError &&
      /length\(\(SELECT/.test(e.message) &&
      /at character 16/.test(e.message),
  );
  // Unknown columns are still found by DuckDB's binder, as one line.
  await assert.rejects(
    loadRuns(f, { where: "lossy < 4" }),
    (e: unknown) => e instanceof InputError && /cannot use `where` "lossy < 4"/.test(e.message),
  );
});

test("the connection that runs a filter cannot read files or load extensions, even through DuckDB", async () => {
  const { openMemoryDb, sealDb } = await import("../../src/data/duckdb.js");
  const db = await openMemoryDb();
  try {
    await sealDb(db.conn);
    for (const sql of [
      "SELECT * FROM read_text('/etc/passwd')",
      "SELECT * FROM glob('/root/*')",
      "SELECT * FROM read_csv('http://127.0.0.1:9/x.csv')",
      "SET enable_external_access = true",
      "INSTALL httpfs",
    ])
      await assert.rejects(
        db.conn.run(sql),
        /disabled by configuration|locked|Permission|not allowed|disabled/i,
        sql,
      );
    assert.equal(
      (await db.conn.runAndReadAll("SELECT current_setting('temp_directory') AS t"))
        .getRowObjects()[0]
        .t?.toString()
        .includes("scaleladder-duckdb-"),
      true,
    );
  } finally {
    db.close();
  }
});

test("whereColumns lists every column a filter names, lower case and unquoted", () => {
  const names = (w: string) => [...whereColumns(parseWhere(w))].sort();
  assert.deepEqual(names('"My ""x""" > 1 AND abs(Loss) IN (1, b, 2 * C)'), [
    "b",
    "c",
    "loss",
    'my "x"',
  ]);
  assert.deepEqual(
    names("NOT (step BETWEEN lo AND hi) OR model LIKE pat OR tokens IS NULL OR -flops < 0"),
    ["flops", "hi", "lo", "model", "pat", "step", "tokens"],
  );
  assert.deepEqual(names("1 < 2 AND 'loss' = 'x'"), []);
});
