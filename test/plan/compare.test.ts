import assert from "node:assert/strict";
import { test } from "node:test";
import { chinchillaOptimal } from "../../src/plan/allocation.js";
import { compareScalingRules } from "../../src/plan/compare.js";
import { getPreset } from "../../src/plan/presets.js";

test("Kaplan's rule grows N by k^0.73 and D by k^0.27; Chinchilla's follows the law", () => {
  const m = getPreset("hoffmann");
  const rows = compareScalingRules(m, 1e21);
  assert.deepEqual(
    rows.map((r) => r.factor),
    [1, 10, 100, 1000],
  );
  const base = chinchillaOptimal(m.theta, 1e21);
  for (const r of rows) {
    assert.ok(Math.abs(r.kaplan.params / base.params / r.factor ** 0.73 - 1) < 1e-12);
    assert.ok(
      Math.abs(r.kaplan.flops / (1e21 * r.factor) - 1) < 1e-12,
      "same budget for both rules",
    );
    assert.ok(
      Math.abs(r.chinchilla.params / chinchillaOptimal(m.theta, 1e21 * r.factor).params - 1) <
        1e-12,
    );
    // The law's optimum is never worse than the rule under the same law.
    assert.ok(r.chinchilla.loss <= r.kaplan.loss + 1e-12);
  }
  assert.ok(rows[3].kaplan.params > rows[3].chinchilla.params, "Kaplan's model grows faster");
});
