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
  const all = await gadreAdapter.load(sharedPath("gadre-overtrain"));
  const t = onlyLosses(all);
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
  const t = onlyLosses(await gadreAdapter.load(sharedPath("gadre-overtrain")));
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

test("gadre-overtrain: downstream errors equal the repo's own overtrain_downstreams.csv", {
  skip: skip || sharedSkip("hitchhiker-colpret/raw_data/overtrain/overtrain_downstreams.csv"),
}, async () => {
  // overtrain_downstreams.csv is the paper notebook's own table (err_<task>, err_avg, err_avg_subset).
  const t = await gadreAdapter.load(sharedPath("gadre-overtrain"));
  const csv = plainCsv(
    readFileSync(
      sharedPath("hitchhiker-colpret/raw_data/overtrain/overtrain_downstreams.csv"),
      "utf8",
    ),
  );
  const byName = new Map(csv.map((r) => [r.name, r]));
  let checked = 0;
  for (let i = 0; i < t.length; i++) {
    if (!t.metric[i].startsWith("err_")) continue;
    const r = byName.get(t.model[i]);
    assert.ok(r, t.model[i]);
    const want = Number(r[t.metric[i]]);
    assert.ok(
      Math.abs(t.value[i] - want) <= 1e-12,
      `${t.model[i]} ${t.metric[i]}: ${t.value[i]} vs ${want}`,
    );
    checked++;
  }
  // 104 runs × (46 tasks + the two means).
  assert.equal(checked, 104 * 48);
});

/** The table restricted to the 8 validation losses (the downstream errors ride beside them). */
function onlyLosses(t: Awaited<ReturnType<typeof gadreAdapter.load>>) {
  const keep = Array.from({ length: t.length }, (_, i) => i).filter((i) =>
    t.metric[i].startsWith("loss_"),
  );
  const pick = <T>(a: ArrayLike<T>) => keep.map((i) => a[i]);
  return {
    ...t,
    length: keep.length,
    model: pick(t.model),
    family: pick(t.family),
    metric: pick(t.metric),
    value: pick(t.value),
    params: pick(t.params),
    tokens: pick(t.tokens),
    seed: pick(t.seed),
    dataset: t.dataset ? pick(t.dataset) : undefined,
  };
}
