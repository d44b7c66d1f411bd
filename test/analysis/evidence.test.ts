import assert from "node:assert/strict";
import { test } from "node:test";
import {
  type EvidenceCell,
  evidenceFromTable,
  expectedAre,
  fitEvidence,
  quantileRegression,
  validateEvidence,
} from "../../src/analysis/evidence.js";
import { EVIDENCE_MODEL } from "../../src/analysis/evidence-coefficients.js";
import { loadHitchhiker } from "../../src/cli/hitchhiker-table.js";
import { sharedDataDir, sharedSkip } from "../fixtures/shared.js";

test("quantile regression recovers the median line and the 90th percentile of a known sample", () => {
  // y = 1 + 2x + e with e ∈ {−1, 0, 1} in equal shares at every x: the median of e is 0 and its
  // 0.9 quantile is +1 (the top third is exactly +1), so the lines are 1 + 2x and 2 + 2x.
  const X: number[][] = [];
  const y: number[] = [];
  for (let x = 0; x < 10; x++)
    for (const e of [-1, 0, 1]) {
      X.push([1, x]);
      y.push(1 + 2 * x + e);
    }
  const med = quantileRegression(X, y, 0.5);
  assert.ok(Math.abs(med[0] - 1) < 1e-3 && Math.abs(med[1] - 2) < 1e-4, String(med));
  const hi = quantileRegression(X, y, 0.9);
  assert.ok(Math.abs(hi[0] - 2) < 1e-3 && Math.abs(hi[1] - 2) < 1e-4, String(hi));
});

test("the band is calibrated leave-one-family-out: families far from the rest widen it", () => {
  const cells: EvidenceCell[] = [];
  const families = ["a", "b", "c", "d", "e", "f"];
  families.forEach((family, i) => {
    for (let k = 2; k <= 6; k++)
      for (const fraction of [0.5, 1]) {
        const features = {
          scaleUp: 4 * k,
          models: k,
          spread: k,
          fraction,
          partialTarget: false,
          borrowed: false,
        };
        // Each family sits a constant factor off the common law: e^(−0.5…+0.5)
        cells.push({ family, features, are: 0.05 * Math.exp(0.2 * (i - 2.5)) * (4 * k) ** 0.3 });
      }
  });
  const m = fitEvidence(cells);
  assert.ok(m.band[0] < -0.2 && m.band[1] > 0.2, String(m.band));
  const v = validateEvidence(cells);
  assert.equal(v.cells, cells.length);
  // The two outermost families fall outside a band learned from the other five; the others inside.
  assert.ok(v.coverage > 0.5 && v.coverage < 1, String(v.coverage));
  const e = expectedAre(m, cells[0].features);
  assert.ok(e.band[0] < e.median && e.median < e.band[1]);
});

test("the shipped evidence coefficients regenerate from ../shared/data", {
  skip: sharedSkip("hitchhiker-colpret"),
}, async () => {
  const table = await loadHitchhiker(sharedDataDir);
  const m = fitEvidence(await evidenceFromTable(table, 2));
  assert.equal(m.cells, EVIDENCE_MODEL.cells);
  const close = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));
  for (const [i, v] of m.median.entries())
    assert.ok(
      close(v, EVIDENCE_MODEL.median[i]),
      `${m.terms[i]}: ${v} vs shipped ${EVIDENCE_MODEL.median[i]}`,
    );
  for (const [i, v] of m.band.entries())
    assert.ok(close(v, EVIDENCE_MODEL.band[i]), `band ${i}: ${v}`);
  assert.equal(m.maxScaleUp, EVIDENCE_MODEL.maxScaleUp);
});
