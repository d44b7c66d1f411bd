import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { loadRuns } from "../../src/data/load.js";
import { InputError, InputErrors } from "../../src/errors.js";
import { LADDER_CSV, parquetOf, tempDir, writeTemp } from "./files.js";

/** The problems a load reports, as printed lines (`file:line:column: reason; hint: …`). */
async function problems(path: string | readonly string[], options = {}): Promise<string[]> {
  try {
    await loadRuns(path, options);
  } catch (e) {
    assert.ok(e instanceof InputError, `expected an InputError, got ${e}`);
    // Paths are shown without their temporary folder, so expectations read as the user sees them.
    const strip = (m: string) => m.replace(/\/tmp\/scaleladder-data-[^/]+\//g, "");
    return e instanceof InputErrors ? e.problems.map((p) => strip(p.message)) : [strip(e.message)];
  }
  assert.fail("expected the load to fail");
}

const csv = (name: string, text: string) => writeTemp(name, text);

test("missing required columns list what was found and suggest the closest name", async () => {
  const [p] = await problems(csv("m.csv", "parms,tokens,loss\n1e8,1e9,3\n"));
  assert.match(
    p,
    /m\.csv:1: missing required column "params" \(found: parms, tokens, loss\); hint: did you mean "parms"\? map it with `params` "parms"/,
  );
  const [q] = await problems(csv("n.csv", "params,loss\n1e8,3\n"));
  assert.match(q, /missing required column "tokens".*`flops`/);
});

test("all missing required columns in one message, each with its did-you-mean", async () => {
  const out = await problems(csv("w.csv", "parms,tokns,los,step\n1e8,1e9,3,1\n"));
  assert.equal(out.length, 1);
  assert.equal(
    out[0],
    'w.csv:1: missing required columns "loss", "params", "tokens" (found: parms, tokns, los, step); hint: loss: did you mean "los"? map it with `loss` "los"; params: did you mean "parms"? map it with `params` "parms"; tokens: did you mean "tokns"? map it with `tokens` "tokns"',
  );
});

test("non-numeric, empty (with --strict) and non-finite cells: file:line:column, the raw text quoted", async () => {
  const out = await problems(
    csv("c.csv", "params,tokens,loss\n1e8,2e9,n/a\n1e8,,3\n1e8,inf,3\n2e8,3e9,NaN\n"),
    { strict: true },
  );
  assert.equal(out.length, 4);
  assert.match(out[0], /c\.csv:2:3: loss is not a finite number \("n\/a"\); hint: /);
  assert.match(out[1], /c\.csv:3:2: tokens is empty; hint: /);
  assert.match(out[2], /c\.csv:4:2: tokens is not a finite number \("inf"\)/);
  assert.match(out[3], /c\.csv:5:3: loss is not a finite number \("NaN"\)/);
});

test("params, tokens (with --strict) or loss ≤ 0 are refused, naming the cell", async () => {
  const out = await problems(
    csv("z.csv", "params,tokens,loss\n-1e8,1e9,3\n1e8,0,3\n1e8,1e9,0\n1e8,2e9,-2\n"),
    { strict: true },
  );
  assert.deepEqual(
    out.map((l) => l.split(";")[0]),
    [
      "z.csv:2:1: params must be positive, got -100000000",
      "z.csv:3:2: tokens must be positive, got 0",
      "z.csv:4:3: loss must be positive, got 0",
      "z.csv:5:3: loss must be positive, got -2",
    ],
  );
});

test("without --strict, empty cells and tokens = 0 are skipped and counted, text in a number cell is not", async () => {
  const out = await problems(
    csv("c.csv", "params,tokens,loss\n1e8,2e9,n/a\n1e8,,3\n1e8,0,3\n2e8,3e9,\n"),
  );
  assert.equal(out.length, 1);
  assert.match(out[0], /c\.csv:2:3: loss is not a finite number \("n\/a"\)/);
  const t = await loadRuns(
    csv("d.csv", "params,tokens,loss\n1e8,2e9,3.5\n1e8,,3\n1e8,0,3\n2e8,3e9,\n,4e9,3\n"),
  );
  assert.equal(t.length, 1);
  assert.deepEqual(
    t.warnings?.map((w) => w.replace(/^.*d\.csv/, "d.csv")),
    [
      "d.csv: skipped 1 row with no loss; 1 row with no params; 1 row with no tokens; 1 untrained checkpoint (tokens = 0) (`strict` refuses them)",
    ],
  );
});

test("a model whose params change between rows", async () => {
  const [p] = await problems(
    csv("s.csv", "model,params,tokens,loss,step\na,1e8,1e9,3,1\na,1.1e8,2e9,2.9,2\n"),
  );
  assert.match(
    p,
    /s\.csv:3:2: model "a" has params 110000000 here but 100000000 at line 2; hint: one run has one size/,
  );
});

test("duplicate (model, step, seed, metric) rows with different values; equal duplicates pass", async () => {
  const [p] = await problems(
    csv("d.csv", "model,params,tokens,loss,step\na,1e8,1e9,3,1\na,1e8,1e9,3.1,1\n"),
  );
  assert.match(
    p,
    /d\.csv:3:4: duplicate checkpoint of model "a" at step 1: loss 3\.1 here but 3 at line 2/,
  );
  const ok = await loadRuns(
    csv("e.csv", "model,params,tokens,loss,step,seed\na,1e8,1e9,3,1,0\na,1e8,1e9,3.1,1,1\n"),
  );
  assert.equal(ok.length, 2, "different seeds are different runs");
});

test("tokens that go down as steps go up", async () => {
  const [p] = await problems(
    csv("t.csv", "model,params,tokens,loss,step\na,1e8,2e9,3,2\na,1e8,1e9,3.1,3\n"),
  );
  assert.match(
    p,
    /t\.csv:3:3: tokens go down as steps go up in model "a": 1000000000 at step 3 but 2000000000 at step 2 \(line 2\)/,
  );
});

test("line numbers count blank lines and cells that span lines", async () => {
  const [p] = await problems(
    csv("l.csv", 'model,params,tokens,loss\n"multi\nline",1e8,1e9,3\n\nb,1e8,1e9,x\n'),
  );
  assert.match(p, /^l\.csv:5:4: loss is not a finite number/);
});

test("JSON and Parquet name the record and the column", async () => {
  const [j] = await problems(
    writeTemp(
      "r.jsonl",
      '{"params":1e8,"tokens":1e9,"loss":3}\n\n{"params":"big","tokens":1e9,"loss":3}\n',
    ),
  );
  assert.match(j, /r\.jsonl:3:params: params is not a finite number \("big"\)/);
  const pq = await parquetOf(
    "SELECT 1e8 AS params, t AS tokens, x AS loss FROM (VALUES (1e9, 3.0), (2e9, -1.0)) v(t, x)",
    "n.parquet",
  );
  const [q] = await problems(pq);
  assert.match(q, /n\.parquet:2:loss: loss must be positive, got -1/);
});

test("empty files, header-only files and wrong file types", async () => {
  assert.match(
    (await problems(csv("e.csv", "")))[0],
    /e\.csv: file is empty; hint: expected a header line/,
  );
  assert.match((await problems(csv("h.csv", "params,tokens,loss\n")))[0], /h\.csv: no rows/);
  assert.match((await problems(writeTemp("e.jsonl", "\n\n")))[0], /file is empty/);
  assert.match(
    (await problems(csv("x.xlsx", "PK")))[0],
    /unsupported file type "\.xlsx"; hint: give a csv, tsv, json, jsonl or parquet file/,
  );
  assert.match(
    (await problems(csv("j.csv", '[{"params": 1}]')))[0],
    /j\.csv:1: looks like JSON, not CSV; hint: pass `format` json/,
  );
  assert.match(
    (await problems(writeTemp("b.csv", Buffer.from([0x00, 0x01, 0x02, 0xff]))))[0],
    /not a CSV text file \(it looks like binary data\)/,
  );
  assert.match(
    (await problems(writeTemp("g.csv", Buffer.from([0x1f, 0x8b, 0x08, 0x00]))))[0],
    /looks like gzip\); hint: decompress it first/,
  );
  assert.match(
    (await problems(csv("p.parquet", LADDER_CSV)))[0],
    /p\.parquet: not a Parquet file \(it looks like text\)/,
  );
  assert.match((await problems(`${tempDir()}/none.csv`))[0], /no such file/);
  assert.match(
    (await problems(csv("x.csv", "a"), { format: "xls" }))[0],
    /format: unknown format "xls"/,
  );
});

