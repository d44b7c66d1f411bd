import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { gadreAdapter } from "../../src/data/corpus/gadre.js";
import { RunTableBuilder } from "../../src/data/corpus/rows.js";
import type { RunTable } from "../../src/data/types.js";
import { forecastDownstream } from "../../src/estimate/downstream.js";
import { linkValue } from "../../src/estimate/link-fit.js";
import { sharedPath, sharedSkip } from "../fixtures/shared.js";
import { gaussian } from "../fixtures/synthetic.js";

/** Gadre et al.'s protocol (`fit_ds` in mlfoundations/scaling shared.py): 5 loss points, + the 1.4B M=20 for the error law. */
const GADRE_FIT = [
  "d=96_l=8_h=4-1.0",
  "d=512_l=8_h=4-1.0",
  "d=576_l=24_h=8-1.0",
  "d=1024_l=24_h=8-1.0",
  "d=96_l=8_h=4-16.0",
];

test("gadre-overtrain two-step reproduces the paper notebook's 17-task error forecasts", {
  skip: sharedSkip("gadre-overtrain/exp_data/evals"),
}, async () => {
  const t = await gadreAdapter.load(sharedPath("gadre-overtrain"));
  const small = GADRE_FIT.map((m) => `rpj-${m}`);
  // Published: scaling_explorer.ipynb (commit 79adc263) prints "relative error predicting
  // (open_lm_1b, M=640.0) 17-task split top-1 error: 3.6365%" and "(open_lm_7b, M=20.0) …: 0.0464%",
  // and 0.7103% / 0.7320% for the C4 eval loss of step 1.
  const published: [string, number, number][] = [
    ["rpj-open_lm_1b-32.0", 0.036365, 0.007103],
    ["rpj-open_lm_7b-1.0", 0.000464, 0.00732],
  ];
  for (const [target, err, loss] of published) {
    const f = forecastDownstream(t, {
      family: "gadre-rpj",
      metric: "err_avg_subset",
      via: "loss_c4_val",
      link: "exp-decay",
      target,
      train: { kind: "list", models: small },
      step2Train: { kind: "list", models: [...small, "rpj-open_lm_1b-1.0"] },
      minTokens: 0,
      // curve_fit is least squares in loss units; the tied law is their powlaw_ours.
      fit: { law: "chinchilla-tied", objective: "ls" },
    });
    assert.equal(f.status, "converged");
    assert.ok(Math.abs(f.step1!.areFinal - loss) < 5e-6, `${target} loss ARE ${f.step1!.areFinal}`);
    assert.ok(Math.abs(f.areFinal - err) < 5e-6, `${target} error ARE ${f.areFinal}`);
    assert.equal(f.step2.points, 6);
  }
});

/**
 * A ladder with known truth: task loss from a Chinchilla law (5 sizes × 12 checkpoints), accuracy a
 * sigmoid of it plus checkpoint noise σ.
 */
function syntheticTask(sigma: number, seed: number): RunTable {
  const z = gaussian(seed);
  const b = new RunTableBuilder("synthetic", "synthetic");
  for (const N of [2e7, 6e7, 2e8, 6e8, 2e9]) {
    for (let c = 1; c <= 12; c++) {
      const D = (20 * N * c) / 12;
      const L = 0.5 + 60 * N ** -0.3 + 90 * D ** -0.28;
      const row = { family: "f", model: `m${N}`, params: N, tokens: D };
      b.push({ ...row, metric: "task_loss", value: L });
      b.push({ ...row, metric: "acc", value: sigmoidTruth(L) + sigma * z() });
    }
  }
  return b.build();
}
const SIG = [0.7, -6, 1.1, 0.25];
const sigmoidTruth = (L: number) => linkValue("sigmoid", SIG, L);

test("two-step on a synthetic ladder: forecast near the truth, interval covering it, noise recovered", () => {
  const t = syntheticTask(0.01, 1);
  const f = forecastDownstream(
    t,
    { family: "f", metric: "acc", via: "task_loss", chance: 0.25, minTokens: 0 },
    { resamples: 60, seed: 0 },
  );
  const N = 2e9;
  const truth = sigmoidTruth(0.5 + 60 * N ** -0.3 + 90 * (20 * N) ** -0.28);
  assert.equal(f.target.model, "m2000000000");
  assert.ok(Math.abs(f.step1!.predicted - (0.5 + 60 * N ** -0.3 + 90 * (20 * N) ** -0.28)) < 1e-6);
  // Step 2 sees 48 noisy points: its curve is off by about σ·√(3/48) = 0.0025; 0.01 is 4×.
  assert.ok(Math.abs(f.predicted - truth) < 0.01, `${f.predicted} vs ${truth}`);
  assert.ok(f.interval && f.interval[0] <= truth && truth <= f.interval[1], `${f.interval}`);
  // One evaluation carries checkpoint noise: the prediction interval contains the confidence one.
  assert.ok(f.prediction && f.prediction[0] < f.interval[0] && f.prediction[1] > f.interval[1]);
  // Second differences of 48 points (40 differences): σ̂ within 30% of 0.01.
  assert.ok(Math.abs(f.noise.checkpoint - 0.01) < 0.003, `σ̂ ${f.noise.checkpoint}`);
  assert.deepEqual(f.noise.flags, []);
  // The same seed gives the same interval.
  const again = forecastDownstream(
    t,
    { family: "f", metric: "acc", via: "task_loss", chance: 0.25, minTokens: 0 },
    { resamples: 60, seed: 0 },
  );
  assert.deepEqual(again.interval, f.interval);
});

