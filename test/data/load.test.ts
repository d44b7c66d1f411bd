import assert from "node:assert/strict";
import { test } from "node:test";
import { loadRuns } from "../../src/data/load.js";
import { LADDER_CSV, parquetOf, writeTemp } from "./files.js";

test("CSV in the canonical layout: sizes with suffixes, flops derived as 6·N·D, file order kept", async () => {
  const t = await loadRuns(writeTemp("ladder.csv", LADDER_CSV));
  assert.equal(t.length, 12);
  assert.equal(t.params[0], 125e6);
  assert.equal(t.params[8], 1.3e9);
  assert.equal(t.flops[0], 6 * 125e6 * 1e9);
  assert.deepEqual([...new Set(t.model)], ["s", "m", "l"]);
  assert.equal(t.metric[0], "loss");
  assert.equal(t.step[3], 4000);
  assert.equal(t.family[0], "toy");
  assert.deepEqual(t.warnings, []);
});

test("TSV, JSON (array), JSONL and Parquet (zstd, snappy) give the same table", async () => {
  const csv = await loadRuns(writeTemp("a.csv", LADDER_CSV));
  const lines = LADDER_CSV.trim().split("\n");
  const head = lines[0].split(",");
  const objects = lines
    .slice(1)
    .map((l) =>
      Object.fromEntries(
        l.split(",").map((c, i) => [head[i], /^[\d.e]+$/.test(c) ? Number(c) : c]),
      ),
    );
  const variants = [
    await loadRuns(writeTemp("a.tsv", LADDER_CSV.replace(/,/g, "\t"))),
    await loadRuns(writeTemp("a.json", JSON.stringify(objects))),
    await loadRuns(writeTemp("a.jsonl", objects.map((o) => JSON.stringify(o)).join("\n\n"))),
    await loadRuns(
      await parquetOf(
        `SELECT * FROM read_csv('${writeTemp("p.csv", LADDER_CSV)}', all_varchar = true)`,
        "a.parquet",
        "zstd",
      ),
    ),
    await loadRuns(
      await parquetOf(
        `SELECT * FROM read_csv('${writeTemp("p.csv", LADDER_CSV)}')`,
        "b.parquet",
        "snappy",
      ),
    ),
  ];
  for (const t of variants) {
    assert.equal(t.length, csv.length, t.origin);
    assert.deepEqual(Array.from(t.params), Array.from(csv.params), t.origin);
    assert.deepEqual(Array.from(t.tokens), Array.from(csv.tokens), t.origin);
    assert.deepEqual(Array.from(t.value), Array.from(csv.value), t.origin);
    assert.deepEqual(t.model, csv.model, t.origin);
    assert.deepEqual(t.seed, csv.seed, t.origin);
  }
});

test("--format overrides the extension", async () => {
  const t = await loadRuns(writeTemp("runs.txt", LADDER_CSV), { format: "csv" });
  assert.equal(t.length, 12);
});

test("a W&B-style wide export: _step, throughput/total_tokens, --metric picks one eval column", async () => {
  const text = `_step,throughput/total_tokens,eval/c4/CrossEntropyLoss,eval/wiki/CrossEntropyLoss,params
100,4.1e8,4.2,4.5,125M
200,8.2e8,3.9,4.1,125M
300,1.23e9,3.7,3.95,125M
`;
  const t = await loadRuns(writeTemp("wandb.csv", text), { metric: "eval/wiki/CrossEntropyLoss" });
  assert.deepEqual(Array.from(t.value), [4.5, 4.1, 3.95]);
  assert.deepEqual(Array.from(t.tokens), [4.1e8, 8.2e8, 1.23e9]);
  assert.deepEqual(Array.from(t.step), [100, 200, 300]);
  assert.equal(t.metric[0], "eval/wiki/CrossEntropyLoss");
  assert.equal(new Set(t.model).size, 1, "checkpoints of one size form one run");
});

test("a long file keeps all metrics, or the one --metric names", async () => {
  const text = `model,params,tokens,step,metric,value
a,1e8,1e9,1,loss,3.5
a,1e8,1e9,1,hellaswag,0.31
a,1e8,2e9,2,loss,3.2
a,1e8,2e9,2,hellaswag,0
`;
  const path = writeTemp("long.csv", text);
  const all = await loadRuns(path);
  assert.equal(all.length, 4);
  assert.deepEqual(all.metric, ["loss", "hellaswag", "loss", "hellaswag"]);
  const loss = await loadRuns(path, { metric: "loss" });
  assert.deepEqual(Array.from(loss.value), [3.5, 3.2]);
  await assert.rejects(
    loadRuns(path, { metric: "hellaswg" }),
    /no rows with metric "hellaswg".*did you mean `metric` "hellaswag"/,
  );
});

test("column mapping and derived tokens: flops/(6·params) and step × tokens-per-step", async () => {
  const text = `Model Size,Training FLOP,final loss,it
1e8,6e17,3.1,10
2e8,2.4e18,2.9,20
`;
  const path = writeTemp("mapped.csv", text);
  const byFlops = await loadRuns(path, {
    params: "Model Size",
    flops: "Training FLOP",
    loss: "final loss",
  });
  assert.deepEqual(Array.from(byFlops.tokens), [1e9, 2e9]);
  assert.deepEqual(Array.from(byFlops.flops), [6e17, 2.4e18]);
  const byStep = await loadRuns(path, {
    params: "Model Size",
    loss: "final loss",
    step: "it",
    tokensPerStep: 4e6,
  });
  assert.deepEqual(Array.from(byStep.tokens), [4e7, 8e7]);
});

test("--where filters on canonical columns, loss naming the value", async () => {
  const t = await loadRuns(writeTemp("w.csv", LADDER_CSV), {
    where: "loss < 3.2 AND params >= 350e6",
  });
  assert.deepEqual(Array.from(t.value), [3.15, 3.1, 3.0, 2.95]);
});

test("likely unit mistakes warn with the fix but still load", async () => {
  const t = await loadRuns(
    writeTemp("units.csv", "params,tokens,loss\n125,300,3.2\n350,300,3.0\n"),
  );
  assert.equal(t.length, 2);
  assert.equal(t.warnings?.length, 2);
  assert.match(t.warnings![0], /params look like millions.*hint: write sizes with a suffix/);
  assert.match(t.warnings![1], /tokens look like billions/);
});

test("quoted cells, CRLF, a BOM and blank lines read as a spreadsheet writes them", async () => {
  const text = `\uFEFF"model","params","tokens","loss"\r\n"a, the first",1e8,1e9,3.1\r\n\r\n"b ""quoted""",2e8,1e9,3.0\r\n`;
  const t = await loadRuns(writeTemp("q.csv", text));
  assert.deepEqual(t.model, ["a, the first", 'b "quoted"']);
});
