import assert from "node:assert/strict";
import { test } from "node:test";
import { runCli } from "../fixtures/cli.js";
import { sharedDataDir, sharedSkip } from "../fixtures/shared.js";

test("evaluate on the built-in ladder recovers the simulated target within its interval", async () => {
  const r = await runCli([
    "evaluate",
    "--builtin",
    "--min-tokens",
    "2.5e8",
    "--bootstrap",
    "40",
    "--json",
    "--no-timing",
  ]);
  assert.equal(r.code, 0, r.err);
  const j = JSON.parse(r.out);
  assert.equal(j.label, "simulated");
  assert.match(j.family, /simulated/);
  for (const k of [
    "target",
    "predicted",
    "actual",
    "are",
    "areFinal",
    "interval",
    "baselines",
    "fit",
  ])
    assert.ok(k in j, k);
  assert.ok(
    j.interval[0] <= j.actual && j.actual <= j.interval[1],
    `actual ${j.actual} outside [${j.interval}]`,
  );
  assert.ok(j.are < 0.05, `ARE ${j.are}`);
  assert.ok(j.baselines.best.are > j.are);
});

test("evaluate text output names the forecast, the truth, ARE and baselines", async () => {
  const r = await runCli(["evaluate", "--builtin", "--models", "4", "--fraction", "0.8"]);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /forecast \[simulated\]/);
  assert.match(r.out, /ARE +\d+\.\d+%/);
  assert.match(r.out, /baselines +best observed/);
  assert.match(r.out, /trained on sim-50M, sim-81M, sim-132M, sim-215M:/);
});

test("evaluate: bad input is one line and exit code 2", async () => {
  const r = await runCli(["evaluate", "--builtin", "--family", "simulated-chinchila"]);
  assert.equal(r.code, 2);
  assert.match(r.err, /no family "simulated-chinchila".*did you mean "simulated-chinchilla"/);
  assert.equal(r.err.trim().split("\n").length, 1);
  const p = await runCli(["evaluate", "--builtin", "--protocol", "papr"]);
  assert.equal(p.code, 2);
  const k = await runCli(["evaluate", "--builtin", "--models", "20"]);
  assert.equal(k.code, 2);
  assert.match(k.err, /cannot take 20 training models/);
});

test("evaluate --corpus reads a dataset in place, with a borrowed preset (§5)", {
  skip: sharedSkip("hitchhiker-colpret/SOURCE.md"),
}, async () => {
  const r = await runCli([
    "evaluate",
    "--corpus",
    "hitchhiker-colpret",
    "--from",
    sharedDataDir,
    "--family",
    "olmo",
    "--models",
    "OLMo-1B",
    "--borrow-preset",
    "hitchhiker",
    "--protocol",
    "paper",
    "--json",
    "--no-timing",
  ]);
  assert.equal(r.code, 0, r.err);
  const j = JSON.parse(r.out);
  assert.equal(j.target, "OLMo-7B");
  assert.ok(j.are < 0.01); // Fig. 6: under 1%
  assert.deepEqual(Object.keys(j.fit.settings.fixed).sort(), ["A", "alpha"]);
});

test("evaluate --corpus hitchhiker-colpret includes the Pythia families as log2 LAMBADA perplexity", {
  skip: sharedSkip("hitchhiker-colpret/SOURCE.md") || sharedSkip("pythia-evals/SOURCE.md"),
}, async () => {
  const r = await runCli([
    "evaluate",
    "--corpus",
    "hitchhiker-colpret",
    "--from",
    sharedDataDir,
    "--family",
    "pythia-deduped",
    "--models",
    "3",
    "--json",
    "--no-timing",
  ]);
  assert.equal(r.code, 0, r.err);
  const j = JSON.parse(r.out);
  assert.equal(j.target, "pythia-12b-deduped");
  assert.equal(j.metric, "perf");
  // perf = log2(ppl): the 12b-deduped model's final LAMBADA perplexity is about 3.9 (pythia-evals).
  assert.ok(j.actual > 1.5 && j.actual < 2.5, String(j.actual));
  assert.ok(Number.isFinite(j.are));
});
