import assert from "node:assert/strict";
import { test } from "node:test";
import { sldbenchAdapter } from "../../../src/data/corpus/sldbench.js";
import { sharedPath, sharedSkip } from "../../fixtures/shared.js";
import { countBy, rowsWhere } from "./helpers.js";

const skip = sharedSkip("sldbench-github/lr_scaling_law/dense_lr_bs_loss.csv");

test("sldbench-github: data-constrained, StepFun and vocabulary tables with SOURCE.md's counts", {
  skip,
}, async () => {
  const t = await sldbenchAdapter.load(sharedPath("sldbench-github"));
  // SOURCE.md: 182 data-constrained rows; 2,028 StepFun rows of which 117 have D = 1e13 and no loss
  // (dropped; 2 metrics per kept row); 1,200 vocabulary rows.
  assert.deepEqual(countBy(t.family), {
    "sldbench-data-constrained": 182,
    "sldbench-stepfun-lr": (2028 - 117) * 2,
    "sldbench-vocab": 1200,
  });
  const dc = rowsWhere(t, (i) => t.family[i] === "sldbench-data-constrained");
  // First row: id 2b832b4b, N 2.81e9, columns unique_tokens 3.2e10 and tokens 4e9, loss 2.722962.
  // The names are swapped (docs/planning.md): D = 3.2e10 trained on U = 4e9 unique, 8 epochs.
  const first = dc[0];
  assert.equal(t.model[first], "2b832b4b");
  assert.equal(t.params[first], 2.81e9);
  assert.equal(t.tokens[first], 32e9);
  assert.equal(t.uniqueTokens?.[first], 4e9);
  assert.ok(dc.every((i) => (t.uniqueTokens?.[i] ?? Number.NaN) <= t.tokens[i]));
  assert.equal(t.value[first], 2.722962);
  const n = dc.map((i) => t.params[i]);
  assert.equal(Math.min(...n), 7098752); // 7.1M
  assert.equal(Math.max(...n), 8.67e9);
  // uniqueTokens only where the source has it.
  assert.ok(
    rowsWhere(t, (i) => t.family[i] !== "sldbench-data-constrained").every((i) =>
      Number.isNaN(t.uniqueTokens?.[i]),
    ),
  );
  // StepFun: 5 sizes 215M, 268M, 429M, 537M, 1.07B; no placeholder D.
  const lr = rowsWhere(t, (i) => t.family[i] === "sldbench-stepfun-lr");
  assert.deepEqual(
    [...new Set(lr.map((i) => t.params[i]))].sort((a, b) => a - b),
    [214663680, 268304384, 429260800, 536872960, 1073741824],
  );
  assert.ok(lr.every((i) => t.tokens[i] < 1e13));
  assert.equal(new Set(lr.map((i) => t.model[i])).size, 1911);
  // Vocabulary: 60 runs × 20 points, N (non-vocab) 33M–1.13B, unigram-normalised loss < 0.
  const vo = rowsWhere(t, (i) => t.family[i] === "sldbench-vocab");
  assert.equal(new Set(vo.map((i) => t.model[i])).size, 60);
  assert.equal(Math.min(...vo.map((i) => t.params[i])), 33222784);
  assert.equal(Math.max(...vo.map((i) => t.params[i])), 1129891136);
  assert.ok(vo.every((i) => t.value[i] < 0 && t.metric[i] === "unigram_normalized"));
  // First vocabulary row: FLOPs 1.271517696e16 at N 33,222,784 → D = C/(6N).
  assert.ok(Math.abs(t.tokens[vo[0]] - 1.271517696e16 / (6 * 33222784)) < 1);
});
