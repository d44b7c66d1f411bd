import assert from "node:assert/strict";
import { test } from "node:test";
import { colpretAdapter, PERF_METRIC } from "../../../src/data/corpus/colpret.js";
import type { RunTable } from "../../../src/data/types.js";
import { sharedPath, sharedSkip } from "../../fixtures/shared.js";

const DIR = "hitchhiker-colpret";
const skip = sharedSkip(`${DIR}/SOURCE.md`);

function rowsOf(t: RunTable, family: string, model?: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < t.length; i++)
    if (t.family[i] === family && (model === undefined || t.model[i] === model)) out.push(i);
  return out;
}

test("colpret adapter: families, models and row counts follow HITCHHIKER_SPEC §1.3", {
  skip,
}, async () => {
  const t = await colpretAdapter.load(sharedPath(DIR));
  const families = new Set(t.family);
  // §1.3: OPT, gpt3, t5-pile, 16 datablations families, olmo, chinchilla, 3 overtrain, redPajama.
  assert.equal(families.size, 1 + 1 + 1 + 16 + 1 + 1 + 3 + 1);
  for (const d of ["c4", "oscar"])
    for (const e of [1, 2, 3, 4, 5, 7, 14, 44]) assert.ok(families.has(`GPT2-${d}-${e}`));
  // SOURCE.md: opt_trajectories.csv has 142 rows. It lists datablations_losses.csv at 9,260, but the
  // file has 9,262 lines with no final newline, i.e. 9,261 data rows (counted with awk).
  assert.equal(rowsOf(t, "OPT").length, 142);
  const gpt2 = [...families]
    .filter((f) => f.startsWith("GPT2-"))
    .reduce((s, f) => s + rowsOf(t, f).length, 0);
  assert.equal(gpt2, 9261);
  assert.deepEqual(new Set(rowsOf(t, "OPT").map((i) => t.model[i])).size, 6);
  assert.equal(new Set(rowsOf(t, "gpt3").map((i) => t.model[i])).size, 8);
  assert.equal(new Set(rowsOf(t, "chinchilla").map((i) => t.model[i])).size, 43); // §1.3: 43 sizes after rounding to 1e7
  assert.equal(new Set(rowsOf(t, "olmo").map((i) => t.model[i])).size, 2); // Twin-2T left out
  for (const f of ["overtrain-C4", "overtrain-RedPajama", "overtrain-RefinedWeb"])
    assert.equal(rowsOf(t, f).length, 6);
  assert.ok(t.metric.every((m) => m === PERF_METRIC));
});

test("colpret adapter: perf, tokens and N per family (spec §1.2, §1.3)", { skip }, async () => {
  const t = await colpretAdapter.load(sharedPath(DIR));
  // OPT: raw perplexity; 125m at 2000 steps: ppl 67.52265444265277, D = 2000 × 0.5M (first data row).
  const opt = rowsOf(t, "OPT", "OPT-0.13B").sort((a, b) => t.tokens[a] - t.tokens[b])[0];
  assert.equal(t.value[opt], 67.52265444265277);
  assert.equal(t.tokens[opt], 2000 * 5e5);
  assert.equal(t.flops[opt], 6 * 125e6 * 1e9);
  // OPT-175B: batch 2M per the spec's table.
  const big = rowsOf(t, "OPT", "OPT-175.00B");
  assert.equal(t.params[big[0]], 175e9);
  // t5-pile: log2(val_perplexity) ≈ 0.05, N from the spec's list.
  const t5 = rowsOf(t, "t5-pile", "pile-t5-xxl");
  assert.equal(t.params[t5[0]], 11135426560);
  for (const i of t5) assert.ok(t.value[i] > 0.04 && t.value[i] < 0.12);
  // gpt3: N from the metadata sheet; D in tokens (step × 1e9).
  const g = rowsOf(t, "gpt3", "GPT-3 175B");
  assert.equal(t.params[g[0]], 175e9);
  assert.ok(Math.max(...g.map((i) => t.tokens[i])) <= 3.01e11);
  // olmo: D = Step × 4e6; perf a mean of cross-entropy losses (2.3–4.4 nats).
  for (const i of rowsOf(t, "olmo"))
    assert.ok(t.tokens[i] % 4e6 === 0 && t.value[i] > 2 && t.value[i] < 5);
  // overtrain: the largest compute multiplier per size; the 7B runs only exist at 1.0.
  const ot = rowsOf(t, "overtrain-C4").map((i) => t.model[i]);
  assert.ok(ot.includes("c4_original-open_lm_7b-1.0"));
  assert.ok(ot.includes("c4_original-d=96_l=8_h=4-32.0"));
});
