import assert from "node:assert/strict";
import { test } from "node:test";
import { openMemoryDb } from "../../src/data/duckdb.js";
import { loadRuns } from "../../src/data/load.js";
import { type LoadOptions, stageFile, stageFiles } from "../../src/data/stage.js";
import { InputError, InputErrors } from "../../src/errors.js";
import { parquetOf, writeTemp } from "./files.js";

/**
 * The staged route quotes unreadable cells and skips rows with empty cells from the canonical
 * table alone (the text of each unreadable cell rides in it), without reading the file again. The
 * expected lines and counts are written here from the cells planted in each file (line = row + 2,
 * column = the cell's position); the same file passed this test before the change, when both
 * steps joined the canonical rows back to the file.
 */

/** Stages `file` and returns what it says: the problems (file:line:column: reason) or the rows. */
async function stage(
  file: string,
  o: LoadOptions = {},
): Promise<
  | { problems: string[] }
  | { warnings: string[]; rows: { r: number; model: string; tokens: number; value: number }[] }
> {
  const db = await openMemoryDb();
  try {
    const s = await stageFile(db.conn, file, o, "t");
    const got = await db.conn.runAndReadAll(
      "SELECT r::DOUBLE AS r, model, tokens, value FROM t ORDER BY r",
    );
    return {
      warnings: s.warnings,
      rows: got.getRowObjects().map((x) => ({
        r: Number(x.r),
        model: String(x.model),
        tokens: Number(x.tokens),
        value: Number(x.value),
      })),
    };
  } catch (e) {
    assert.ok(e instanceof InputError, String(e));
    const list = e instanceof InputErrors ? e.problems : [e];
    return { problems: list.map((p) => `${p.file}:${p.line}:${p.column}: ${p.reason}`) };
  } finally {
    db.close();
  }
}

const HEADER = "family,model,params,tokens,loss,step,budget";

test("unreadable cells are quoted, and empty ones told apart, in file order", async () => {
  const file = writeTemp(
    "bad.csv",
    `${[
      HEADER,
      "toy,s,125M,1e9,3.9,1000,5",
      "toy,s,abc,2e9,3.6,2000,5", // line 3: text in a required number
      "toy,s,125M,3e9,\t,3000,5", // line 4: a tab only (SQL's trim keeps it): empty, not skipped
      "toy,s,125M,4e9,NaN,4000,5", // line 5: not finite
      "toy,m,350M,1e9,3.6,x7,5", // line 6: text in an optional number
      "toy,m,350M,2e9,3.3,,5", // an empty optional number is no problem
      "toy,m,350M,3e9,3.2,3000,1e", // line 8: text in an extra column
      "toy,,350M,4e9,3.15,4000,5", // line 9: no model
      "toy,l,,2e9,3.1,2000,5", // line 10: no params: skipped (refused with strict)
      "toy,l,1.3B,3e9,,3000,x", // line 11: no loss: skipped, its budget never looked at
      "toy,l,1.3B,0,3.0,0,5", // untrained: skipped
    ].join("\n")}\n`,
  );
  const o: LoadOptions = { extraColumns: ["budget"] };
  const bad = [
    `${file}:3:3: params is not a finite number ("abc")`,
    `${file}:4:5: loss is empty`,
    `${file}:5:5: loss is not a finite number ("NaN")`,
    `${file}:6:6: step is not a finite number ("x7")`,
    `${file}:8:7: budget is not a finite number ("1e")`,
    `${file}:9:2: model is empty`,
  ];
  assert.deepEqual(await stage(file, o), { problems: bad });
  const strict = [
    ...bad,
    `${file}:10:3: params is empty`,
    `${file}:11:5: loss is empty`,
    `${file}:11:7: budget is not a finite number ("x")`,
  ].sort((a, b) => Number(a.split(":")[1]) - Number(b.split(":")[1]));
  assert.deepEqual(await stage(file, { ...o, strict: true }), { problems: strict });
});

test("a typed column's unreadable cell is quoted as DuckDB prints it", async () => {
  const file = await parquetOf(
    "SELECT 'toy' AS family, 's' AS model, 1e8 AS params, x * 1e9 AS tokens, CASE WHEN x = 2 THEN 'inf'::DOUBLE ELSE 3.0 / x END AS loss FROM range(1, 4) r(x)",
    "typed.parquet",
  );
  assert.deepEqual(await stage(file), {
    problems: [`${file}:2:loss: loss is not a finite number ("inf")`], // the 2nd record
  });
});

