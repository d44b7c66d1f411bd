import assert from "node:assert/strict";
import { test } from "node:test";
import { epochAdapter } from "../../../src/data/corpus/epoch.js";
import { sharedPath, sharedSkip } from "../../fixtures/shared.js";

const skip = sharedSkip("epoch-chinchilla/svg_extracted_data.csv");

test("epoch-chinchilla: 245 runs with the ranges of SOURCE.md and D = C/(6N)", {
  skip,
}, async () => {
  const t = await epochAdapter.load(sharedPath("epoch-chinchilla"));
  // SOURCE.md: 245 rows; N 57.3M–16.2B; C 1.40e18–1.30e22; loss 2.077–5.006.
  assert.equal(t.length, 245);
  assert.equal(new Set(t.model).size, 245);
  const range = (a: Float64Array) => [Math.min(...a), Math.max(...a)];
  const [nLo, nHi] = range(t.params);
  assert.ok(Math.abs(nLo - 57.3e6) < 0.1e6 && Math.abs(nHi - 16.2e9) < 0.1e9, `${nLo} ${nHi}`);
  const [cLo, cHi] = range(t.flops);
  assert.ok(Math.abs(cLo - 1.4e18) < 0.01e18 && Math.abs(cHi - 1.3e22) < 0.01e22, `${cLo} ${cHi}`);
  const [lLo, lHi] = range(t.value);
  assert.equal(lLo.toFixed(3), "2.077");
  assert.equal(lHi.toFixed(3), "5.006");
  // First data row of svg_extracted_data.csv (line 2).
  assert.equal(t.model[0], "row2");
  assert.equal(t.params[0], 6795600349.289497);
  assert.equal(t.value[0], 5.005581996196243);
  assert.ok(Math.abs(t.tokens[0] - 9.993852799709755e18 / (6 * 6795600349.289497)) < 1e-3);
  assert.deepEqual([...new Set(t.family)], ["epoch-chinchilla"]);
  assert.deepEqual([...new Set(t.metric)], ["loss"]);
  assert.deepEqual([...new Set(t.source ?? [])], ["epoch-chinchilla"]);
});
