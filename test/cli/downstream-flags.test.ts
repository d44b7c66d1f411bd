import assert from "node:assert/strict";
import { test } from "node:test";
import { runCli, tempFile } from "../fixtures/cli.js";
import { sharedDataDir, sharedSkip } from "../fixtures/shared.js";

const FIT = [
  "d=96_l=8_h=4-1.0",
  "d=512_l=8_h=4-1.0",
  "d=576_l=24_h=8-1.0",
  "d=1024_l=24_h=8-1.0",
  "d=96_l=8_h=4-16.0",
].map((m) => `rpj-${m}`);
const gadre = (...extra: string[]) => [
  "evaluate",
  "--corpus",
  "gadre-overtrain",
  "--from",
  sharedDataDir,
  "--family",
  "gadre-rpj",
  "--metric",
  "err_avg_subset",
  "--min-tokens",
  "0",
  ...extra,
];

test("evaluate --metric --via: Gadre et al.'s two-step forecast with step1/step2 blocks", {
  skip: sharedSkip("gadre-overtrain/exp_data/evals"),
}, async () => {
  const r = await runCli(
    gadre(
      "--via",
      "loss_c4_val",
      "--link",
      "exp-decay",
      "--target",
      "rpj-open_lm_1b-32.0",
      "--models",
      FIT.join(","),
      "--step2-models",
      [...FIT, "rpj-open_lm_1b-1.0"].join(","),
      "--law",
      "chinchilla-tied",
      "--objective",
      "ls",
      "--bootstrap",
      "20",
      "--json",
    ),
  );
  assert.equal(r.code, 0, r.err);
  const j = JSON.parse(r.out);
  // scaling_explorer.ipynb prints 3.6365% for this target (see test/estimate/downstream.test.ts).
  assert.ok(Math.abs(j.areFinal - 0.036365) < 5e-6, String(j.areFinal));
  for (const k of ["predicted", "actual", "are", "areFinal", "interval", "step1", "step2", "noise"])
    assert.ok(k in j, k);
  assert.equal(j.step1.law, "chinchilla-tied");
  // Five points, four parameters: the in-sample error is small but not zero.
  assert.ok(j.step1.trainAre > 0 && j.step1.trainAre < 0.01, String(j.step1.trainAre));
  assert.equal(j.step2.points, 6);
  assert.equal(j.step2.status, "converged");
  assert.equal(j.interval.length, 2);
  assert.match(j.intervalKind, /confidence/);
});

test("downstream flags are checked by name", {
  skip: sharedSkip("gadre-overtrain/exp_data/evals"),
}, async () => {
  const bad = [
    [gadre("--route", "sideways"), /--route: unknown route "sideways"/],
    [gadre("--route", "two-step"), /--via: the two-step route needs the task loss/],
    [gadre("--via", "loss_c4_val", "--route", "direct"), /--via is for the two-step route/],
    [gadre("--via", "loss_c4_val", "--link", "logit"), /--link: unknown link "logit"/],
    [gadre("--via", "loss_c4_val", "--chance", "x"), /--chance must be a number/],
  ] as const;
  for (const [argv, re] of bad) {
    const r = await runCli([...argv]);
    assert.equal(r.code, 2, r.err);
    assert.match(r.err, re);
  }
  const noMetric = await runCli([
    "evaluate",
    "--corpus",
    "gadre-overtrain",
    "--from",
    sharedDataDir,
    "--family",
    "gadre-rpj",
    "--via",
    "loss_c4_val",
  ]);
  assert.equal(noMetric.code, 2);
  assert.match(noMetric.err, /--metric: a downstream forecast needs the metric/);
});

test("evaluate --route direct forecasts the metric from compute", {
  skip: sharedSkip("gadre-overtrain/exp_data/evals"),
}, async () => {
  const r = await runCli(gadre("--route", "direct", "--link", "exp-decay", "--json"));
  assert.equal(r.code, 0, r.err);
  const j = JSON.parse(r.out);
  assert.equal(j.route, "direct");
  assert.equal(j.step1, null);
  assert.equal(j.step2.x, "ln C");
  assert.ok(Number.isFinite(j.predicted));
});

test("predict --metric --via chains a task-loss law and a sigmoid at an unseen size", async () => {
  // Task loss from a Chinchilla law, accuracy an exact sigmoid of it: the chained forecast at an
  // unseen (N, D) must equal the truth there.
  const sig = (L: number) => 0.7 / (1 + Math.exp(6 * (L - 1.1))) + 0.25;
  const law = (N: number, D: number) => 0.5 + 60 * N ** -0.3 + 90 * D ** -0.28;
  const lines = ["family,model,params,tokens,metric,value"];
  for (const N of [2e7, 6e7, 2e8, 6e8])
    for (let c = 1; c <= 8; c++) {
      const D = (20 * N * c) / 8;
      lines.push(
        `f,m${N},${N},${D},task_loss,${law(N, D)}`,
        `f,m${N},${N},${D},acc,${sig(law(N, D))}`,
      );
    }
  const file = tempFile("runs.csv", `${lines.join("\n")}\n`);
  const r = await runCli([
    "predict",
    file,
    "--metric",
    "acc",
    "--via",
    "task_loss",
    "--chance",
    "0.25",
    "--params",
    "7e9",
    "--tokens",
    "1.4e11",
    "--json",
  ]);
  assert.equal(r.code, 0, r.err);
  const p = JSON.parse(r.out).prediction;
  assert.ok(Math.abs(p.step1.value - law(7e9, 1.4e11)) < 1e-6, String(p.step1.value));
  assert.ok(Math.abs(p.value - sig(law(7e9, 1.4e11))) < 1e-6, String(p.value));
  assert.equal(p.step2.points, 32);
  const text = await runCli([
    "predict",
    file,
    "--metric",
    "acc",
    "--via",
    "task_loss",
    "--params",
    "7e9",
    "--tokens",
    "1.4e11",
  ]);
  assert.match(text.out, /two-step prediction of acc/);
  // evaluate reads a file one metric at a time: the task loss is read beside the metric.
  const ev = await runCli([
    "evaluate",
    file,
    "--metric",
    "acc",
    "--via",
    "task_loss",
    "--min-tokens",
    "0",
    "--json",
  ]);
  assert.equal(ev.code, 0, ev.err);
  const e = JSON.parse(ev.out);
  assert.equal(e.step1.metric, "task_loss");
  assert.ok(e.areFinal < 1e-6, String(e.areFinal));
  const missing = await runCli([
    "predict",
    file,
    "--metric",
    "acc",
    "--via",
    "bpb",
    "--params",
    "7e9",
    "--tokens",
    "1e11",
  ]);
  assert.equal(missing.code, 2);
});