test("interleaved metrics: incomplete rows are skipped with counts, the rest kept in order", async () => {
  // A W&B history: each row holds one metric of a step, so most rows lack any one of them.
  const lines = ["model,params,tokens,loss,acc,step"];
  const kept: { r: number; model: string; tokens: number; value: number }[] = [];
  for (let i = 0; i < 40; i++) {
    const step = Math.floor(i / 2) + 1;
    const tokens = step === 1 ? 0 : step * 1e6; // step 1 is untrained
    if (i % 2 === 1) lines.push(`a,1e7,${tokens},,0.${i},${step}`);
    else if (i === 10)
      lines.push(`a,,${tokens},3.${i},,${step}`); // no params
    else if (i === 20)
      lines.push(`a,1e7,,3.${i},,${step}`); // no tokens
    else if (i === 30)
      lines.push(`a,1e7,${tokens},  ,,${step}`); // spaces only: no loss
    else {
      lines.push(`a,1e7,${tokens},3.${i},,${step}`);
      if (tokens > 0) kept.push({ r: i, model: "a", tokens, value: Number(`3.${i}`) });
    }
  }
  const file = writeTemp("history.csv", `${lines.join("\n")}\n`);
  const got = await stage(file);
  assert.deepEqual(got, {
    warnings: [
      `${file}: skipped 21 rows with no loss; 1 row with no params; 1 row with no tokens; 1 untrained checkpoint (tokens = 0) (\`strict\` refuses them)`,
    ],
    rows: kept,
  });
});

test("a filter over canonical columns alone keeps the rows the file-joined filter keeps", async () => {
  // The canonical table answers such a filter without reading the file again; the same condition
  // with a clause on the file's own `budget` column (true in every row) takes the joined route.
  const lines = [HEADER];
  for (let i = 0; i < 60; i++) {
    const model = ["s", "m", "l"][i % 3];
    const params = { s: "125M", m: "350M", l: "1.3e9" }[model];
    const step = i % 7 === 0 ? "" : String(1000 * (i + 1));
    lines.push(
      `toy${i % 2},${model},${params},${(i + 1) * 1e8},${(4 - i / 30).toFixed(3)},${step},5`,
    );
  }
  const file = writeTemp("filters.csv", `${lines.join("\n")}\n`);
  const filters = [
    "loss < 3.2",
    "value >= 3 AND params > 2e8",
    '"Step" > 20000 OR step IS NULL',
    "model IN ('s', 'l') AND NOT (tokens BETWEEN 1e9 AND 3e9)",
    "family = 'toy1' AND metric = 'loss' AND seed = '0'",
    "step > 30000",
    "abs(loss - 3.5) < 0.2 OR lower(model) LIKE 'm%'",
  ];
  for (const where of filters) {
    const alone = await stage(file, { where });
    const joined = await stage(file, { where: `(${where}) AND budget IS NOT NULL` });
    assert.ok("rows" in alone && alone.rows.length > 0, where);
    assert.deepEqual(alone, joined, where);
  }
});

test("a filter over the file's own columns keeps the rows the same filter in JavaScript keeps", async () => {
  // The columns a filter names are kept beside the canonical rows as they are read (no second read
  // joined back by row). A text column counts as numbers when every cell of the file is a number or
  // empty: `budget` is, so 10 > 3; `tag` is not.
  const lines = [`${HEADER},tag`];
  const rows: { r: number; loss: number; budget: number | null; tag: string }[] = [];
  for (let i = 0; i < 42; i++) {
    const budget = i % 5 === 0 ? null : [10, 2, 5, 30][i % 4];
    const tag = ["a", "b", "a c"][i % 3];
    const loss = 4 - i / 30;
    rows.push({ r: i, loss: Number(loss.toFixed(3)), budget, tag });
    lines.push(
      `toy,${["s", "m"][i % 2]},${i % 2 ? "350M" : "125M"},${(i + 1) * 1e8},${loss.toFixed(3)},${1000 * (i + 1)},${budget ?? ""},${tag}`,
    );
  }
  const file = writeTemp("own.csv", `${lines.join("\n")}\n`);
  const cases: [string, (x: (typeof rows)[number]) => boolean][] = [
    ["budget > 3", (x) => x.budget !== null && x.budget > 3],
    ["tag = 'a' AND budget <= 5", (x) => x.tag === "a" && x.budget !== null && x.budget <= 5],
    ["BUDGET IS NULL OR loss < 3.3", (x) => x.budget === null || x.loss < 3.3],
    [
      "\"tag\" LIKE 'a%' AND NOT budget IN (2, 30)",
      (x) => x.tag.startsWith("a") && x.budget !== null && ![2, 30].includes(x.budget),
    ],
  ];
  for (const [where, keep] of cases) {
    const got = await stage(file, { where });
    assert.ok("rows" in got, where);
    assert.deepEqual(
      got.rows.map((x) => x.r),
      rows.filter(keep).map((x) => x.r),
      where,
    );
  }
});

