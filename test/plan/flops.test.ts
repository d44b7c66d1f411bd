import assert from "node:assert/strict";
import { test } from "node:test";
import { detailedFlops, trainingFlops } from "../../src/plan/flops.js";

test("6ND", () => {
  assert.equal(trainingFlops(70e9, 1.4e12), 5.88e23);
});

test("GPT-3 175B shape: Kaplan Table 1 and Chinchilla Appendix F counts", () => {
  // Hand computation (python3), n_layer 96, d_model 12288, n_ctx 2048, vocab 50257, 96 heads:
  // N = 12·96·12288² = 173946175488;
  // App. F training per token = 3·[2Vd + L(6d² + 2·ctx·d + 3·96·ctx + 2·ctx·d + 2d² + 16d²) + 2dV]
  //   = 1080248647680, 3.5% above 6N;
  // Kaplan per token = 3·(4d + 2N + 2·L·ctx·d + 2dV) = 1061878063104.
  const r = detailedFlops({ layers: 96, dModel: 12288, context: 2048, vocab: 50257 });
  assert.equal(r.nonEmbeddingParams, 173946175488);
  assert.equal(r.chinchilla.training, 1080248647680);
  assert.equal(r.kaplan.training, 1061878063104);
  assert.ok(Math.abs(r.sixNError - 0.035041102656611756) < 1e-12);
});

test("bad shapes are input errors", () => {
  assert.throws(
    () => detailedFlops({ layers: 0, dModel: 512, context: 1024 }),
    /layers: layers must be a positive whole number/,
  );
  assert.throws(() => detailedFlops({ layers: 2, dModel: 512.5, context: 1024 }), /dModel must be/);
});
