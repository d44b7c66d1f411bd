import assert from "node:assert/strict";
import { test } from "node:test";
import { fit, predict } from "../src/index.js";
import { syntheticLadder, TRUE_PARAMS } from "./fixtures/synthetic.js";

test("the package entry exposes fit and predict", async () => {
  const data = syntheticLadder("chinchilla", TRUE_PARAMS.chinchilla);
  const r = fit(data);
  assert.equal(r.status, "converged");
  const p = await predict(data, { params: 70e9, tokens: 1.4e12 });
  // Noiseless data: the forecast is the law itself, 1.9366454705587173 (python3, Hoffmann values).
  assert.ok(Math.abs(p.value - 1.9366454705587173) < 1e-6);
  assert.equal(p.interval, null);
  assert.equal(p.at.flops, 6 * 70e9 * 1.4e12);
});