test("a text column of a long file is a number column only if every row of the file, not only the metric's, holds numbers", async () => {
  // The metric's rows are the same in both files; the other metric's `shots` cells differ.
  const make = (other: string) => {
    const lines = ["family,model,params,tokens,step,metric,value,shots"];
    for (let i = 0; i < 12; i++) {
      lines.push(
        `toy,m,1e8,${(i + 1) * 1e8},${i + 1},loss,${4 - i / 10},${["5", "5.0", "10"][i % 3]}`,
      );
      lines.push(`toy,m,1e8,${(i + 1) * 1e8},${i + 1},acc,0.5,${other}`);
    }
    return writeTemp(`shots-${other.replace("/", "")}.csv`, `${lines.join("\n")}\n`);
  };
  const kept = async (file: string, where: string) => {
    const got = await stage(file, { metric: "loss", where });
    assert.ok("rows" in got, where);
    return got.rows.map((x) => x.r);
  };
  // Records of the loss rows are 0, 2, 4, …: shots "5" at 0, 6, 12, 18; "5.0" at 2, 8, 14, 20.
  const fives = [0, 2, 6, 8, 12, 14, 18, 20];
  assert.deepEqual(await kept(make("7"), "shots = '5.0'"), fives);
  assert.deepEqual(await kept(make("n/a"), "shots = '5.0'"), [2, 8, 14, 20]);
});

/**
 * A run resumed from its step-1 state after a crash at step 3 logs steps 2 and 3 again, with other
 * losses: the later rows are the run that went on. Run b, logged once, sits between them.
 */
const RESUMED = [
  "family,model,params,tokens,loss,step",
  "f,a,1e8,1e9,3.5,1",
  "f,a,1e8,2e9,3.2,2",
  "f,a,1e8,3e9,3.0,3",
  "f,b,2e8,1e9,3.3,1",
  "f,b,2e8,2e9,3.1,2",
  "f,a,1e8,2e9,3.25,2",
  "f,a,1e8,3e9,3.05,3",
  "f,a,1e8,4e9,2.9,4",
];

test("a resumed run's repeated checkpoints: refused by default, or the first or the last of each kept", async () => {
  const file = writeTemp("resumed.csv", `${RESUMED.join("\n")}\n`);
  const refused = await stage(file);
  assert.ok("problems" in refused);
  assert.deepEqual(refused.problems, [
    `${file}:7:5: duplicate checkpoint of model "a" at step 2: loss 3.25 here but 3.2 at line 3`,
    `${file}:8:5: duplicate checkpoint of model "a" at step 3: loss 3.05 here but 3 at line 4`,
  ]);
  // Rows are kept in file order, numbered as read (r = line - 2).
  const rowsOf = (x: Awaited<ReturnType<typeof stage>>) => {
    assert.ok("rows" in x, JSON.stringify(x));
    return x.rows.map((r) => `${r.r} ${r.model} ${r.tokens / 1e9} ${r.value}`);
  };
  const last = await stage(file, { repeats: "last" });
  assert.deepEqual(rowsOf(last), [
    "0 a 1 3.5",
    "3 b 1 3.3",
    "4 b 2 3.1",
    "5 a 2 3.25",
    "6 a 3 3.05",
    "7 a 4 2.9",
  ]);
  assert.ok("warnings" in last);
  assert.deepEqual(last.warnings, [
    `${file}: 2 rows log a checkpoint of their run again; kept the last of each`,
  ]);
  const first = await stage(file, { repeats: "first" });
  assert.deepEqual(rowsOf(first), [
    "0 a 1 3.5",
    "1 a 2 3.2",
    "2 a 3 3",
    "3 b 1 3.3",
    "4 b 2 3.1",
    "7 a 4 2.9",
  ]);
  // A file without repeats is unchanged, and says nothing more.
  const once = writeTemp("once.csv", `${RESUMED.slice(0, 6).join("\n")}\n`);
  assert.deepEqual(await stage(once, { repeats: "last" }), await stage(once));
  const db = await openMemoryDb();
  const wrong = await stageFile(db.conn, file, { repeats: "latest" as "last" })
    .catch((e: unknown) => e)
    .finally(() => db.close());
  assert.ok(wrong instanceof InputError);
  assert.equal(wrong.field, "repeats");
});

test("a run resumed into a second file keeps its last rows across the files, and fit reads the same", async () => {
  const a = writeTemp("part1.csv", `${RESUMED.slice(0, 4).join("\n")}\n`);
  const b = writeTemp("part2.csv", `${[RESUMED[0], ...RESUMED.slice(6)].join("\n")}\n`);
  const db = await openMemoryDb();
  try {
    const s = await stageFiles(db.conn, [{ path: a }, { path: b }], { repeats: "last" }, "t");
    const got = await db.conn.runAndReadAll("SELECT step, value FROM t ORDER BY r");
    assert.deepEqual(got.getRows(), [
      [1, 3.5],
      [2, 3.25],
      [3, 3.05],
      [4, 2.9],
    ]);
    assert.equal(s.rows, 4);
  } finally {
    db.close();
  }
  const file = writeTemp("resumed.csv", `${RESUMED.join("\n")}\n`);
  const t = await loadRuns(file, { repeats: "last" });
  assert.deepEqual(Array.from(t.value), [3.5, 3.3, 3.1, 3.25, 3.05, 2.9]);
});
