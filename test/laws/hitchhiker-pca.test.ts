import assert from "node:assert/strict";
import { test } from "node:test";
import { planChunks } from "../../src/analysis/experiments.js";
import { analyzeParams } from "../../src/analysis/pca.js";
import { chunkCache, runChunk } from "../../src/analysis/run-cell.js";
import { loadHitchhiker } from "../../src/cli/hitchhiker-table.js";
import { HITCHHIKER_PCA } from "../../src/laws/hitchhiker-pca.js";
import { sharedDataDir, sharedSkip } from "../fixtures/shared.js";

test("the hitchhiker-pca law's mean and components regenerate from ../shared/data", {
  skip: sharedSkip("hitchhiker-colpret"),
}, async () => {
  const table = await loadHitchhiker(sharedDataDir);
  const chunks = planChunks(table, { experiments: ["params"], protocols: ["default"] });
  const cache = chunkCache();
  const rows = chunks.flatMap((c) => runChunk(table, c, undefined, cache));
  const p = analyzeParams(rows, "default");
  assert.equal(p.families.length, 21);
  const close = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));
  for (const [j, v] of p.mean.entries()) assert.ok(close(v, HITCHHIKER_PCA.mean[j]), `mean ${j}`);
  for (let k = 0; k < 3; k++)
    for (const [j, v] of p.components[k].entries())
      assert.ok(close(v, HITCHHIKER_PCA.components[k][j]), `component ${k + 1}[${j}]: ${v}`);
});