test("a Parquet file under a CSV name, and a truncated Parquet file", async () => {
  const pq = await parquetOf("SELECT 1e8 AS params, 1e9 AS tokens, 3.0 AS loss", "ok.parquet");
  const renamed = `${tempDir()}/ok.csv`;
  writeFileSync(renamed, readFileSync(pq));
  assert.match(
    (await problems(renamed))[0],
    /not a CSV text file \(it looks like parquet\); hint: pass `format` parquet/,
  );
  const bytes = readFileSync(pq);
  const cut = writeTemp("cut.parquet", bytes.subarray(0, Math.floor(bytes.length / 2)));
  assert.match(
    (await problems(cut))[0],
    /cut\.parquet: truncated Parquet file \(its footer is missing\)/,
  );
  // Footer magic intact but the middle damaged: DuckDB's own complaint, still one line.
  const damaged = Buffer.from(bytes);
  damaged.fill(0x41, 4, damaged.length - 8);
  const [d] = await problems(writeTemp("bad.parquet", damaged));
  assert.match(d, /^[^\n]*bad\.parquet: cannot read Parquet: [^\n]+; hint: /);
});

test("ragged rows and unterminated quotes point at their line", async () => {
  assert.match(
    (await problems(csv("r.csv", "params,tokens,loss\n1e8,1e9,3\n1e8,1e9\n")))[0],
    /r\.csv:3: expected 3 cells as in the header, found 2/,
  );
  assert.match(
    (await problems(csv("u.csv", 'params,tokens,loss\n1e8,1e9,"3\n')))[0],
    /u\.csv:2: unterminated quoted cell/,
  );
});

