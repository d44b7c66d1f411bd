import assert from "node:assert/strict";
import { test } from "node:test";
import { fit, predictLoss } from "../../src/fit/fit.js";
import { makeColumns } from "../../src/laws/types.js";
import { rng } from "../../src/math/random.js";
import { TRUE_PARAMS } from "../fixtures/synthetic.js";

test("random and hostile data never give NaN or a silent failure", () => {
  const u = rng(2024, 1);
  const laws = Object.keys(TRUE_PARAMS);
  for (let trial = 0; trial < 60; trial++) {
    const n = 6 + Math.floor(u() * 40);
    const params = Array.from({ length: n }, () => 10 ** (6 + 5 * u()));
    const tokens = Array.from({ length: n }, () => 10 ** (8 + 5 * u()));
    // Loss unrelated to size, rising with size, or constant: no law describes these well.
    const kind = trial % 3;
    const loss = Float64Array.from({ length: n }, (_, i) =>
      kind === 0 ? 1 + 5 * u() : kind === 1 ? 1 + Math.log10(params[i]) / 3 : 2.5,
    );
    const x = makeColumns(params, tokens);
    const law = laws[trial % laws.length];
    const r = fit({ params: x.params, tokens: x.tokens, flops: x.flops, loss }, { law });
    assert.ok(!Number.isNaN(r.objective.value), `${law}: NaN objective`);
    if (r.status !== "converged")
      assert.ok(r.statusMessage.length > 0, `${law}: ${r.status} unexplained`);
    if (r.status === "converged" || r.status === "bound-hit") {
      for (const [k, v] of Object.entries(r.params))
        assert.ok(Number.isFinite(v), `${law} trial ${trial}: ${k} = ${v}`);
      // The reported objective is the Huber sum (scipy.special.huber, δ = 1e-3) of the log
      // residuals at the reported parameters, recomputed here from the predictions alone.
      const pred = predictLoss(r, { params: x.params, tokens: x.tokens, flops: x.flops });
      let f = 0;
      for (let i = 0; i < n; i++) {
        const a = Math.abs(Math.log(pred[i]) - Math.log(loss[i]));
        f += a <= 1e-3 ? 0.5 * a * a : 1e-3 * (a - 0.5e-3);
      }
      assert.ok(
        Math.abs(f - r.objective.value) <= 1e-9 * Math.max(f, 1e-12),
        `${law} trial ${trial}: objective ${r.objective.value} vs recomputed ${f}`,
      );
    }
  }
});
