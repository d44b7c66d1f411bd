import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { misfittingAdapter } from "../../../src/data/corpus/misfitting.js";
import { sharedPath, sharedSkip } from "../../fixtures/shared.js";
import { plainCsv } from "./helpers.js";

const skip = sharedSkip("misfitting-li2025/scaling_results.csv");

test("misfitting-li2025: 4,852 checkpoints of 263 runs, 11 sizes 57M–1.18B", { skip }, async () => {
  const t = await misfittingAdapter.load(sharedPath("misfitting-li2025"));
  assert.equal(t.length, 4852); // SOURCE.md
  assert.equal(new Set(t.model).size, 263);
  const sizes = [...new Set(t.params)].sort((a, b) => a - b);
  assert.equal(sizes.length, 11);
  assert.equal(sizes[0], 57234240);
  assert.equal(sizes[10], 1182757632); // misfitting_1b, the held-out size
  // First data row: misfitting_35m, step 128 of 16000, lr 0.002.
  assert.equal(t.model[0], "misfitting_35m-T16000-lr0.002");
  assert.equal(t.value[0], 5.939757396001369);
  assert.equal(t.tokens[0], 134217728);
  assert.equal(t.step[0], 128);
  // Checkpoints of a run have increasing steps.
  for (let i = 1; i < t.length; i++) {
    if (t.model[i] === t.model[i - 1]) assert.ok(t.step[i] > t.step[i - 1], `line ${t.line?.[i]}`);
  }
});

test("misfitting-li2025: every run's last checkpoint in scaling_results_last_ckpt_only.csv is a run end", {
  skip: skip || sharedSkip("misfitting-li2025/scaling_results_last_ckpt_only.csv"),
}, async () => {
  const t = await misfittingAdapter.load(sharedPath("misfitting-li2025"));
  const ends = new Set<string>();
  for (let i = 0; i < t.length; i++) {
    if (t.model[i + 1] !== t.model[i]) ends.add(`${t.params[i]} ${t.tokens[i]} ${t.value[i]}`);
  }
  const last = plainCsv(
    readFileSync(sharedPath("misfitting-li2025/scaling_results_last_ckpt_only.csv"), "utf8"),
  );
  assert.equal(last.length, 261); // SOURCE.md
  for (const r of last)
    assert.ok(ends.has(`${Number(r.N)} ${Number(r.D)} ${Number(r.loss)}`), `${r.model} ${r.D}`);
});
