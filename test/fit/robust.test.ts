import assert from "node:assert/strict";
import { test } from "node:test";
import { fit } from "../../src/fit/fit.js";
import { makeColumns } from "../../src/laws/types.js";
import { rng } from "../../src/math/random.js";
import { TRUE_PARAMS } from "../fixtures/synthetic.js";

const STATUSES = new Set(["converged", "bound-hit", "max-iterations", "non-finite", "stalled"]);

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
    assert.ok(STATUSES.has(r.status), `${law}: status ${r.status}`);
    assert.ok(!Number.isNaN(r.objective.value), `${law}: NaN objective`);
    if (r.status === "converged" || r.status === "bound-hit") {
      for (const [k, v] of Object.entries(r.params))
        assert.ok(Number.isFinite(v), `${law} trial ${trial}: ${k} = ${v}`);
      assert.ok(Number.isFinite(r.objective.value));
    }
  }
});
