import assert from "node:assert/strict";
import { test } from "node:test";
import { naturalCompare, runsText } from "../../src/cli/runs.js";
import { writeTemp } from "../data/files.js";
import { runCli } from "../fixtures/cli.js";

test("names compare with their numbers in numeric order", () => {
  const names = ["m-T1000-lr0.002", "m-T200-lr0.004", "m-T200-lr0.002", "m-T30", "m-T4000"];
  assert.deepEqual(names.sort(naturalCompare), [
    "m-T30",
    "m-T200-lr0.002",
    "m-T200-lr0.004",
    "m-T1000-lr0.002",
    "m-T4000",
  ]);
  assert.ok(naturalCompare("1.3B", "13B") < 0);
});

test("runs sorts models by size, then naturally; --long lists every row", async () => {
  const file = writeTemp(
    "sweep.csv",
    "model,params,tokens,loss,step\nT1000,1e8,1e9,3.5,1\nT200,1e8,1e9,3.6,1\nbig,1e9,1e9,3.1,1\nT200,1e8,2e9,3.4,2\n",
  );
  const r = await runCli(["runs", file, "--json"]);
  assert.equal(r.code, 0, r.err);
  assert.deepEqual(
    JSON.parse(r.out).families[0].models.map((m: { model: string }) => m.model),
    ["T200", "T1000", "big"],
  );
  const long = await runCli(["runs", file, "--long"]);
  assert.equal(long.code, 0, long.err);
  assert.deepEqual(
    long.out
      .trim()
      .split("\n")
      .map((l) => l.split(/\s+/).slice(1, 2).join()),
    ["model", "T200", "T200", "T1000", "big"],
  );
  assert.match(long.out, /^sweep\s+T200\s+0\s+loss\s+100M\s+2B\s+2\s+3\.4$/m);
});

test("runs text fits the terminal width, cutting long model names and metric lists", () => {
  const models = [
    {
      model: "x".repeat(80),
      params: 1e8,
      rows: 1,
      checkpoints: 1,
      seeds: 1,
      tokensMin: 1e9,
      tokensMax: 1e9,
      metrics: [],
    },
  ];
  const text = runsText(
    [
      {
        family: "f",
        rows: 1,
        paramsMin: 1e8,
        paramsMax: 1e8,
        tokensMin: 1e9,
        tokensMax: 1e9,
        seeds: 1,
        metrics: Array.from({ length: 30 }, (_, i) => `eval/task_${i}/acc`),
        models,
      },
    ],
    100,
  );
  for (const line of text.trimEnd().split("\n"))
    assert.ok(line.length <= 100, `${line.length}: ${line}`);
  assert.match(text, /x…/);
  assert.match(text, /eval\/task_0\/acc.*…$/m);
});
