import assert from "node:assert/strict";
import { test } from "node:test";
import { concatTables, RunTableBuilder } from "../../../src/data/corpus/rows.js";
import { summarizeFamilies } from "../../../src/data/corpus/summary.js";

function small() {
  const a = new RunTableBuilder("t:a", "a");
  for (const [model, N, D] of [
    ["m1", 1e8, 1e9],
    ["m1", 1e8, 2e9],
    ["m2", 4e8, 8e9],
  ] as const) {
    a.push({ family: "fa", model, params: N, tokens: D, metric: "loss", value: 3 });
  }
  const b = new RunTableBuilder("t:b", "b");
  b.push({
    family: "fb",
    model: "x",
    params: 5e9,
    tokens: 1e11,
    metric: "ppl",
    value: 9,
    uniqueTokens: 5e10,
  });
  return concatTables([a.build(), b.build()], "t:all");
}

test("concatTables keeps optional columns, filling NaN or empty where a table lacks them", () => {
  const t = small();
  assert.equal(t.length, 4);
  assert.deepEqual(t.source, ["a", "a", "a", "b"]);
  assert.ok(Number.isNaN(t.uniqueTokens?.[0]));
  assert.equal(t.uniqueTokens?.[3], 5e10);
  assert.equal(t.flops[0], 6 * 1e8 * 1e9); // defaulted to 6ND
  assert.deepEqual(t.seed, ["0", "0", "0", "0"]);
  assert.equal(t.line, undefined);
});

test("summarizeFamilies counts models, runs and checkpoints and gives ranges", () => {
  const s = summarizeFamilies(small());
  assert.deepEqual(s[0], {
    family: "fa",
    source: "a",
    models: 2,
    runs: 2,
    rows: 3,
    minParams: 1e8,
    maxParams: 4e8,
    minTokens: 1e9,
    maxTokens: 8e9,
    maxCheckpoints: 2,
    metrics: ["loss"],
  });
  assert.equal(s[1].family, "fb");
});
