import assert from "node:assert/strict";
import { test } from "node:test";
import { naturalCompare, runsText } from "../../src/report/runs.js";

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
