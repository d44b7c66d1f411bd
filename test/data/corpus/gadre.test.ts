import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { gadreAdapter } from "../../../src/data/corpus/gadre.js";
import { sharedPath, sharedSkip } from "../../fixtures/shared.js";
import { countBy, distinct, plainCsv } from "./helpers.js";

const skip = sharedSkip("gadre-overtrain/exp_data/models");

test("gadre-overtrain: 104 runs in 3 families, 8 losses each, sizes of SOURCE.md", {
  skip,
}, async () => {
  const t = await gadreAdapter.load(sharedPath("gadre-overtrain"));
  assert.equal(t.length, 104 * 8);
  // SOURCE.md counts: rpj 35, rw_original 35, c4_original 34 runs.
  const runsPerFamily = countBy(
    [...new Set(t.model.map((m, i) => `${t.family[i]} ${m}`))].map((k) => k.split(" ")[0]),
  );
  assert.deepEqual(runsPerFamily, {
    "gadre-c4_original": 34,
    "gadre-rpj": 35,
    "gadre-rw_original": 35,
  });
  // SOURCE.md: N incl. embeddings 10,569,312 / 78,914,048 / 153,677,376 / 411,616,256 / 1,439,795,200 / 6,889,410,560.
  assert.deepEqual(
    [...new Set(t.params)].sort((a, b) => a - b),
    [10569312, 78914048, 153677376, 411616256, 1439795200, 6889410560],
  );
  assert.equal(distinct(t.metric).length, 8);
  assert.ok(t.metric.includes("loss_c4_val"));
  // Token multiplier M = D/N = 20·cc_mult, cc_mult being the last part of the run name.
  for (let i = 0; i < t.length; i++) {
    const cc = Number(t.model[i].split("-").pop());
    assert.ok(Math.abs(t.tokens[i] / t.params[i] / (20 * cc) - 1) < 0.02, t.model[i]);
  }
  // The held-out target named in SOURCE.md.
  const target = t.model.indexOf("rpj-open_lm_7b-1.0");
  assert.equal(t.params[target], 6889410560);
  assert.equal(t.tokens[target], 137788211200);
  assert.deepEqual(distinct(t.seed), ["124"]);
});

test("gadre-overtrain: losses flattened from the JSONs equal gadre_models_flat.csv", {
  skip: skip || sharedSkip("gadre-overtrain/gadre_models_flat.csv"),
}, async () => {
  // gadre_models_flat.csv was flattened independently (SOURCE.md: a throwaway script).
  const t = await gadreAdapter.load(sharedPath("gadre-overtrain"));
  const flat = plainCsv(readFileSync(sharedPath("gadre-overtrain/gadre_models_flat.csv"), "utf8"));
  assert.equal(flat.length, 104);
  const byName = new Map(flat.map((r) => [r.name, r]));
  for (let i = 0; i < t.length; i++) {
    const r = byName.get(t.model[i]);
    assert.ok(r, t.model[i]);
    assert.equal(t.value[i], Number(r[t.metric[i]]), `${t.model[i]} ${t.metric[i]}`);
    assert.equal(t.params[i], Number(r.params));
    assert.equal(t.tokens[i], Number(r.tokens));
    assert.equal(t.dataset?.[i], r.dataset);
  }
});
