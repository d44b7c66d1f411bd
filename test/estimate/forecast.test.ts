import assert from "node:assert/strict";
import { test } from "node:test";
import { InputError } from "../../src/errors.js";
import { meanRelativeError } from "../../src/estimate/are.js";
import { BORROW_PRESETS, borrowFrom, borrowPreset } from "../../src/estimate/borrow.js";
import { forecast, prepareForecast } from "../../src/estimate/forecast.js";
import { familyOf } from "../../src/estimate/selection.js";
import { ladderTable } from "../fixtures/ladder-table.js";

test("ARE is the mean absolute relative error, as a fraction", () => {
  assert.ok(Math.abs(meanRelativeError([2, 4], [2.2, 4]) - 0.05) < 1e-15);
  assert.ok(Number.isNaN(meanRelativeError([], [])));
});

test("a noiseless ladder is forecast almost exactly under both protocols", () => {
  const t = ladderTable();
  for (const protocol of ["default", "paper"] as const) {
    const f = forecast(t, { family: "toy", protocol });
    assert.equal(f.target.model, "m5");
    assert.deepEqual(f.train.models, ["m0", "m1", "m2", "m3", "m4"]);
    assert.ok(f.are < 1e-3, `${protocol}: ARE ${f.are}`);
    assert.ok(f.areFinal < 1e-3);
    // Baselines predict a smaller model's loss, far above the target's.
    assert.ok(f.baselines.best.are > 0.05 && f.baselines.mostTrained.are > 0.05);
  }
});

test("the test set is the target's last 30% of tokens, final checkpoint included", () => {
  const t = ladderTable();
  const p = prepareForecast(t, { family: "toy" });
  const T = p.target.maxTokens;
  assert.equal(p.testRows.length, 7); // checkpoints at 70%, 75%, …, 100%
  for (const r of p.testRows) assert.ok(t.tokens[r] >= 0.7 * T);
});

test("paper protocol: T over the training models jointly and strict < (drops the final checkpoint at p = 1)", () => {
  const t = ladderTable();
  const spec = { family: "toy", train: { kind: "smallest", k: 4 }, minTokens: 0 } as const;
  const paper = prepareForecast(t, { ...spec, protocol: "paper" });
  const ours = prepareForecast(t, spec);
  assert.equal(ours.trainRows.length, 80);
  // Only the model with the joint T (m3) loses its final checkpoint; the others end below p·T.
  assert.equal(paper.trainRows.length, 79);
  assert.ok(!paper.trainRows.includes(paper.models[3].rows[19]));
  // At p = 0.5 each model keeps half its own run (ours) but m0-m2 keep more of theirs under joint T.
  const half = prepareForecast(t, { ...spec, protocol: "paper", fraction: 0.5 });
  const halfOurs = prepareForecast(t, { ...spec, fraction: 0.5 });
  assert.equal(halfOurs.trainRows.length, 40);
  assert.ok(half.trainRows.length > 40);
});

test("the early cut drops checkpoints with at most c tokens", () => {
  const t = ladderTable();
  const p = prepareForecast(t, { family: "toy", minTokens: 3e10 });
  for (const r of p.trainRows) assert.ok(t.tokens[r] > 3e10);
});

test("training choices: k smallest, window, k largest when scaling down, lists", () => {
  const t = ladderTable();
  const fam = familyOf(t, "toy");
  assert.deepEqual(
    prepareForecast(t, { family: "toy", train: { kind: "smallest", k: 3 } }, fam).models.map(
      (m) => m.name,
    ),
    ["m0", "m1", "m2"],
  );
  assert.deepEqual(
    prepareForecast(t, { family: "toy", train: { kind: "window", k: 2, end: 3 } }, fam).models.map(
      (m) => m.name,
    ),
    ["m2", "m3"],
  );
  const down = forecast(
    t,
    { family: "toy", scaleDown: true, train: { kind: "largest", k: 3 } },
    fam,
  );
  assert.equal(down.target.model, "m0");
  assert.deepEqual(down.train.models, ["m3", "m4", "m5"]);
  assert.ok(down.are < 0.01);
  assert.throws(
    () => prepareForecast(t, { family: "toy", train: { kind: "smallest", k: 9 } }),
    InputError,
  );
  assert.throws(
    () => prepareForecast(t, { family: "toy", train: { kind: "list", models: ["nope"] } }),
    /no training model "nope"/,
  );
  assert.throws(() => prepareForecast(t, { family: "tyo" }), /did you mean "toy"/);
});

test("partially trained target: its own early checkpoints join the fit (§5.1)", () => {
  const t = ladderTable();
  const p = prepareForecast(t, {
    family: "toy",
    train: { kind: "list", models: [] },
    partialTarget: true,
    fraction: 0.3,
  });
  assert.ok(p.trainRows.length > 0);
  for (const r of p.trainRows) assert.equal(t.model[r], "m5");
  const f = forecast(t, {
    family: "toy",
    train: { kind: "list", models: [] },
    partialTarget: true,
    fraction: 0.5,
    fit: { fix: { A: 406.4, alpha: 0.34 } },
  });
  assert.ok(f.are < 1e-3, `ARE ${f.are}`);
});

test("borrowing: presets and fitting A, alpha on another family", () => {
  // HITCHHIKER_SPEC §2.1 (App. A): the borrowed values are a = ln A = 6.255414, α = 0.3526596.
  const hh = borrowPreset("hitchhiker");
  assert.ok(Math.abs(Math.log(hh.A) - 6.255414) < 1e-12 && hh.alpha === 0.3526596);
  assert.match(BORROW_PRESETS.hitchhiker.source, /6\.255414/);
  assert.throws(() => borrowPreset("hitchiker"), /did you mean "hitchhiker"/);
  const t = ladderTable();
  const b = borrowFrom(t, "toy");
  assert.ok(Math.abs(b.alpha - 0.34) < 1e-3 && Math.abs(b.A / 406.4 - 1) < 0.01);
  // One model plus the borrowed A and alpha predicts the target.
  const f = forecast(t, {
    family: "toy",
    train: { kind: "list", models: ["m2"] },
    fit: { fix: b },
  });
  assert.ok(f.are < 1e-3, `ARE ${f.are}`);
});

test("a cell the fit cannot use gets a status, not an exception", () => {
  const t = ladderTable();
  const f = forecast(t, { family: "toy", minTokens: 1e15 });
  assert.equal(f.status, "no-data");
  assert.ok(Number.isNaN(f.are));
});