test("a task whose noise swamps its trend is flagged unpredictable", () => {
  const t = syntheticTask(0.2, 2);
  const f = forecastDownstream(
    t,
    { family: "f", metric: "acc", via: "task_loss", chance: 0.25, minTokens: 0 },
    { resamples: 30, seed: 0 },
  );
  assert.ok(f.noise.unpredictable, JSON.stringify(f.noise));
});

test("two-step needs the task loss", () => {
  assert.throws(
    () =>
      forecastDownstream(syntheticTask(0, 1), { family: "f", metric: "acc", route: "two-step" }),
    /two-step route needs the task-loss metric/,
  );
});

/** Pythia zero-shot accuracies of the deduped suite (8 sizes, 26 checkpoints) from pythia_evals_long.csv. */
const PYTHIA_CHANCE: Record<string, number> = {
  lambada_openai: 0,
  piqa: 0.5,
  arc_easy: 0.25,
  arc_challenge: 0.25,
  sciq: 0.25,
  winogrande: 0.5,
  wsc: 0.5,
  logiqa: 0.25,
};

test("Pythia-12B task accuracies forecast from the smaller deduped models, each with its flags", {
  skip: sharedSkip("pythia-evals/pythia_evals_long.csv"),
}, () => {
  const b = new RunTableBuilder("pythia_evals_long.csv", "pythia-evals");
  const lines = readFileSync(sharedPath("pythia-evals/pythia_evals_long.csv"), "utf8").split("\n");
  for (const l of lines.slice(1)) {
    const c = l.split(",");
    if (c[0] !== "pythia-v1" || c[2] !== "True" || c[5] !== "0") continue;
    if (!(c[8] in PYTHIA_CHANCE) || !(Number(c[6]) > 0)) continue;
    const row = {
      family: "pythia-deduped",
      model: c[1],
      params: Number(c[4]),
      tokens: Number(c[7]),
    };
    if (c[9] === "acc") b.push({ ...row, metric: `${c[8]}_acc`, value: Number(c[10]) });
    // LAMBADA's per-token NLL (ln of its perplexity): the one task loss pythia-evals has.
    if (c[9] === "ppl") b.push({ ...row, metric: `${c[8]}_nll`, value: Math.log(Number(c[10])) });
  }
  const t = b.build();
  const out: Record<string, { are: number; unpredictable: boolean }> = {};
  for (const [task, chance] of Object.entries(PYTHIA_CHANCE)) {
    const f = forecastDownstream(
      t,
      { family: "pythia-deduped", metric: `${task}_acc`, route: "direct", chance },
      { resamples: 40, seed: 0 },
    );
    assert.equal(f.target.model, "pythia-12b-deduped");
    out[task] = { are: f.are, unpredictable: f.noise.unpredictable };
  }
  // Measured with this code (docs/downstream.md lists the table): the smooth tasks forecast within
  // 3% and pass; WSC and LogiQA (accuracy at or below chance at every size) are flagged, and so is
  // ARC-Challenge, whose accuracy barely moves with compute (r² of the sigmoid 0.17). SciQ is
  // forecast within 1% but flagged: near its ceiling the interval is narrower than one checkpoint's noise.
  for (const task of ["lambada_openai", "piqa", "arc_easy", "sciq", "winogrande"])
    assert.ok(out[task].are < 0.03, `${task} ARE ${out[task].are}`);
  for (const task of ["lambada_openai", "piqa", "arc_easy", "winogrande"])
    assert.equal(out[task].unpredictable, false, task);
  for (const task of ["wsc", "logiqa", "arc_challenge", "sciq"])
    assert.equal(out[task].unpredictable, true, task);
  // Two-step on LAMBADA (step 1 on its NLL): step 2 is tight (r² 0.99) yet even at the 12B's actual
  // NLL it under-predicts accuracy by 5.4%; chained, 6.7% (docs/downstream.md).
  const two = forecastDownstream(t, {
    family: "pythia-deduped",
    metric: "lambada_openai_acc",
    via: "lambada_openai_nll",
    chance: 0,
  });
  assert.ok((two.step2.fit?.r2 ?? 0) > 0.98);
  assert.ok(two.step2.oracle.are > 0.04 && two.are < 0.1, `${two.step2.oracle.are} ${two.are}`);
  assert.ok(two.predicted < two.actual);
});