test("up to 20 problems are listed before stopping", async () => {
  const rows = Array.from({ length: 30 }, () => "1e8,1e9,oops").join("\n");
  try {
    await loadRuns(csv("many.csv", `params,tokens,loss\n${rows}\n`));
    assert.fail("should fail");
  } catch (e) {
    assert.ok(e instanceof InputErrors);
    assert.equal(e.problems.length, 20);
    const lines = e.message.split("\n");
    assert.equal(lines.length, 21);
    assert.match(lines[0], /^20\+ problems in .*many\.csv \(showing the first 20\)$/);
    assert.match(lines[20], /many\.csv:21:3: loss is not a finite number/);
  }
});

test("--where that does not parse, or keeps nothing, is an input error naming --where", async () => {
  const path = csv("w.csv", LADDER_CSV);
  assert.match(
    (await problems(path, { where: "loss <" }))[0],
    /^where: cannot use `where` "loss <"/,
  );
  assert.match((await problems(path, { where: "1=1; DROP TABLE x" }))[0], /^where: cannot use/);
  assert.match((await problems(path, { where: "lss < 3" }))[0], /"lss" not found/);
  assert.match(
    (await problems(path, { where: "loss > 100" }))[0],
    /no rows satisfy `where` "loss > 100"/,
  );
});

test("rows of one checkpoint that differ in another column name it, and a `where` that keeps one kind", async () => {
  // An eval log: two tasks at two shot counts, each with its stderr (a measurement: listed last).
  const evals = [
    "model,params,tokens,step,task,shots,metric,value,stderr",
    "a,1e8,1e9,1,lambada,0,acc,0.41,0.011",
    "a,1e8,1e9,1,arc easy,0,acc,0.52,0.013",
    "a,1e8,1e9,1,lambada,5,acc,0.45,0.012",
    "b,2e8,1e9,1,lambada,0,acc,0.47,0.010",
  ].join("\n");
  const file = csv("evals.csv", `${evals}\n`);
  const [p] = await problems(file, { metric: "acc" });
  assert.equal(
    p,
    'evals.csv:3:8: duplicate checkpoint of model "a" at step 1: acc 0.52 here but 0.41 at line 2; hint: the two rows differ in task ("arc easy" here, "lambada" at line 2), stderr ("0.013" here, "0.011" at line 2): keep one kind with `where`, e.g. `where` "task = \'arc easy\'"',
  );
  // That condition leaves the shots apart: a column of few numbers is a kind too.
  const [q] = await problems(file, { metric: "acc", where: "task = 'lambada'" });
  assert.match(
    q,
    /evals\.csv:4:8: .*; hint: the two rows differ in shots \("5" here, "0" at line 2\), stderr .*: keep one kind with `where`, e.g. `where` "shots = 5"$/,
  );
  const kept = await loadRuns(file, { metric: "acc", where: "task = 'lambada' AND shots = 0" });
  assert.deepEqual([...kept.value], [0.41, 0.47]);
});

test("a repeat that differs only in measurements (a logger's timestamp) keeps the resumed-run hint", async () => {
  const rows = ["model,params,tokens,step,loss,_timestamp"];
  for (let i = 0; i < 40; i++)
    rows.push(`a,1e8,${(i + 1) * 1e8},${i + 1},${4 - i / 100},${1e9 + i}`);
  rows.push(`a,1e8,${40e8},40,3.5,${2e9}`);
  const [p] = await problems(csv("resumed.csv", `${rows.join("\n")}\n`));
  assert.match(
    p,
    /duplicate checkpoint of model "a" at step 40: .*; hint: keep one of the two rows \(`repeats` last/,
  );
});

test("a column named for seeds that tells two rows apart is pointed at as the seed column", async () => {
  const [p] = await problems(
    csv(
      "seeds.csv",
      "model,params,tokens,step,loss,run_seed\na,1e8,1e9,1,3,7\na,1e8,1e9,1,3.1,8\n",
    ),
  );
  assert.match(
    p,
    /hint: the two rows differ in run_seed \("8" here, "7" at line 2\): tell the runs apart with `seed` "run_seed"$/,
  );
});

test("rows of one checkpoint in two files name what tells them apart, by each file's line", async () => {
  const dir = tempDir();
  const a = join(dir, "m1.csv");
  const b = join(dir, "m2.csv");
  writeFileSync(a, "model,params,tokens,step,task,loss\na,1e8,1e9,1,x,3\n");
  writeFileSync(b, "model,params,tokens,step,task,loss\nb,1e8,1e9,1,x,3\na,1e8,1e9,1,y,3.1\n");
  const [p] = await problems([a, b], { defaultFamily: "f" });
  assert.match(
    p,
    /m2\.csv:3:6: duplicate checkpoint of model "a" at step 1: loss 3\.1 here but 3 at line 2 of .*m1\.csv; hint: the two rows differ in task \("y" here, "x" at line 2 of .*m1\.csv\): keep one kind with `where`, e\.g\. `where` "task = 'y'"$/,
  );
});
