import assert from "node:assert/strict";
import { test } from "node:test";
import { endOfTrainingFamily, endOfTrainingTable } from "../../src/analysis/end-of-training.js";
import { summarizeAnalysis } from "../../src/analysis/summary.js";
import type { ResultRow } from "../../src/analysis/types.js";

function row(o: Partial<ResultRow>): ResultRow {
  return {
    experiment: "end-of-training",
    protocol: "default",
    family: "OPT",
    k: 2,
    m: 0.1,
    are: 0.1,
    status: "converged",
    ...o,
  } as ResultRow;
}

test("end-of-training merges the c4 and oscar datablations families' AREs into -all (spec §3.4d)", () => {
  assert.equal(endOfTrainingFamily("GPT2-c4-14"), "GPT2-c4-all");
  assert.equal(endOfTrainingFamily("GPT2-oscar-1"), "GPT2-oscar-all");
  assert.equal(endOfTrainingFamily("OPT"), "OPT");
  const rows = [
    row({ family: "GPT2-c4-1", are: 0.1 }),
    row({ family: "GPT2-c4-4", are: 0.3 }),
    row({ family: "GPT2-c4-44", are: Number.NaN }), // a failed fit is skipped, as pandas' mean does
    row({ family: "GPT2-c4-1", m: 0.5, are: 0.2 }),
    row({ family: "GPT2-oscar-2", are: 0.4 }),
    row({ family: "OPT", k: 4, are: 0.05 }),
    row({ experiment: "grid", family: "GPT2-c4-1", are: 9 }), // other experiments are untouched
  ];
  const t = endOfTrainingTable(rows);
  const c4 = t.find((c) => c.family === "GPT2-c4-all" && c.m === 0.1);
  assert.ok(c4);
  assert.ok(Math.abs(c4.are - 0.2) < 1e-12); // (0.1 + 0.3) / 2
  assert.equal(c4.fits, 2);
  assert.equal(c4.members, 3);
  assert.equal(c4.models, 3); // k + 1: the figure's y value counts the target too
  assert.ok(!t.some((c) => /GPT2-c4-\d/.test(c.family)));
  assert.deepEqual(
    t.map((c) => [c.family, c.models, c.m]),
    [
      ["GPT2-c4-all", 3, 0.1],
      ["GPT2-c4-all", 3, 0.5],
      ["GPT2-oscar-all", 3, 0.1],
      ["OPT", 5, 0.1],
    ],
  );
  assert.deepEqual(summarizeAnalysis(rows).endOfTraining, t);
});
