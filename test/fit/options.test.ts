import assert from "node:assert/strict";
import { test } from "node:test";
import { InputError } from "../../src/errors.js";
import { bootstrapRange } from "../../src/estimate/bootstrap.js";
import { fit, predictLoss } from "../../src/fit/fit.js";
import type { FitInput, FitOptions } from "../../src/fit/types.js";
import {
  chinchillaForLoss,
  chinchillaOptimal,
  optimalAllocation,
} from "../../src/plan/allocation.js";
import { getPreset } from "../../src/plan/presets.js";
import { syntheticLadder, TRUE_PARAMS } from "../fixtures/synthetic.js";

const data = syntheticLadder("chinchilla", TRUE_PARAMS.chinchilla, { sigma: 0.01, seed: 2 });

/** Asserts that `f` throws an InputError about `field` whose text names no CLI flag. */
function refuses(f: () => unknown, field: string, text: RegExp): void {
  assert.throws(f, (e: unknown) => {
    assert.ok(e instanceof InputError, String(e));
    assert.equal(e.field, field, e.message);
    assert.match(e.message, text);
    assert.doesNotMatch(e.message, /--[a-z]/, `library message names a flag: ${e.message}`);
    return true;
  });
}

test("fit takes number[] columns and derives flops = 6ND, as the README says", () => {
  const plain: FitInput = {
    params: Array.from(data.params),
    tokens: Array.from(data.tokens),
    loss: Array.from(data.loss),
  };
  const a = fit(plain);
  const b = fit({ params: data.params, tokens: data.tokens, flops: data.flops, loss: data.loss });
  assert.deepEqual(a.params, b.params);
  // The fixture's flops are 6·N·D computed by makeColumns; the derived column is the same numbers.
  assert.equal(a.objective.value, b.objective.value);
});

test("fit names a missing or misspelled field instead of failing with a TypeError", () => {
  const { loss, ...noLoss } = data;
  refuses(
    () => fit({ ...noLoss, los: loss } as unknown as FitInput),
    "loss",
    /did you mean "loss"/,
  );
  refuses(() => fit({ tokens: data.tokens, loss } as FitInput), "params", /no params/);
  refuses(() => fit(null as unknown as FitInput), "data", /object of columns/);
  refuses(() => fit({ ...data, params: 3 } as unknown as FitInput), "params", /array of numbers/);
  // A compute law needs only flops.
  assert.equal(fit({ flops: data.flops, loss }, { law: "compute" }).law.name, "compute");
});

test("fit options are checked and named by option, never by flag", () => {
  const cases: [FitOptions, string, RegExp][] = [
    [{ law: "power", column: "steps" as never }, "column", /unknown column "steps"/],
    [{ extraStarts: [[1, 2]] }, "extraStarts", /has 2 values; law chinchilla has 5/],
    [{ extraStarts: [[1.7, 400, 400, 0.3, 99]] }, "extraStarts", /beta at 99, outside/],
    [{ maxIterations: 0 }, "maxIterations", /at least 1/],
    [{ ftol: Number.NaN }, "ftol", /finite/],
    [{ law: "kaplan-n", starts: "epoch-grid" }, "starts", /chinchilla law only/],
    [{ refine: 0 }, "refine", /at least 1/],
    [{ subsetRows: 0 }, "subsetRows", /at least 1/],
    [{ subsetRows: 2.5 }, "subsetRows", /whole number/],
    [{ fix: { gamma: 1 } }, "fix", /no parameter "gamma"/],
    [{ objective: "huber-log", delta: -1 }, "delta", /positive/],
    [{ law: "kaplan" }, "law", /unknown law/],
  ];
  for (const [options, field, text] of cases) refuses(() => fit(data, options), field, text);
});

test("predictLoss takes one point as numbers and returns a number", () => {
  const r = fit(data);
  const one = predictLoss(r, { params: 7e10, tokens: 1.4e12 });
  const many = predictLoss(r, { params: [7e10, 1e9], tokens: [1.4e12, 2e10] });
  assert.equal(typeof one, "number");
  assert.equal(one, many[0]);
  // By hand from the fitted parameters: E + A·N^-α + B·D^-β.
  const p = r.params;
  const byHand = p.E + p.A * 7e10 ** -p.alpha + p.B * 1.4e12 ** -p.beta;
  assert.ok(Math.abs(one - byHand) < 1e-12 * byHand);
  refuses(() => predictLoss(r, { params: 7e10 }), "tokens", /reads tokens/);
});

test("functions of law parameters refuse a whole fit result, naming the right call", () => {
  const r = fit(data);
  refuses(() => chinchillaOptimal(r as never, 1e23), "theta", /not a whole fit result/);
  refuses(() => chinchillaForLoss(r as never, 2), "theta", /result\.theta/);
  refuses(() => chinchillaOptimal([1, 2, 3], 1e23), "theta", /5 finite parameters/);
  assert.ok(chinchillaOptimal(r.theta, 1e23).params > 0);
});

test("planning entry points name their options", () => {
  const m = getPreset("hoffmann");
  refuses(() => optimalAllocation(m, -1), "budget", /^budget: budget must be a positive number/);
  refuses(() => getPreset("hofman"), "preset", /did you mean "hoffmann"/);
});

test("a bootstrap resample with too few runs is recorded as too-few-runs, with its error", () => {
  // Two runs, of 4 and 2 checkpoints: 6 rows fit five parameters, but a resample that draws the
  // short run twice has 4 rows, and the fit refuses it.
  const ladder = syntheticLadder("chinchilla", TRUE_PARAMS.chinchilla, {
    sizes: 2,
    checkpoints: 4,
  });
  const keep = [0, 1, 2, 3, 6, 7];
  const pick = (a: Float64Array) => Float64Array.from(keep, (i) => a[i]);
  const tiny = {
    params: pick(ladder.params),
    tokens: pick(ladder.tokens),
    flops: pick(ladder.flops),
    loss: pick(ladder.loss),
    run: Int32Array.from([0, 0, 0, 0, 1, 1]),
  };
  const reps = bootstrapRange(tiny, {}, 0, 0, 12);
  const failed = reps.filter((r) => r.status === "too-few-runs");
  assert.ok(failed.length > 0, "some resample drew the short run twice");
  for (const r of failed) {
    assert.equal(r.theta, null);
    assert.match(r.error ?? "", /4 observations cannot determine 5 free parameters/);
  }
});
