import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { PYTHIA_TOKENS_PER_STEP, pythiaAdapter } from "../../../src/data/corpus/pythia.js";
import { sharedPath, sharedSkip } from "../../fixtures/shared.js";
import { countBy, distinct, plainCsv } from "./helpers.js";

const skip = sharedSkip("pythia-evals/evals/pythia-v1");

test("pythia-evals: LAMBADA ppl of 15 models, families pythia and pythia-deduped", {
  skip,
}, async () => {
  const t = await pythiaAdapter.load(sharedPath("pythia-evals"));
  // 15 model folders × (27 zero-shot checkpoints − step 0 + 15 five-shot checkpoints).
  assert.equal(t.length, 15 * (26 + 15));
  assert.deepEqual(countBy(t.metric), { lambada_openai_ppl: 390, lambada_openai_ppl_5shot: 225 });
  assert.deepEqual(distinct(t.family), ["pythia", "pythia-deduped"]);
  assert.equal(new Set(t.model.filter((_, i) => t.family[i] === "pythia-deduped")).size, 8);
  // SOURCE.md: 70m = 70,426,624 … 12b = 11,846,072,320; step 143000 ≈ 300B tokens.
  assert.equal(Math.min(...t.params), 70426624);
  assert.equal(Math.max(...t.params), 11846072320);
  assert.equal(Math.max(...t.tokens), 143000 * PYTHIA_TOKENS_PER_STEP);
  assert.ok(t.tokens.every((d, i) => d === t.step[i] * 2097152 && d > 0));
});

test("pythia-evals: values read from the JSONs equal pythia_evals_long.csv", {
  skip: skip || sharedSkip("pythia-evals/pythia_evals_long.csv"),
}, async () => {
  // pythia_evals_long.csv was flattened independently (SOURCE.md).
  const t = await pythiaAdapter.load(sharedPath("pythia-evals"));
  const long = plainCsv(
    readFileSync(sharedPath("pythia-evals/pythia_evals_long.csv"), "utf8"),
  ).filter(
    (r) =>
      r.suite === "pythia-v1" &&
      r.task === "lambada_openai" &&
      r.metric === "ppl" &&
      r.step !== "0",
  );
  assert.equal(long.length, t.length);
  const want = new Map(long.map((r) => [`${r.model} ${r.shots} ${r.step}`, r]));
  for (let i = 0; i < t.length; i++) {
    const shots = t.metric[i].endsWith("5shot") ? "5" : "0";
    const r = want.get(`${t.model[i]} ${shots} ${t.step[i]}`);
    assert.ok(r, `${t.model[i]} ${shots} ${t.step[i]}`);
    assert.equal(t.value[i], Number(r.value));
    assert.equal(t.params[i], Number(r.num_params));
    assert.equal(t.tokens[i], Number(r.tokens_seen));
  }
});
